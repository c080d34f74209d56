"""Turn typed records into RDF triples, as the schema says: one writer per field type.

Each field of :mod:`kg.facts.schema` names its property and type; :func:`record_triples`
writes any record by walking its kind's fields, so a new field needs no code here. IRIs are
minted from the records' slugs only (no counters, no hashes, no blank nodes), so the same facts
always give the same graph. Terms are pyoxigraph's (the pipeline's one term type); a triple
prints as its N-Triples line.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import pyoxigraph as ox

from kg.facts import records as R
from kg.facts.schema import PARTS, SECTIONS, Field, Kind
from kg.graph import iris

XSD = "http://www.w3.org/2001/XMLSchema#"
Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]


@cache
def node(curie: str) -> ox.NamedNode:
    """The IRI of a CURIE over our prefixes (``dkg:actor``), made once."""
    prefix, local = curie.split(":", 1)
    return ox.NamedNode(iris.PREFIXES[prefix] + local)


@cache
def _datatype(name: str) -> ox.NamedNode:
    return ox.NamedNode(XSD + name)


def iri(section: str, slug: str) -> ox.NamedNode:
    """The IRI of a curated record."""
    return ox.NamedNode(iris.resource_iri(section, slug))


def claim_iri(section: str, slug: str, source: str) -> ox.NamedNode:
    """The claim a source makes about a record: one node per (record, source)."""
    return iri("claims", f"{iris.KIND_SEGMENTS[section]}--{slug}--{source}")


def _literal(field: Field, value: str, language: str | None) -> ox.Literal:
    tag = {None: None, "@language": language, "@source": language}.get(field.language,
                                                                       field.language)
    return ox.Literal(value, language=tag) if tag else ox.Literal(value)


def _term(field: Field, value, language: str | None):
    """One value of a field as an RDF term."""
    kind = field.type
    if kind == "ref":
        return iri(field.ref, value)
    if kind in ("line", "text"):
        return _literal(field, value, language)
    if kind == "date":
        return ox.Literal(value.isoformat(), datatype=_datatype("date"))
    if kind in ("count", "amount"):
        return ox.Literal(str(value), datatype=_datatype("integer"))
    if kind == "flag":
        return ox.Literal("true" if value else "false", datatype=_datatype("boolean"))
    if kind == "url":
        return ox.Literal(value, datatype=_datatype("anyURI"))
    if kind == "lang":
        return ox.Literal(value, datatype=_datatype("language"))
    if kind == "wikidata":
        return node(f"wd:{value}")
    if kind == "choice" and field.values:
        return node(dict(field.values)[value])
    if kind in ("choice", "domain", "slug"):
        return ox.Literal(value)
    raise AssertionError(f"no writer for field type {kind!r}")


def _fields(subject: ox.NamedNode, kind: Kind, record, section: str, slug: str,
            language: str | None) -> Iterator[Triple]:
    """The triples of a record's (or a part's) fields."""
    record_type = getattr(record, "type", None)
    for field in kind.fields:
        value = getattr(record, field.key)
        if value is None or value == ():
            continue
        if field.type == "labels":
            for tag, text in value.by_lang:
                yield subject, node("rdfs:label"), ox.Literal(text, language=tag)
        elif field.type == "daterange":
            yield from _daterange(subject, field, value)
        elif field.type == "citations":
            yield from _citations(subject, section, slug, value)
        else:
            predicates = [node(p) for p in field.property_for(record_type)]
            for item in value if field.many else (value,):
                term = _term(field, item, language)
                for predicate in predicates:
                    yield subject, predicate, term


def _daterange(subject: ox.NamedNode, field: Field, when) -> Iterator[Triple]:
    """A record's dates (its own properties), or a claim's dates (the field's pair)."""
    if field.prop:
        earliest, latest = (node(p) for p in field.properties)
        yield subject, earliest, _term(Field("", "date"), when.earliest, None)
        yield subject, latest, _term(Field("", "date"), when.latest, None)
        return
    yield from _fields(subject, PARTS["daterange"], when, "", "", None)


def _citations(subject: ox.NamedNode, section: str, slug: str, citations) -> Iterator[Triple]:
    """A claim node per (record, source): what the source says and who it attributes it to."""
    kind = PARTS["citations"]
    for cite in citations:
        claim = claim_iri(section, slug, cite.source)
        yield subject, node("dkg:source"), iri("sources", cite.source)
        yield claim, node("rdf:type"), node(kind.rdf_class)
        yield claim, node("dkg:claimAbout"), subject
        yield from _fields(claim, kind, cite, section, slug, cite.quote_language)


def record_triples(section: str, record) -> Iterator[Triple]:
    """Every triple of one curated record of the given section."""
    kind = SECTIONS[section]
    subject = iri(section, record.id)
    yield subject, node("rdf:type"), node(kind.rdf_class or f"dkg:{record.type}")
    yield from _fields(subject, kind, record, section, record.id, getattr(record, "language", None))


def fact_triples(facts: R.Facts) -> Iterator[Triple]:
    """The triples of every curated record, section by section."""
    for section in SECTIONS:
        for record in facts.section(section):
            yield from record_triples(section, record)


def fact_lines(facts: R.Facts) -> set[str]:
    """The curated records as N-Triples lines (without the newline)."""
    return {f"{s} {p} {o} ." for s, p, o in fact_triples(facts)}
