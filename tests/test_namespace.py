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
