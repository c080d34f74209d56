"""Turn typed records into RDF triples: one pure function per record kind.

IRIs are minted from the records' slugs only (no counters, no hashes, no blank
nodes), so the same facts always give the same graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.facts import records as R
from kg.graph import iris
from kg.graph.namespaces import DKG, SCHEMA, TIME, WD, new_graph

Triple = tuple[URIRef, URIRef, URIRef | Literal]

PRECISION_UNITS = {
    "day": TIME.unitDay,
    "week": TIME.unitWeek,
    "month": TIME.unitMonth,
    "year": TIME.unitYear,
}


def iri(kind: str, slug: str) -> URIRef:
    return URIRef(iris.resource_iri(kind, slug))


def _integer(value: int) -> Literal:
    """Integers are typed xsd:integer, never a derived type: Oxigraph's store
    rewrites xsd:positiveInteger to xsd:integer, so derived types would not
    survive a round trip through a SPARQL store. Ranges are checked by SHACL."""
    return Literal(value, datatype=XSD.integer)


def _date(value) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _labels(subject: URIRef, labels: R.Labels) -> Iterator[Triple]:
    for lang, text in labels.by_lang:
        yield subject, RDFS.label, Literal(text, lang=lang)


def _wikidata(subject: URIRef, qid: str | None) -> Iterator[Triple]:
    if qid:
        yield subject, SKOS.exactMatch, WD[qid]


def _refs(subject: URIRef, predicate: URIRef, kind: str, slugs: Iterable[str]) -> Iterator[Triple]:
    for slug in slugs:
        yield subject, predicate, iri(kind, slug)


def claim_iri(subject_kind: str, subject_slug: str, source_slug: str) -> URIRef:
    return iri("claims", f"{iris.KIND_SEGMENTS[subject_kind]}--{subject_slug}--{source_slug}")


def citation_triples(subject_kind: str, subject_slug: str,
                     citations: Iterable[R.Citation]) -> Iterator[Triple]:
    """A claim node per (record, source): what the source says and who it attributes it to."""
    subject = iri(subject_kind, subject_slug)
    for cite in citations:
        claim = claim_iri(subject_kind, subject_slug, cite.source)
        source = iri("sources", cite.source)
        yield subject, DKG.source, source
        yield claim, RDF.type, DKG.Claim
        yield claim, DKG.claimAbout, subject
        yield claim, DKG.citedIn, source
        yield claim, DKG.reportedAs, Literal(cite.reported_as)
        if cite.quote:
            yield claim, DKG.quote, Literal(cite.quote, lang=cite.quote_language)
        if cite.attributed_to:
            yield claim, DKG.attributedTo, iri("agents", cite.attributed_to)
        if cite.date:
            yield claim, DKG.claimedEarliestDate, _date(cite.date.earliest)
            yield claim, DKG.claimedLatestDate, _date(cite.date.latest)
        if cite.count is not None:
            yield claim, DKG.claimedCount, _integer(cite.count)
        if cite.followed is not None:
            yield claim, DKG.followed, Literal(cite.followed)


def date_triples(subject: URIRef, when: R.DateRange) -> Iterator[Triple]:
    yield subject, DKG.earliestDate, _date(when.earliest)
    yield subject, DKG.latestDate, _date(when.latest)
    yield subject, DKG.datePrecision, PRECISION_UNITS[when.precision]
    if when.phrase:
        yield subject, DKG.dateText, Literal(when.phrase)
    if when.resolved_against:
        yield subject, DKG.dateResolvedAgainst, iri("sources", when.resolved_against)


def source_triples(rec: R.Source) -> Iterator[Triple]:
    s = iri("sources", rec.id)
    yield s, RDF.type, DKG[rec.type]
    yield s, DCTERMS.title, Literal(rec.title, lang=rec.language)
    yield s, RDFS.label, Literal(rec.title, lang=rec.language)
    yield s, DKG.publisher, iri("agents", rec.publisher)
    yield s, DKG.publishedOn, _date(rec.published)
    yield s, DCTERMS.language, Literal(rec.language, datatype=XSD.language)
    if rec.url:
        yield s, SCHEMA.url, Literal(rec.url, datatype=XSD.anyURI)
    if rec.republished_by:
        yield s, DKG.republishedBy, iri("agents", rec.republished_by)


def agent_triples(rec: R.Agent) -> Iterator[Triple]:
    s = iri("agents", rec.id)
    yield s, RDF.type, DKG[rec.type]
    yield from _labels(s, rec.label)
    yield from _wikidata(s, rec.wikidata)
    if rec.description:
        yield s, SKOS.note, Literal(rec.description, lang="en")
    if rec.country:
        yield s, SCHEMA.nationality if rec.type == "Person" else SCHEMA.location, iri("agents", rec.country)
    if rec.part_of:
        yield s, SCHEMA.parentOrganization, iri("agents", rec.part_of)
    for name in rec.domains:
        yield s, DKG.webDomain, Literal(name)


def place_triples(rec: R.Place) -> Iterator[Triple]:
    s = iri("places", rec.id)
    yield s, RDF.type, DKG.Place
    yield from _labels(s, rec.label)
    yield from _wikidata(s, rec.wikidata)
    if rec.country:
        yield s, SCHEMA.containedInPlace, iri("agents", rec.country)


def material_triples(rec: R.Material) -> Iterator[Triple]:
    s = iri("materials", rec.id)
    yield s, RDF.type, DKG.Material
    yield from _labels(s, rec.label)
    if rec.used_in:
        yield s, DKG.usedIn, Literal(rec.used_in, lang="en")
    if rec.description:
        yield s, SKOS.note, Literal(rec.description, lang="en")
    yield from citation_triples("materials", rec.id, rec.sources)


def post_triples(rec: R.Post) -> Iterator[Triple]:
    s = iri("posts", rec.id)
    yield s, RDF.type, DKG.Post
    yield from _labels(s, rec.label)
    yield s, DKG.postIn, iri("agents", rec.post_in)


def tenure_triples(rec: R.Tenure) -> Iterator[Triple]:
    s = iri("tenures", rec.id)
    yield s, RDF.type, DKG.Tenure
    yield s, DKG.tenureOf, iri("posts", rec.post)
    yield s, DKG.holder, iri("agents", rec.holder)
    if rec.start:
        yield s, DKG.startDate, _date(rec.start)
    if rec.end:
        yield s, DKG.endDate, _date(rec.end)
    for day in rec.attested:
        yield s, DKG.attestedOn, _date(day)
    if rec.in_office_as_of:
        yield s, DKG.inOfficeAsOf, _date(rec.in_office_as_of)
    yield from citation_triples("tenures", rec.id, rec.sources)


def event_triples(rec: R.Event) -> Iterator[Triple]:
    s = iri("events", rec.id)
    yield s, RDF.type, DKG[rec.type]
    yield from _labels(s, rec.label)
    yield from date_triples(s, rec.date)
    yield from _refs(s, DKG.actor, "agents", rec.actor)
    yield from _refs(s, DKG.target, "agents", rec.target)
    yield from _refs(s, DKG.participant, "agents", rec.participant)
    yield from _refs(s, DKG.representing, "agents", rec.representing)
    yield from _refs(s, DKG.concernsMaterial, "materials", rec.material)
    yield from _refs(s, DKG.endUser, "agents", rec.end_user)
    yield from _refs(s, DKG.respondsTo, "events", rec.responds_to)
    if rec.under_measure:
        yield s, DKG.underMeasure, iri("events", rec.under_measure)
    if rec.place:
        yield s, DKG.place, iri("places", rec.place)
    if rec.in_capacity_of:
        yield s, DKG.inCapacityOf, iri("posts", rec.in_capacity_of)
    if rec.material_count is not None:
        yield s, DKG.materialCount, _integer(rec.material_count)
    if rec.ordinal is not None:
        yield s, DKG.ordinal, _integer(rec.ordinal)
    yield s, DKG.confidence, Literal(rec.confidence)
    if rec.description:
        yield s, SKOS.note, Literal(rec.description, lang="en")
    if rec.curation_note:
        yield s, DKG.curationNote, Literal(rec.curation_note, lang="en")
    if rec.step_of:
        yield s, DKG.stepOf, iri("events", rec.step_of)
        yield s, DKG.stepKind, DKG[R.STEP_KINDS[rec.step]]
    yield from _refs(s, DKG.concernsAgreement, "agreements", rec.agreement)
    if rec.case:
        yield s, DKG.partOfCase, iri("cases", rec.case)
    if rec.approval_count is not None:
        yield s, DKG.approvalCount, _integer(rec.approval_count)
    if rec.amends:
        yield s, DKG.amends, iri("events", rec.amends)
    if rec.status:
        yield s, DKG.eventStatus, DKG[rec.status]
    if rec.short_label:
        yield s, DKG.shortLabel, Literal(rec.short_label, lang="en")
    yield from citation_triples("events", rec.id, rec.sources)


def _documented(section: str, cls, rec) -> Iterator[Triple]:
    """Type, labels, Wikidata link, note and citations: what agreements and cases share."""
    s = iri(section, rec.id)
    yield s, RDF.type, cls
    yield from _labels(s, rec.label)
    yield from _wikidata(s, rec.wikidata)
    if rec.description:
        yield s, SKOS.note, Literal(rec.description, lang="en")
    yield from citation_triples(section, rec.id, rec.sources)


def agreement_triples(rec: R.Agreement) -> Iterator[Triple]:
    yield from _documented("agreements", DKG.Agreement, rec)


def case_triples(rec: R.Case) -> Iterator[Triple]:
    yield from _documented("cases", DKG.LegalCase, rec)
    if rec.number:
        yield iri("cases", rec.id), DKG.caseNumber, Literal(rec.number)


def statement_triples(rec: R.Statement) -> Iterator[Triple]:
    s = iri("statements", rec.id)
    yield s, RDF.type, DKG[rec.type]
    yield from _labels(s, rec.label)
    yield from date_triples(s, rec.date)
    yield s, DKG.speaker, iri("agents", rec.speaker)
    yield from _refs(s, DKG.about, "events", rec.about)
    if rec.text:
        yield s, DKG.statementText, Literal(rec.text, lang=rec.language)
    if rec.in_capacity_of:
        yield s, DKG.inCapacityOf, iri("posts", rec.in_capacity_of)
    if rec.place:
        yield s, DKG.place, iri("places", rec.place)
    yield s, DKG.confidence, Literal(rec.confidence)
    yield from citation_triples("statements", rec.id, rec.sources)


TRIPLES_BY_SECTION = {
    "sources": source_triples,
    "agents": agent_triples,
    "places": place_triples,
    "materials": material_triples,
    "posts": post_triples,
    "tenures": tenure_triples,
    "agreements": agreement_triples,
    "cases": case_triples,
    "events": event_triples,
    "statements": statement_triples,
}


def fact_triples(facts: R.Facts) -> Iterator[Triple]:
    for section, to_triples in TRIPLES_BY_SECTION.items():
        for record in facts.section(section):
            yield from to_triples(record)


def load_ontology(paths: list[Path] | None = None) -> Graph:
    """The ontology files, parsed without following owl:imports."""
    from kg.graph.rdfio import parse_file
    from kg.resources import ontology_files

    graph = new_graph()
    for path in paths or ontology_files():
        parse_file(path, graph)
    return graph


def build_graph(facts: R.Facts, ontology: Graph | None = None) -> Graph:
    """The asserted graph: the ontology plus the triples of every curated record.

    Args:
        facts: records from :func:`kg.facts.loader.load_facts`.
        ontology: the ontology graph; the packaged ontology by default.

    Returns:
        A new rdflib graph with our prefixes bound.
    """
    graph = new_graph()
    for triple in ontology if ontology is not None else load_ontology():
        graph.add(triple)
    for triple in fact_triples(facts):
        graph.add(triple)
    return graph
