"""The fast SHACL engine gives pySHACL's results: the same (focus, path, component,
source shape, value, severity, message) for every result, on the curated graph,
on a generated graph, on a generated graph with many kinds of mistakes, and on
every example under tests/data/shapes. Unsupported SHACL is an error, not a skip.
"""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef

from kg.errors import ShapesError
from kg.graph import iris
from kg.graph.namespaces import DKG, SCHEMA, TIME
from kg.shacl.validate import load_shapes, validate_graph
from tests import shape_examples
from tests.shape_examples import EXAMPLES

SH = "http://www.w3.org/ns/shacl#"


@pytest.fixture(scope="module")
def shapes():
    return load_shapes()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The validation view of a small generated dispute (the benchmarks' generator)."""
    from benchmarks.generate import generate
    from kg.pipeline import build

    folder = tmp_path_factory.mktemp("generated")
    generate(folder, triples=3000, seed=7)
    return build(folder).rdflib("view")


def same_results(graph: Graph, shapes) -> set:
    return agree(validate_graph(graph, shapes, engine="fast"), validate_graph(graph, shapes, engine="pyshacl"))


def agree(fast, reference) -> set:
    assert fast.keys() == reference.keys(), (
        f"only fast: {sorted(fast.keys() - reference.keys())}\n"
        f"only pyshacl: {sorted(reference.keys() - fast.keys())}")
    assert fast.conforms == reference.conforms
    return fast.keys()


@pytest.mark.slow
def test_curated_graph(built, shapes):
    same_results(built.rdflib("view"), shapes)


@pytest.mark.slow
def test_generated_graph_conforms_in_both(generated, shapes):
    assert same_results(generated, shapes) == set()


def agent(slug: str) -> URIRef:
    return URIRef(iris.resource_iri("agents", slug))


def event(slug: str) -> URIRef:
    return URIRef(iris.resource_iri("events", slug))


@pytest.mark.slow
def test_generated_graph_with_mistakes(generated, shapes):
    """One mistake per kind of constraint; both engines must report each the same way."""
    graph = Graph(bind_namespaces="none")
    graph += generated
    state, firm = agent("state-1"), agent("d0-firm-0")
    person = min(graph.subjects(RDF.type, DKG.Person))
    tenure = min(graph.subjects(RDF.type, DKG.Tenure))
    approval, measure = event("d0-approval-1"), event("d0-tightening")
    source = URIRef(iris.resource_iri("sources", "d0-report-3"))
    for triple in graph.triples((firm, RDFS.label, None)):
        graph.remove(triple)  # minCount and the qualified English label
    graph.add((person, RDFS.label, Literal("Another name", lang="en")))  # uniqueLang
    graph.add((state, RDFS.label, Literal("État", lang="fr")))  # languageIn
    graph.add((state, SKOS.exactMatch, URIRef("http://example.org/Q1")))  # pattern
    graph.add((state, SKOS.exactMatch, Literal("Q5")))  # nodeKind and pattern
    graph.add((person, SCHEMA.nationality, firm))  # class and maxCount
    graph.add((tenure, DKG.attestedOn, Literal("2016-01-01")))  # datatype, untyped date
    graph.add((approval, DKG.datePrecision, TIME.unitHour))  # in, maxCount
    graph.add((approval, DKG.ordinal, Literal("0", datatype=XSD.integer)))  # minInclusive
    graph.add((approval, DKG.ordinal, Literal("7", datatype=XSD.positiveInteger)))  # datatype
    graph.add((approval, DKG.concernsMaterial, URIRef(iris.resource_iri("materials", "d0-material-3"))))
    graph.remove((measure, DKG.materialCount, None))
    graph.add((measure, DKG.materialCount, Literal(1, datatype=XSD.integer)))  # SPARQL GROUP BY
    graph.add((source, SCHEMA.url, Literal("ftp://example.org/x", datatype=XSD.anyURI)))  # pattern
    graph.add((source, RDF.type, DKG.Event))  # node-level and many property constraints
    keys = same_results(graph, shapes)
    components = {key[2].rsplit("#", 1)[-1].rstrip(">") for key in keys}
    assert {"MinCountConstraintComponent", "QualifiedMinCountConstraintComponent",
            "UniqueLangConstraintComponent", "LanguageInConstraintComponent",
            "PatternConstraintComponent", "NodeKindConstraintComponent", "ClassConstraintComponent",
            "MaxCountConstraintComponent", "DatatypeConstraintComponent", "InConstraintComponent",
            "MinInclusiveConstraintComponent", "SPARQLConstraintComponent"} <= components, components


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_shape_examples(example):
    agree(shape_examples.report(example, "fast"), shape_examples.report(example, "pyshacl"))


@pytest.mark.parametrize("feature, turtle", [
    ("sh:xone", "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:xone ( ex:T ex:U ) ; sh:message \"m\" ."),
    ("sh:node", "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; "
                "sh:node ex:T ; sh:message \"m\" ] ."),
    ("sh:or", "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:or ( ex:T ex:U ) ."),
    ("without sh:message", "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; "
                           "sh:minCount 1 ] ."),
])
def test_unsupported_shapes_are_an_error(feature, turtle):
    shapes = Graph().parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . "
                                f"@prefix ex: <http://example.org/> . {turtle}", format="turtle")
    with pytest.raises(ShapesError, match="fast validator does not support"):
        validate_graph(Graph(), shapes, engine="fast")
