"""Event-data tables for researchers: events.csv, tenures.csv and sources.csv.

Event datasets (ICEWS, POLECAT, ACLED) are tables with one row per event;
ours are read from the typed records of the build and from the ontology's
class tree (an event's family and its CAMEO and PLOVER codes), so every row
is a record of the inferred graph. Cells that point at other records hold
their slugs (``japan``, ``south-korea``), several joined by ``;``; the CSVW
metadata (kg/publish/csv_metadata.py) turns slugs back into IRIs.

Spreadsheets execute a cell that starts with ``=``, ``+``, ``-`` or ``@``
(and some read a leading tab or carriage return the same way); such a cell,
and one that starts with ``'``, gets a leading ``'``. Readers undo it by
dropping one leading ``'`` from a text cell (:func:`restore`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from kg.facts import records as R
from kg.graph import iris

#: Joins the values of a multi-valued cell (slugs never contain it).
SEPARATOR = ";"
#: A text cell starting with one of these gets a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
DKG, RDFS, SKOS = iris.DKG, iris.PREFIXES["rdfs"], iris.PREFIXES["skos"]
CAMEO_NOTATION = re.compile(r"[0-9]{2,4}")


@dataclass(frozen=True)
class Column:
    """One column: its name, CSVW datatype, and the ontology property its cells state."""

    name: str
    datatype: str
    description: str
    property: str | None = None
    value_url: str | None = None
    multi: bool = False
    lang: str | None = None


@dataclass
class Table:
    """A table's columns and rows (cell values typed: str, int, list of str, or None)."""

    name: str
    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)

    @property
    def file(self) -> str:
        return f"{self.name}.csv"


def _column(name, datatype, description, prop=None, ref=None, multi=False, lang=None) -> Column:
    """A column; ``ref`` names the kind of record its slugs point at (their IRI template)."""
    value_url = f"{iris.ID}{iris.KIND_SEGMENTS[ref]}/{{{name}}}" if ref else None
    return Column(name, datatype, description, prop, value_url, multi, lang)


IRI_COLUMN = _column("iri", "anyURI", "The record's IRI (the subject of every other column).")
EVENT_COLUMNS = [
    IRI_COLUMN,
    _column("label", "string", "English label.", RDFS + "label", lang="en"),
    Column("type", "string", "Most specific event class (local name in the dkg: ontology).",
           iris.PREFIXES["rdf"] + "type", DKG + "{type}"),
    Column("family", "string", "The class right under dkg:Event that the type falls under "
           "(Measure, MeasureStep, Meeting, Statement, LegalProceedingStep, RelationsDevelopment)."),
    _column("earliest", "date", "Earliest possible day.", DKG + "earliestDate"),
    _column("latest", "date", "Latest possible day.", DKG + "latestDate"),
    Column("precision", "string", "Precision of the date: day, week, month or year "
           "(dkg:datePrecision, an OWL-Time unit)."),
    _column("date_phrase", "string", "The source's own words for the date, when it was resolved "
            "from a relative phrase.", DKG + "dateText"),
    _column("actors", "string", "Agents who carried it out (dkg:actor as inferred: participants "
            "and speakers included).", DKG + "actor", "agents", multi=True),
    _column("targets", "string", "Agents it was directed at.", DKG + "target", "agents", multi=True),
    _column("participants", "string", "People who took part in a meeting.", DKG + "participant",
            "agents", multi=True),
    _column("representing", "string", "States or bodies a meeting's participants represented.",
            DKG + "representing", "agents", multi=True),
    _column("place", "string", "Where it took place.", DKG + "place", "places"),
    _column("materials", "string", "Controlled materials it concerns.", DKG + "concernsMaterial",
            "materials", multi=True),
    _column("end_users", "string", "Firms an approval was for.", DKG + "endUser", "agents", multi=True),
    Column("cameo", "string", "CAMEO event code (codelist 0.7b5) the type or its nearest coded "
           "superclass matches (skos:closeMatch in the ontology)."),
    Column("plover", "string", "PLOVER event type the type or its nearest coded superclass "
           "matches (skos:closeMatch in the ontology)."),
    _column("amends", "string", "The measure this one eases, lifts or reverses.", DKG + "amends",
            "events"),
    _column("responds_to", "string", "Events this one responds to.", DKG + "respondsTo", "events",
            multi=True),
    _column("step_of", "string", "The measure this is a step of.", DKG + "stepOf", "events"),
    _column("under_measure", "string", "The measure an approval was made under.",
            DKG + "underMeasure", "events"),
    _column("about", "string", "Events a statement is about.", DKG + "about", "events", multi=True),
    Column("source_count", "integer", "Number of source documents cited."),
    Column("followed_source_url", "anyURI", "Address of the first cited source the record "
           "follows (a claim marked followed, else the first claim not marked as not followed)."),
    _column("confidence", "string", "How firmly the record is supported: high, medium or low.",
            DKG + "confidence"),
    Column("status", "string", "unconfirmed or planned for an event no source reports as having "
           "happened; empty otherwise (dkg:eventStatus)."),
]
TENURE_COLUMNS = [
    IRI_COLUMN,
    _column("post", "string", "The post held.", DKG + "tenureOf", "posts"),
    Column("post_label", "string", "English label of the post."),
    _column("holder", "string", "The person who held it.", DKG + "holder", "agents"),
    Column("holder_label", "string", "English label of the holder."),
    _column("start", "date", "First day in office.", DKG + "startDate"),
    _column("end", "date", "Last day in office.", DKG + "endDate"),
    _column("attested", "date", "Days a source shows the holder in the post.", DKG + "attestedOn",
            multi=True),
    _column("in_office_as_of", "date", "A day the holder was still in office, as sourced.",
            DKG + "inOfficeAsOf"),
    Column("source_count", "integer", "Number of source documents cited."),
    Column("followed_source_url", "anyURI", "Address of the first cited source the record follows."),
]
SOURCE_COLUMNS = [
    IRI_COLUMN,
    Column("type", "string", "NewsReport, OfficialDocument or Report.", iris.PREFIXES["rdf"] + "type",
           DKG + "{type}"),
    _column("title", "string", "Title, in the source's language.", iris.PREFIXES["dcterms"] + "title"),
    _column("publisher", "string", "Who published it.", DKG + "publisher", "agents"),
    Column("publisher_label", "string", "English label of the publisher."),
    _column("published", "date", "Day of publication.", DKG + "publishedOn"),
    _column("url", "anyURI", "Address of the document.", iris.PREFIXES["schema"] + "url"),
    Column("language", "string", "Language of the document (BCP 47 tag)."),
    _column("republished_by", "string", "Who republished it, where we read a copy.",
            DKG + "republishedBy", "agents"),
    Column("cited_by", "integer", "Number of records that cite it."),
]


