"""One description per resource, as plain data (dicts, lists, strings, numbers, booleans).

``dispute-kg describe`` prints it, ``--format json`` writes it, and the entity pages render
it. Descriptions are computed from the inferred graph (reduced to what was said, see
kg/explore/triples.py) for every resource under ``https://w3id.org/dispute-kg/`` (records and
ontology terms), and cached with the search index.

Building blocks:

- *ref*: ``{"iri", "id", "label", "type"}`` -- a resource named by its full IRI, compact IRI
  (``event:...``), English label (or a made-up one for tenures and claims) and most specific
  type (compact), or None for an unlabelled, untyped IRI.
- *date*: ``{"earliest", "latest", "precision", "phrase", "resolved_against"}`` -- ISO days,
  an OWL-Time unit name (``day``, ``week``, ``month``, ``year``), the source's own phrase the
  range was resolved from (or None) and the source (ref) whose publication day it was
  resolved against (or None).
- *agent*: a ref plus ``"posts"``, for persons: ``[{"post": ref, "tenure": ref, "basis"}]``,
  the posts the person held on the day(s) in question; ``basis`` is ``"tenure covers the
  dates"``, ``"attested on YYYY-MM-DD"``, ``"tenure overlaps the dates"`` (the person may
  have been in or out of office part of the range) or ``"tenure ended on YYYY-MM-DD; its start
  is not recorded"`` (in office then if the tenure had begun).
- *citation*: ``{"claim": ref, "source": source, "subject": ref, "quote": {"text", "lang"} or
  None, "attributed_to": agent or None, "reported_as": "past" | "ongoing" | "future",
  "followed": True | False | None, "claimed_dates": {"earliest", "latest"} or None,
  "claimed_count": int or None}`` -- one source's claim about one record; ``followed`` says
  whether the curated record follows this claim where sources disagree (None: not marked);
  the persons it is attributed to come with the posts they held on the publication day.
- *source*: a ref plus ``"publisher"`` (label), ``"published"`` (ISO day) and ``"url"``.

Every description has:

``iri``, ``id``, ``kind`` (``event``, ``statement``, ``person``, ``agent``, ``post``,
``tenure``, ``source``, ``claim``, ``place``, ``material``, ``agreement``, ``case``,
``class``, ``property`` or ``term``), ``label``, ``labels`` (``{lang: text}``),
``short_label`` (``dkg:shortLabel`` or None), ``types`` (refs, most specific first),
``note`` (``skos:note``), ``external_ids`` (``[{"scheme", "id", "iri"}]``: Wikidata, case
numbers, web domains), ``properties`` (``[{"property": ref, "value": ref or {"value",
"datatype", "lang"}}]``: every other statement about it), ``referenced_by``
(``[{"property": ref, "resource": ref}]``: every resource that points to it, claims left out
as they are shown as citations), and ``sources`` (citations about it, oldest source first).

Events and statements add ``date``, ``status`` (ref to ``dkg:unconfirmed`` or ``dkg:planned``,
or None), ``confidence``, ``actors``, ``participants``, ``targets`` (agents, with the posts
held during the event's dates), ``speaker`` (agent or None), ``representing``, ``materials``,
``end_users``, ``agreements``, ``about`` (refs), ``in_capacity_of``, ``under_measure``,
``place``, ``step_of``, ``step_kind``, ``case``, ``amends`` (ref or None), ``responds_to``,
``amended_by``, ``responded_to_by``, ``statements`` (statements about it; these four are
refs with their ``date``, in date order), ``steps``
(``[{"event": ref, "kind": ref, "date"}]``: the steps of a measure, in date order),
``text`` (``{"text", "lang"}``: a statement's words), ``ordinal``, ``material_count``,
``approval_count`` (int or None) and ``curation_note``.

Persons add ``tenures`` (``[{"tenure": ref, "post": ref, "start", "end", "attested": [days],
"in_office_as_of", "sources": [citations]}]`` in date order), ``involved_in`` (``[{"role":
property ref, "event": ref, "date"}]``: the events and statements they took part in, in date
order) and ``attributed`` (citations sources attribute to them). Other agents add
``involved_in`` too. Posts add ``post_in`` and ``holders`` (tenures, in order, each with its
``holder``). Tenures add ``post``, ``holder``, ``start``, ``end``, ``attested`` and
``in_office_as_of``. Sources add ``title``, ``publisher``, ``republished_by``, ``published``,
``url``, ``language`` and ``claims`` (citations it makes, with their ``subject``). Claims add
the citation's fields. Cases add ``case_number`` and ``steps``. Classes add ``definition``,
``comment`` and ``instances`` (how many resources have the class); properties and other
terms add ``definition`` and ``comment``.
"""

