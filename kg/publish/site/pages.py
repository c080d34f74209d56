"""What a resource's page shows, as plain data for its template.

Each page is built from the graph alone: the resource's own statements (property by property,
in words from the ontology), the sources that back it with their quotes and attribution (its
``dkg:Claim``s), and everything else in the graph that points to it. Links are relative, so
the site works from a folder, from ``dispute-kg serve`` and once published.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import escape

from kg.graph import iris
from kg.publish.site.graph import RDF_TYPE, RDFS_LABEL, Literal
from kg.publish.site.model import DKG, Resource, SiteModel, href
from kg.publish.timeline import PRECISION_NAMES

XSD = iris.PREFIXES["xsd"]
#: Datatypes shown without a note: the text says what it is.
PLAIN = {XSD + name for name in ("string", "date", "integer", "anyURI", "language")}
#: OWL-Time units of date precision, in words.
UNITS = {f"time:{unit}": name for unit, name in PRECISION_NAMES.items()}
CLAIM_ABOUT, CITED_IN, SOURCE = DKG + "claimAbout", DKG + "citedIn", DKG + "source"
#: Shown elsewhere on the page (title, kind, sources), not in the table of statements.
NOT_IN_TABLE = {RDF_TYPE, RDFS_LABEL}
#: Properties shown first, in this order; the rest follow by label.
FIRST = tuple(DKG + name for name in (
    "earliestDate", "latestDate", "datePrecision", "dateText", "dateResolvedAgainst", "eventStatus",
    "actor", "target", "participant", "speaker", "holder", "tenureOf", "startDate", "endDate",
    "publishedOn", "publisher")) + (iris.PREFIXES["dcterms"] + "title",)


@dataclass(frozen=True)
class Value:
    """One value as the page shows it: text, and a link where it leads somewhere.

    Templates print a value as it is (``{{ value }}``): :meth:`__html__` fills one fixed markup
    pattern, every part through markupsafe's ``escape`` (Jinja2's own escaping), so a value
    holding ``<script>`` shows as text, and a page with hundreds of values costs no macro call
    per value.
    """

    text: str
    href: str | None = None
    lang: str | None = None      # for text in another language than English
    note: str | None = None      # the language or datatype, in small print
    external: bool = False
    title: str | None = None     # the compact IRI, on hover

    def __html__(self) -> str:
        lang = f' lang="{escape(self.lang)}"' if self.lang else ""
        if self.href:
            extra = f' title="{escape(self.title)}"' if self.title else ""
            if self.external:
                extra += ' rel="external noopener noreferrer"'
            shown = f'<a href="{escape(self.href)}"{extra}{lang}>{escape(self.text)}</a>'
        elif self.lang:
            shown = f"<span{lang}>{escape(self.text)}</span>"
        else:
            shown = escape(self.text)
        return shown + (f" <small>{escape(self.note)}</small>" if self.note else "")


@dataclass(frozen=True)
class Row:
    label: str
    iri: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Backing:
    """A source that backs the resource (one claim), with what it says."""

    source: Value
    claim: Value
    anchor: str                  # the claim's id on its record's page
    quote: Value | None
    details: tuple[Row, ...]


@dataclass
class ResourcePage:
    resource: Resource
    other_names: list[Value]
    when: str | None
    rows: list[Row]
    backing: list[Backing]
    cited_for: list[Backing]
    incoming: list[Row]
    original: str | None = None          # a source document's own address
    status: str | None = None            # planned / unconfirmed
    alternates: dict[str, str] = field(default_factory=dict)


class PageBuilder:
    """Turns the model into page data; ``when`` gives an event's date in words (from the timeline)."""

    def __init__(self, model: SiteModel, when: dict[str, str] | None = None, anchors: set[str] = frozenset()):
        """
        Args:
            model: the site's resources.
            when: event IRI -> its date in words.
            anchors: the ids of the ontology's page (pyLODE's: a term's name, or lower-cased).
        """
        self.model, self.graph = model, model.graph
        self.when = when or {}
        self.anchors = {}
        for name in {iri[len(DKG):] for iri in self.graph.out if iri.startswith(DKG)}:
            found = next((n for n in (name, name.lower()) if n in anchors), None)
            if found:
                self.anchors[name] = "#" + found

    def page(self, resource: Resource) -> ResourcePage:
        graph, iri, at = self.graph, resource.iri, resource.page
        others = [self._literal(lit) for lit in graph.labels(iri)
                  if lit.value != resource.title or lit.language != resource.title_lang]
        claims = sorted(graph.claims(iri), key=self._claim_order)
        backed = {graph.first(c, CITED_IN) for c in claims}
        rows = self._rows(iri, at, skip={SOURCE} if backed else set())
        uncited = [o for o in graph.objects(iri, SOURCE) if o not in backed]
        backing = [self._backing(c, at, about=False) for c in claims]
        backing += [Backing(self.value(s, at), self.value(s, at), "", None, ()) for s in sorted(uncited)]
        citing = sorted((s for p, s in graph.incoming.get(iri, ()) if p == CITED_IN),
                        key=lambda c: self._claim_order(c))
        incoming = self._incoming(iri, at, skip={CLAIM_ABOUT, CITED_IN})
        status = graph.first(iri, DKG + "eventStatus")
        url = graph.first(iri, iris.PREFIXES["schema"] + "url")
        return ResourcePage(resource, others, self.when.get(iri), rows, backing,
                            [self._backing(c, at, about=True) for c in citing], incoming,
                            original=url.value if isinstance(url, Literal) and _web(url.value) else None,
                            status=self.model.class_label(status) if isinstance(status, str) else None)

    # -- values -------------------------------------------------------------------------------

    def value(self, term, at: str) -> Value:
        """A value linked from the page at ``at``: our resources by title, others by label or IRI."""
        if isinstance(term, Literal):
            return self._literal(term)
        target = self.model.resources.get(term)
        claim = self.model.claim_link(term) if target is None else None
        if claim is not None:
            record, anchor = claim
            return Value(record.title, f"{href(at, record.page)}#{anchor}", title=_compact(term),
                         lang=None if record.title_lang == "en" else record.title_lang)
        if target is not None:
            return Value(target.title, href(at, target.page), title=target.compact,
                         lang=None if target.title_lang == "en" else target.title_lang)
        compact = _compact(term)
        label = self.graph.label(term) or UNITS.get(compact)
        if term.startswith(DKG):
            anchor = self.anchors.get(term[len(DKG):], "")
            return Value(label or compact, href(at, "../ontology.html") + anchor, title=compact)
        if _web(term):
            return Value(label or compact, term, title=compact, external=True)
        return Value(label or compact, title=compact)

    def _literal(self, lit: Literal) -> Value:
        if lit.language:
            return Value(lit.value, lang=None if lit.language == "en" else lit.language,
                         note=None if lit.language == "en" else lit.language)
        if lit.datatype == XSD + "anyURI" and _web(lit.value):
            return Value(lit.value, lit.value, external=True)
        if lit.datatype == XSD + "boolean":
            return Value({"true": "yes", "false": "no"}.get(lit.value, lit.value))
        note = None if lit.datatype in PLAIN else _compact(lit.datatype)
        return Value(lit.value, note=note)

    def _rows(self, iri: str, at: str, skip: set[str]) -> list[Row]:
        grouped: dict[str, list] = {}
        for predicate, obj in self.graph.out.get(iri, ()):
            if predicate not in NOT_IN_TABLE and predicate not in skip:
                grouped.setdefault(predicate, []).append(obj)
        return sorted((Row(self._property(p), p, tuple(sorted((self.value(o, at) for o in objs),
                                                              key=_value_order)))
                       for p, objs in grouped.items()), key=_row_order)

    def _incoming(self, iri: str, at: str, skip: set[str]) -> list[Row]:
        grouped: dict[str, list[str]] = {}
        for predicate, subject in self.graph.incoming.get(iri, ()):
            if predicate not in skip and predicate != RDF_TYPE:
                grouped.setdefault(predicate, []).append(subject)
        return sorted((Row(self._property(p), p, tuple(sorted((self.value(s, at) for s in subjects),
                                                              key=_value_order)))
                       for p, subjects in grouped.items()), key=lambda row: (row.label, row.iri))

    def _property(self, predicate: str) -> str:
        return self.graph.label(predicate) or _compact(predicate)

    def _claim_order(self, claim: str):
        source = self.graph.first(claim, CITED_IN)
        published = self.graph.first(source, DKG + "publishedOn") if isinstance(source, str) else None
        return (published.value if isinstance(published, Literal) else "", claim)

    def _backing(self, claim: str, at: str, about: bool) -> Backing:
        """A claim as a source backing the record (``about``: as what a source is cited for)."""
        graph = self.graph
        quote = graph.first(claim, DKG + "quote")
        shown = CLAIM_ABOUT if about else CITED_IN
        rows = self._rows(claim, at, skip={shown, DKG + "quote", CLAIM_ABOUT, CITED_IN})
        source = graph.first(claim, shown)
        if about:  # the record, at the claim on its page
            return Backing(self.value(claim, at), self.value(claim, at), claim.rsplit("/", 1)[-1],
                           self._literal(quote) if isinstance(quote, Literal) else None, tuple(rows))
        return Backing(self.value(source, at) if source else self.value(claim, at), self.value(claim, at),
                       claim.rsplit("/", 1)[-1], self._literal(quote) if isinstance(quote, Literal) else None,
                       tuple(rows))


def _row_order(row: Row):
    return (FIRST.index(row.iri) if row.iri in FIRST else len(FIRST), row.label, row.iri)


def _value_order(value: Value):
    return (value.text.casefold(), value.href or "")


def _web(text: str) -> bool:
    return text.startswith(("https://", "http://"))


_compact = iris.compact
