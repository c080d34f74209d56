"""Our closed namespace matches the ontology, and every term is documented."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, SKOS, URIRef

from kg.graph import iris
from kg.graph.ontology import load_ontology
from kg.graph.namespaces import DKG


def ontology_terms(graph) -> set[str]:
    return {str(s)[len(iris.DKG):] for s in graph.subjects()
            if isinstance(s, URIRef) and str(s).startswith(iris.DKG)}


def test_namespace_lists_exactly_the_ontology_terms():
    declared = set(DKG.__annotations__)
    assert declared == ontology_terms(load_ontology())


def test_every_term_has_label_and_definition():
    graph = load_ontology()
    for name in ontology_terms(graph):
        term = URIRef(iris.DKG + name)
        assert graph.value(term, RDFS.label) is not None, f"{name} has no rdfs:label"
        assert graph.value(term, SKOS.definition) is not None, f"{name} has no skos:definition"


def test_every_term_is_typed():
    graph = load_ontology()
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    for name in ontology_terms(graph):
        types = set(graph.objects(URIRef(iris.DKG + name), RDF.type))
        concept = {DKG.StepKind, DKG.EventStatus, SKOS.Concept, SKOS.ConceptScheme}
        assert types & kinds or types & concept, f"{name} is untyped"


def test_header_metadata():
    graph = load_ontology()
    ontology = URIRef(iris.ONTOLOGY_IRI)
    for prop in ("versionIRI", "versionInfo"):
        assert graph.value(ontology, OWL[prop]) is not None
    import kg

    assert str(graph.value(ontology, OWL.versionInfo)) == kg.__version__


def test_one_rule_shortens_iris_everywhere():
    """Results, pages, diffs, messages and VoID slugs shorten IRIs with kg.graph.iris.split."""
    from kg.publish import diff
    from kg.publish.site import pages
    from kg.query import prefixes

    event = iris.ID + "event/second-photoresist-approval"
    assert iris.compact(event) == "event:second-photoresist-approval", "the longest namespace wins"
    assert iris.compact(iris.DKG + "Event") == "dkg:Event"
    assert iris.compact("http://example.org/x") == "http://example.org/x"
    assert iris.split(iris.ID + "event/a/b") == ("event", "a/b")
    assert iris.split(iris.ID + "event/a/b", plain=True) is None, "no name to print in a message"
    assert iris.split(iris.DKG + "a b", plain=True) is None
    assert prefixes.compact is diff.short is pages._compact is iris.compact


def test_messages_and_slugs_use_plain_names():
    from kg.publish.void import _slug
    from kg.reason.gate import _name_iri
    from kg.shacl.validate import _short

    assert _name_iri(iris.ID + "agent/japan") == "agent:japan"
    assert _name_iri(iris.ID + "agent/a b") == f"<{iris.ID}agent/a b>"
    assert _short(URIRef("http://www.w3.org/ns/shacl#minCount")) == "sh:minCount"
    assert _slug(URIRef(iris.DKG + "Event")) == "dkg-Event"
    assert _slug(URIRef("http://example.org/a#b")) == "http%3A%2F%2Fexample.org%2Fa%23b"