from __future__ import annotations

from collections import defaultdict

from kg.explore.triples import DKG, Literal, Triples
from kg.graph import iris
from kg.query.prefixes import PREFIXES, compact

SKOS, RDFS, SCHEMA = PREFIXES["skos"], PREFIXES["rdfs"], PREFIXES["schema"]
TIME_UNITS = {PREFIXES["time"] + "unit" + name.capitalize(): name
              for name in ("day", "week", "month", "year")}
PERSON = DKG + "Person"
CLAIM_LINKS = (DKG + "claimAbout", DKG + "citedIn", DKG + "attributedTo")
#: Event fields holding lists of refs, by property.
EVENT_LISTS = {"representing": "representing", "materials": "concernsMaterial",
               "end_users": "endUser", "agreements": "concernsAgreement", "about": "about"}
#: Event fields holding one ref, by property.
EVENT_REFS = {"in_capacity_of": "inCapacityOf", "under_measure": "underMeasure", "place": "place",
              "step_of": "stepOf", "step_kind": "stepKind", "case": "partOfCase",
              "amends": "amends", "status": "eventStatus"}
EVENT_NUMBERS = {"ordinal": "ordinal", "material_count": "materialCount",
                 "approval_count": "approvalCount"}
EVENT_POINTERS = {"amended_by": "amends", "responded_to_by": "respondsTo", "statements": "about"}


def kind_of(t: Triples, iri: str) -> str:
    """What sort of resource ``iri`` is, from its IRI path and types."""
    if iri.startswith(iris.ID):
        segment = iri[len(iris.ID):].split("/", 1)[0]
        if segment == "agent":
            return "person" if PERSON in t.types(iri) else "agent"
        return segment if segment in iris.KIND_SEGMENTS.values() else "resource"
    types = t.types(iri)
    if PREFIXES["owl"] + "Class" in types or PREFIXES["rdfs"] + "Class" in types:
        return "class"
    if any(x.startswith(PREFIXES["owl"]) and x.endswith("Property") for x in types):
        return "property"
    return "term"