# ---------------------------------------------------------------------------
# Event classes: family and codes, from the ontology as the engine holds it
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class EventClass:
    family: str
    cameo: str | None
    plover: str | None


def event_classes(engine) -> dict[str, EventClass]:
    """Family and CAMEO/PLOVER codes of every event class, by local name.

    Reads the subclass tree and the ``skos:closeMatch`` codes of the
    inferred graph: the family is the class right under ``dkg:Event`` that a
    type falls under; the codes are those of the type or its nearest coded
    superclass. A CAMEO code is numeric; a PLOVER type is a word.
    """
    supers: dict[str, set[str]] = {}
    rows = engine.run(f"SELECT ?c ?s WHERE {{ ?c <{RDFS}subClassOf>+ <{DKG}Event> , ?s "
                      "FILTER (isIRI(?c) && isIRI(?s)) }", timeout=None).rows
    for cls, sup in rows:
        supers.setdefault(cls.value, set()).add(sup.value)
    codes: dict[str, set[str]] = {}
    for cls, notation in engine.run(
            f"SELECT ?c ?n WHERE {{ ?c <{SKOS}closeMatch> ?code . ?code <{SKOS}inScheme> <{DKG}EventCodeScheme> ; "
            f"<{SKOS}notation> ?n }}", timeout=None).rows:
        codes.setdefault(cls.value, set()).add(notation.value)
    event = DKG + "Event"
    out = {}
    for cls in sorted(supers):
        if cls == event or not cls.startswith(DKG):
            continue
        ancestors = {a for a in supers[cls] | {cls} if a in supers and a != event}
        families = [a for a in ancestors if not (supers.get(a, set()) & ancestors) - {a}]
        coded = sorted((a for a in ancestors if a in codes), key=lambda a: (-len(supers.get(a, ())), a))
        found = codes[coded[0]] if coded else set()
        cameo = sorted(n for n in found if CAMEO_NOTATION.fullmatch(n))
        plover = sorted(n for n in found if not CAMEO_NOTATION.fullmatch(n))
        out[cls[len(DKG):]] = EventClass(min(families)[len(DKG):], cameo[0] if cameo else None,
                                         plover[0] if plover else None)
    return out


# ---------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------

def followed_source(citations: tuple[R.Citation, ...]) -> str | None:
    """The first source a record follows: one marked followed, else one not marked as not followed."""
    for wanted in (lambda c: c.followed is True, lambda c: c.followed is not False):
        for citation in citations:
            if wanted(citation):
                return citation.source
    return None


def _url(sources: dict[str, R.Source], slug: str | None) -> str | None:
    return sources[slug].url if slug else None


def _date_cells(when: R.DateRange) -> dict:
    return {"earliest": when.earliest.isoformat(), "latest": when.latest.isoformat(),
            "precision": when.precision, "date_phrase": when.phrase}


