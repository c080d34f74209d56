"""The facts schema (kg/facts/schema.py) against the ontology and the shapes: every property it
writes is declared with a matching domain and range, every required field has a sh:minCount, and
every property of our own that the ontology declares is written by the schema or derived."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.namespace import XSD

from kg.facts.schema import PARTS, SECTIONS
from kg.graph.iris import PREFIXES
from kg.graph.ontology import load_ontology
from kg.shacl.validate import SH, load_shapes

ONTOLOGY = load_ontology()
SHAPES = load_shapes()
PLAIN_LITERAL = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#PlainLiteral")
#: Our properties the schema does not write, and why each may stay out of it.
DERIVED = {
    "dkg:claimAbout": "written for every citation, linking the claim node to its record",
    "dkg:hasClaim": "inverse of dkg:claimAbout, entailed",
    "dkg:actorIn": "inverse of dkg:actor, entailed",
    "dkg:hasStep": "inverse of dkg:stepOf, entailed",
    "dkg:hasTenure": "inverse of dkg:tenureOf, entailed",
    "dkg:heldTenure": "inverse of dkg:holder, entailed",
    "dkg:hasCaseStep": "inverse of dkg:partOfCase, entailed",
    "dkg:follows": "inverse of dkg:precedes, entailed",
    "dkg:precedes": "entailed from dkg:respondsTo",
    "dkg:stepOrder": "a property of the ontology's own step kinds",
}


def expand(curie: str) -> URIRef:
    prefix, local = curie.split(":", 1)
    return URIRef(PREFIXES[prefix] + local)


#: Subclass axioms of the vocabularies we reuse, which the ontology does not import.
REUSED = {URIRef("http://www.w3.org/ns/org#FormalOrganization"): URIRef("http://www.w3.org/ns/org#Organization")}


def ancestors(cls: URIRef) -> set[URIRef]:
    found, stack = {cls}, [cls]
    while stack:
        node = stack.pop()
        for parent in [*ONTOLOGY.objects(node, RDFS.subClassOf), *filter(None, [REUSED.get(node)])]:
            if isinstance(parent, URIRef) and parent not in found:
                found.add(parent)
                stack.append(parent)
    return found | {OWL.Thing}


def classes(kind) -> set[URIRef]:
    """The classes a record of this kind can have."""
    if kind.rdf_class:
        return {expand(kind.rdf_class)}
    return {expand(f"dkg:{choice}") for choice in kind.by_key["type"].choices}


def writes():
    """(kind, field, property, the classes of the subject) for every property the schema writes."""
    found = []
    for kind in SECTIONS.values():
        for field in kind.fields:
            if field.type == "daterange" and not field.prop:
                for sub in PARTS["daterange"].fields:
                    found += [(kind, sub, p, classes(kind)) for p in sub.properties]
            found += [(kind, field, p, classes(kind)) for p in field.properties]
    for sub in PARTS["citations"].fields:
        found += [(PARTS["citations"], sub, p, {expand("dkg:Claim")}) for p in sub.properties]
    return found


WRITES = writes()


def _id(item) -> str:
    kind, field, prop, _ = item
    return f"{kind.name}.{field.key}:{prop}"


@pytest.mark.parametrize("item", WRITES, ids=_id)
def test_every_property_is_declared(item):
    _, _, prop, _ = item
    declared = set(ONTOLOGY.objects(expand(prop), RDF.type))
    assert prop == "rdfs:label" or declared & {OWL.ObjectProperty, OWL.DatatypeProperty,
                                               OWL.AnnotationProperty}, f"{prop} is not declared"


@pytest.mark.parametrize("item", [w for w in WRITES if w[2].startswith("dkg:")], ids=_id)
def test_domain_matches(item):
    kind, field, prop, subject_classes = item
    domains = set(ONTOLOGY.objects(expand(prop), RDFS.domain))
    assert domains, f"{prop} has no rdfs:domain"
    for domain in domains:
        # The subject's class is the domain or below it; a property of some types of a kind
        # (dkg:participant of meetings) has one of those types as its domain.
        assert any(domain in ancestors(cls) or cls in ancestors(domain) for cls in subject_classes), \
            f"{prop}: domain {domain} does not fit {kind.name}"


def _expected_ranges(field) -> set[URIRef] | None:
    simple = {"date": {XSD.date}, "count": {XSD.integer}, "amount": {XSD.integer},
              "flag": {XSD.boolean}, "url": {XSD.anyURI}, "lang": {XSD.language},
              "domain": {XSD.string}, "slug": {XSD.string}}
    if field.type in simple:
        return simple[field.type]
    if field.type in ("line", "text"):
        return {PLAIN_LITERAL, RDF.langString} if field.language else {XSD.string}
    if field.type == "choice" and not field.values:
        return {XSD.string}
    if field.type == "daterange":
        return {XSD.date}
    return None


@pytest.mark.parametrize("item", [w for w in WRITES if w[2].startswith("dkg:")], ids=_id)
def test_range_matches(item):
    _, field, prop, _ = item
    ranges = set(ONTOLOGY.objects(expand(prop), RDFS.range))
    assert len(ranges) == 1, f"{prop} needs exactly one rdfs:range"
    (declared,) = ranges
    expected = _expected_ranges(field)
    if expected is not None:
        assert declared in expected, f"{prop}: range {declared}, expected one of {expected}"
    elif field.type in ("ref", "citations"):
        target = SECTIONS["sources" if field.type == "citations" else field.ref]
        allowed = ({expand(f"dkg:{t}") for t in field.ref_types} if field.ref_types
                   else classes(target))
        for cls in allowed:
            assert declared in ancestors(cls), f"{prop}: a {cls} is not a {declared}"
    elif field.type == "choice":
        for _, value in field.values:
            types = set(ONTOLOGY.objects(expand(value), RDF.type))
            assert declared in types or not types and value.startswith("time:"), \
                f"{prop}: {value} is not a {declared}"


def test_every_property_of_ours_is_written_by_the_schema_or_derived():
    ours = set()
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        ours |= {ONTOLOGY.namespace_manager.normalizeUri(p) for p in ONTOLOGY.subjects(RDF.type, kind)
                 if str(p).startswith(PREFIXES["dkg"])}
    written = {prop for _, _, prop, _ in WRITES}
    assert ours - written - set(DERIVED) == set()
    assert set(DERIVED) <= ours, "a derived property is no longer in the ontology"


def _min_counts() -> dict[URIRef, set[URIRef]]:
    """Path -> the classes whose shapes give it a sh:minCount of at least 1."""
    found: dict[URIRef, set[URIRef]] = {}
    for shape in set(SHAPES.subjects(RDF.type, SH.NodeShape)):
        targets = set(SHAPES.objects(shape, SH.targetClass))
        for prop_shape in SHAPES.objects(shape, SH.property):
            path = SHAPES.value(prop_shape, SH.path)
            least = SHAPES.value(prop_shape, SH.minCount)
            if isinstance(path, URIRef) and least is not None and int(least) >= 1:
                found.setdefault(path, set()).update(targets)
    return found


REQUIRED = [(kind, field) for kind in SECTIONS.values() for field in kind.fields
            if field.required and field.key != "type"]


@pytest.mark.parametrize("kind, field", REQUIRED, ids=[f"{k.name}.{f.key}" for k, f in REQUIRED])
def test_every_required_field_has_a_min_count_shape(kind, field):
    if field.type == "daterange":
        paths = [expand(p) for sub in PARTS["daterange"].fields if sub.required for p in sub.properties]
    else:
        paths = [expand(p) for p in field.properties]
    counted = _min_counts()
    assert any(target in ancestors(cls) for path in paths for cls in classes(kind)
               for target in counted.get(path, ())), \
        f"{kind.name}.{field.key}: no shape of its class gives {paths} a sh:minCount"