class Describer:
    """Descriptions of the resources of one graph."""

    def __init__(self, triples: Triples):
        self.t = triples

    # -- building blocks ---------------------------------------------------------------

    def label(self, iri: str) -> str | None:
        """The English label, or a made-up one for tenures and claims, which have none."""
        t = self.t
        found = t.label(iri)
        if found is not None:
            return found
        holder, post = t.first(iri, DKG + "holder"), t.first(iri, DKG + "tenureOf")
        if holder and post:
            return f"{t.label(holder) or compact(holder)}, {t.label(post) or compact(post)}"
        subject, source = t.first(iri, DKG + "claimAbout"), t.first(iri, DKG + "citedIn")
        if subject and source:
            return f"{t.label(source) or compact(source)}, on {self.label(subject) or compact(subject)}"
        return None

    def ref(self, iri: str | None) -> dict | None:
        if iri is None:
            return None
        types = self.t.specific_types(iri)
        return {"iri": iri, "id": compact(iri), "label": self.label(iri),
                "type": compact(types[0]) if types else None}

    def value(self, term) -> dict | None:
        if isinstance(term, Literal):
            return {"value": term.value, "datatype": compact(term.datatype) if term.datatype else None,
                    "lang": term.language}
        return self.ref(term)

    def text(self, term) -> dict | None:
        if isinstance(term, Literal):
            return {"text": term.value, "lang": term.language}
        return None

    def date(self, iri: str) -> dict | None:
        t = self.t
        earliest = t.value(iri, DKG + "earliestDate")
        if earliest is None:
            return None
        precision = t.first(iri, DKG + "datePrecision")
        return {"earliest": earliest, "latest": t.value(iri, DKG + "latestDate"),
                "precision": TIME_UNITS.get(precision, compact(precision) if precision else None),
                "phrase": t.value(iri, DKG + "dateText"),
                "resolved_against": self.ref(t.first(iri, DKG + "dateResolvedAgainst"))}

    def source(self, iri: str) -> dict:
        t = self.t
        publisher = t.first(iri, DKG + "publisher")
        return {**self.ref(iri), "publisher": t.label(publisher) if publisher else None,
                "published": t.value(iri, DKG + "publishedOn"), "url": t.value(iri, SCHEMA + "url")}

    def posts_held(self, person: str, earliest: str | None, latest: str | None) -> list[dict]:
        """The posts a person held from ``earliest`` to ``latest`` (ISO days), and on what basis."""
        t = self.t
        if not earliest or PERSON not in t.types(person):
            return []
        latest = latest or earliest
        held = []
        for tenure in t.pointing(person, DKG + "holder"):
            start, end = t.value(tenure, DKG + "startDate"), t.value(tenure, DKG + "endDate")
            attested = sorted(o.value for o in t.objects(tenure, DKG + "attestedOn"))
            seen = [day for day in attested if earliest <= day <= latest]
            if start and start <= earliest and (end is None or end >= latest):
                basis = "tenure covers the dates"
            elif seen:
                basis = f"attested on {seen[0]}"
            elif start and start <= latest and (end is None or end >= earliest):
                basis = "tenure overlaps the dates"
            elif start is None and end and end >= latest:
                basis = f"tenure ended on {end}; its start is not recorded"
            else:
                continue
            held.append({"post": self.ref(t.first(tenure, DKG + "tenureOf")),
                         "tenure": self.ref(tenure), "basis": basis})
        return sorted(held, key=lambda h: h["post"]["id"] if h["post"] else "")

    def agent(self, iri: str, earliest: str | None, latest: str | None) -> dict:
        return {**self.ref(iri), "posts": self.posts_held(iri, earliest, latest)}

    def citation(self, claim: str) -> dict:
        t = self.t
        source = t.first(claim, DKG + "citedIn")
        published = t.value(source, DKG + "publishedOn") if source else None
        attributed = t.first(claim, DKG + "attributedTo")
        followed = t.value(claim, DKG + "followed")
        earliest = t.value(claim, DKG + "claimedEarliestDate")
        count = t.value(claim, DKG + "claimedCount")
        return {"claim": self.ref(claim), "source": self.source(source) if source else None,
                "subject": self.ref(t.first(claim, DKG + "claimAbout")),
                "quote": self.text(t.first(claim, DKG + "quote")),
                "attributed_to": self.agent(attributed, published, published) if attributed else None,
                "reported_as": t.value(claim, DKG + "reportedAs"),
                "followed": None if followed is None else followed == "true",
                "claimed_dates": {"earliest": earliest,
                                  "latest": t.value(claim, DKG + "claimedLatestDate")} if earliest else None,
                "claimed_count": int(count) if count is not None else None}

    def citations(self, claims: list[str]) -> list[dict]:
        found = [self.citation(claim) for claim in claims]
        return sorted(found, key=lambda c: ((c["source"] or {}).get("published") or "",
                                            (c["source"] or {}).get("id") or "",
                                            (c["subject"] or {}).get("id") or ""))

    def dated(self, iri: str) -> tuple[str, str]:
        found = self.date(iri) or {}
        return (found.get("earliest") or "", found.get("latest") or "")

    def tenure(self, iri: str) -> dict:
        t = self.t
        return {"tenure": self.ref(iri), "post": self.ref(t.first(iri, DKG + "tenureOf")),
                "holder": self.ref(t.first(iri, DKG + "holder")),
                "start": t.value(iri, DKG + "startDate"), "end": t.value(iri, DKG + "endDate"),
                "attested": sorted(o.value for o in t.objects(iri, DKG + "attestedOn")),
                "in_office_as_of": t.value(iri, DKG + "inOfficeAsOf")}

    @staticmethod
    def _tenure_order(tenure: dict):
        first = tenure["start"] or (tenure["attested"] or [tenure["in_office_as_of"] or ""])[0]
        return (first, tenure["tenure"]["id"])

    # -- descriptions ------------------------------------------------------------------

    def describe(self, iri: str) -> dict:
        """Everything about one resource (see the module docstring for the shape)."""
        t = self.t
        said = defaultdict(list)
        for p, o in t.said(iri):
            said[p].append(o)

        def take(name: str, ns: str = DKG) -> list:
            return sorted(said.pop(ns + name, []), key=str)

        labels = t.labels(iri)
        take("label", RDFS)
        kind = kind_of(t, iri)
        out = {"iri": iri, "id": compact(iri), "kind": kind, "label": self.label(iri),
               "labels": labels, "short_label": next((o.value for o in take("shortLabel")), None),
               "types": [self.ref(x) for x in t.specific_types(iri)],
               "note": next((o.value for o in take("note", SKOS)), None),
               "external_ids": self._external_ids(take), "sources": []}
        claims = t.pointing(iri, DKG + "claimAbout")
        take("source")
        if kind != "claim":
            out["sources"] = self.citations(claims)
        if t.value(iri, DKG + "earliestDate") is not None:
            self._event(iri, out, take)
        handler = {"person": self._person, "agent": self._agent, "post": self._post,
                   "tenure": self._tenure, "source": self._source, "claim": self._claim,
                   "case": self._case, "class": self._term, "property": self._term,
                   "term": self._term}.get(kind)
        if handler:
            handler(iri, out, take)
        out["properties"] = [{"property": self.ref(p), "value": self.value(o)}
                             for p in sorted(said) for o in sorted(said[p], key=str)]
        out["referenced_by"] = [{"property": self.ref(p), "resource": self.ref(s)}
                                for p, s in t.said_of(iri)
                                if p not in CLAIM_LINKS and kind_of(t, s) != "claim"]
        return out

    def _external_ids(self, take) -> list[dict]:
        found = []
        for o in take("exactMatch", SKOS):
            if isinstance(o, str) and o.startswith(PREFIXES["wd"]):
                found.append({"scheme": "Wikidata", "id": o[len(PREFIXES["wd"]):], "iri": o})
            else:
                found.append({"scheme": "exact match", "id": compact(str(o)), "iri": str(o)})
        found += [{"scheme": "case number", "id": o.value, "iri": None} for o in take("caseNumber")]
        found += [{"scheme": "web domain", "id": o.value, "iri": None} for o in take("webDomain")]
        return found

    def _event(self, iri: str, out: dict, take) -> None:
        t = self.t
        out["date"] = self.date(iri)
        for name in ("earliestDate", "latestDate", "datePrecision", "dateText", "dateResolvedAgainst"):
            take(name)
        earliest, latest = out["date"]["earliest"], out["date"]["latest"]
        out["confidence"] = next((o.value for o in take("confidence")), None)
        for field, prop in (("actors", "actor"), ("participants", "participant"), ("targets", "target")):
            out[field] = [self.agent(a, earliest, latest) for a in take(prop)]
        speaker = take("speaker")
        out["speaker"] = self.agent(speaker[0], earliest, latest) if speaker else None
        for field, prop in EVENT_LISTS.items():
            out[field] = [self.ref(o) for o in take(prop)]
        for field, prop in EVENT_REFS.items():
            found = take(prop)
            out[field] = self.ref(found[0]) if found else None
        for field, prop in EVENT_NUMBERS.items():
            found = take(prop)
            out[field] = int(found[0].value) if found else None
        texts = take("statementText")
        out["text"] = self.text(texts[0]) if texts else None
        notes = take("curationNote")
        out["curation_note"] = notes[0].value if notes else None
        out["responds_to"] = self._dated_refs(take("respondsTo"))
        for field, prop in EVENT_POINTERS.items():
            out[field] = self._dated_refs(t.pointing(iri, DKG + prop))
        steps = t.pointing(iri, DKG + "stepOf")
        out["steps"] = self._steps(steps)

    def _dated_refs(self, events: list[str]) -> list[dict]:
        return [{**self.ref(e), "date": self.date(e)}
                for e in sorted(events, key=lambda e: (self.dated(e), e))]

    def _steps(self, events: list[str]) -> list[dict]:
        return [{"event": self.ref(e), "kind": self.ref(self.t.first(e, DKG + "stepKind")),
                 "date": self.date(e)} for e in sorted(events, key=lambda e: (self.dated(e), e))]

    def _involved(self, iri: str, out: dict) -> None:
        involved = [(p, s) for p, s in self.t.said_of(iri)
                    if p not in CLAIM_LINKS and self.t.value(s, DKG + "earliestDate") is not None]
        out["involved_in"] = [{"role": self.ref(p), "event": self.ref(s), "date": self.date(s)}
                              for p, s in sorted(involved, key=lambda ps: (self.dated(ps[1]), ps[1], ps[0]))]

    def _agent(self, iri: str, out: dict, take) -> None:
        self._involved(iri, out)

    def _person(self, iri: str, out: dict, take) -> None:
        t = self.t
        tenures = []
        for tenure in t.pointing(iri, DKG + "holder"):
            found = self.tenure(tenure)
            del found["holder"]
            found["sources"] = self.citations(t.pointing(tenure, DKG + "claimAbout"))
            tenures.append(found)
        out["tenures"] = sorted(tenures, key=self._tenure_order)
        self._involved(iri, out)
        out["attributed"] = self.citations(t.pointing(iri, DKG + "attributedTo"))

    def _post(self, iri: str, out: dict, take) -> None:
        found = take("postIn")
        out["post_in"] = self.ref(found[0]) if found else None
        out["holders"] = sorted((self.tenure(x) for x in self.t.pointing(iri, DKG + "tenureOf")),
                                key=self._tenure_order)

    def _tenure(self, iri: str, out: dict, take) -> None:
        found = self.tenure(iri)
        del found["tenure"]
        out.update(found)
        for name in ("tenureOf", "holder", "startDate", "endDate", "attestedOn", "inOfficeAsOf"):
            take(name)

    def _source(self, iri: str, out: dict, take) -> None:
        t = self.t
        title = take("title", PREFIXES["dcterms"])
        republished = take("republishedBy")
        out.update({"title": title[0].value if title else None,
                    "publisher": self.ref(next(iter(take("publisher")), None)),
                    "republished_by": self.ref(republished[0]) if republished else None,
                    "published": next((o.value for o in take("publishedOn")), None),
                    "url": next((o.value for o in take("url", SCHEMA)), None),
                    "language": next((o.value for o in take("language", PREFIXES["dcterms"])), None),
                    "claims": self.citations(t.pointing(iri, DKG + "citedIn"))})

    def _claim(self, iri: str, out: dict, take) -> None:
        found = self.citation(iri)
        del found["claim"]
        out.update(found)
        for name in ("claimAbout", "citedIn", "quote", "attributedTo", "reportedAs", "followed",
                     "claimedEarliestDate", "claimedLatestDate", "claimedCount"):
            take(name)

    def _case(self, iri: str, out: dict, take) -> None:
        out["case_number"] = next((x["id"] for x in out["external_ids"] if x["scheme"] == "case number"),
                                  None)
        out["steps"] = self._steps(self.t.pointing(iri, DKG + "partOfCase"))

    def _term(self, iri: str, out: dict, take) -> None:
        definition, comment = take("definition", SKOS), take("comment", RDFS)
        out["definition"] = definition[0].value if definition else None
        out["comment"] = comment[0].value if comment else None
        if out["kind"] == "class":
            out["instances"] = len(self.t.pointing(iri, PREFIXES["rdf"] + "type"))


def describable(t: Triples) -> list[str]:
    """The resources that get a description: everything under our base IRI."""
    return [s for s in t.subjects() if s.startswith(iris.BASE)]


def describe_all(t: Triples) -> dict[str, dict]:
    """Descriptions of every describable resource, by IRI."""
    describer = Describer(t)
    return {iri: describer.describe(iri) for iri in describable(t)}