def event_rows(facts: R.Facts, classes: dict[str, EventClass]) -> list[dict]:
    """One row per event and statement (every dkg:Event), by earliest day, latest day and IRI."""
    sources = {s.id: s for s in facts.sources}
    rows = []
    for event in facts.events:
        known = classes[event.type]
        rows.append({
            "iri": iris.resource_iri("events", event.id), "label": event.label.en, "type": event.type,
            "family": known.family, **_date_cells(event.date),
            "actors": sorted(set(event.actor) | set(event.participant)), "targets": list(event.target),
            "participants": list(event.participant), "representing": list(event.representing),
            "place": event.place, "materials": list(event.material), "end_users": list(event.end_user),
            "cameo": known.cameo, "plover": known.plover, "amends": event.amends,
            "responds_to": list(event.responds_to), "step_of": event.step_of,
            "under_measure": event.under_measure, "about": [],
            "source_count": len(event.sources),
            "followed_source_url": _url(sources, followed_source(event.sources)),
            "confidence": event.confidence, "status": event.status})
    for statement in facts.statements:
        known = classes[statement.type]
        rows.append({
            "iri": iris.resource_iri("statements", statement.id), "label": statement.label.en,
            "type": statement.type, "family": known.family, **_date_cells(statement.date),
            "actors": [statement.speaker], "targets": [], "participants": [], "representing": [],
            "place": statement.place, "materials": [], "end_users": [], "cameo": known.cameo,
            "plover": known.plover, "amends": None, "responds_to": [], "step_of": None,
            "under_measure": None, "about": list(statement.about),
            "source_count": len(statement.sources),
            "followed_source_url": _url(sources, followed_source(statement.sources)),
            "confidence": statement.confidence, "status": None})
    return sorted(rows, key=lambda r: (r["earliest"], r["latest"], r["iri"]))


def tenure_rows(facts: R.Facts) -> list[dict]:
    """One row per tenure, by post, then first known day, then IRI."""
    sources = {s.id: s for s in facts.sources}
    posts = {p.id: p.label.en for p in facts.posts}
    agents = {a.id: a.label.en for a in facts.agents}
    rows = []
    for tenure in facts.tenures:
        known = tenure.start or min(tenure.attested, default=None) or tenure.in_office_as_of
        rows.append((tenure.post, known.isoformat() if known else "", {
            "iri": iris.resource_iri("tenures", tenure.id), "post": tenure.post,
            "post_label": posts[tenure.post], "holder": tenure.holder,
            "holder_label": agents[tenure.holder],
            "start": tenure.start.isoformat() if tenure.start else None,
            "end": tenure.end.isoformat() if tenure.end else None,
            "attested": [day.isoformat() for day in sorted(tenure.attested)],
            "in_office_as_of": tenure.in_office_as_of.isoformat() if tenure.in_office_as_of else None,
            "source_count": len(tenure.sources),
            "followed_source_url": _url(sources, followed_source(tenure.sources))}))
    return [row for *_, row in sorted(rows, key=lambda r: (r[0], r[1], r[2]["iri"]))]


def source_rows(facts: R.Facts) -> list[dict]:
    """One row per source document, by day of publication and IRI."""
    agents = {a.id: a.label.en for a in facts.agents}
    cited: dict[str, int] = {}
    for section in R.SECTIONS:
        for record in facts.section(section):
            for slug in {c.source for c in getattr(record, "sources", ()) or ()}:
                cited[slug] = cited.get(slug, 0) + 1
    rows = [{"iri": iris.resource_iri("sources", s.id), "type": s.type, "title": s.title,
             "publisher": s.publisher, "publisher_label": agents[s.publisher],
             "published": s.published.isoformat(), "url": s.url, "language": s.language,
             "republished_by": s.republished_by, "cited_by": cited.get(s.id, 0)}
            for s in facts.sources]
    return sorted(rows, key=lambda r: (r["published"], r["iri"]))


def tables(facts: R.Facts, engine) -> list[Table]:
    """The three tables of the release.

    Args:
        facts: the typed records of the build.
        engine: a query engine over the inferred graph (for the event classes).

    Returns:
        events, tenures and sources, with their rows.
    """
    return [Table("events", "Events: one row per dkg:Event (measures, steps, meetings, statements ...)",
                  EVENT_COLUMNS, event_rows(facts, event_classes(engine))),
            Table("tenures", "Tenures: who held which post, when", TENURE_COLUMNS, tenure_rows(facts)),
            Table("sources", "Source documents", SOURCE_COLUMNS, source_rows(facts))]


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------

def neutralise(text: str) -> str:
    """A text cell a spreadsheet will show as text: a leading ``'`` before a formula start."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restore(text: str) -> str:
    """The value of a text cell as written by :func:`neutralise`."""
    return text[1:] if text.startswith("'") else text


def cell(column: Column, value) -> str:
    """A value as CSV cell text: lists joined by SEPARATOR, text neutralised, None empty."""
    if value is None:
        return ""
    if column.multi:
        return SEPARATOR.join(neutralise(str(v)) for v in value)
    if isinstance(value, int):
        return str(value)
    return neutralise(value)


def to_csv(table: Table) -> bytes:
    """RFC 4180 CSV in UTF-8 (CRLF line ends, quoted where needed), a header row first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for row in table.rows:
        writer.writerow([cell(c, row[c.name]) for c in table.columns])
    return buffer.getvalue().encode("utf-8")
