"""Every shape has a conforming and a failing example; the failing ones assert
which constraint fired (focus node, constraint component and path).

Examples are discovered from tests/data/shapes/{valid,invalid}/*.ttl, so adding
a file adds a test. Each is validated together with base.ttl, the ontology and
the OWL 2 RL closure, as the build does. Expectations are comment lines::

    # expect: FOCUS COMPONENT [PATH]
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from kg.graph import iris
from kg.graph.ontology import load_ontology
from kg.graph.rdfio import parse_file
from kg.reference.infer import infer
from kg.shacl.validate import load_shapes, validate_graph

SHAPES_DATA = Path(__file__).parent / "data" / "shapes"
VALID = sorted((SHAPES_DATA / "valid").glob("*.ttl"))
INVALID = sorted((SHAPES_DATA / "invalid").glob("*.ttl"))
SH = "http://www.w3.org/ns/shacl#"


def expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    namespaces = {**iris.PREFIXES, "sh": SH}
    return namespaces[prefix] + local


def expectations(path: Path) -> list[tuple[str, str, str | None]]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            parts = line[len("# expect:"):].split()
            found.append((expand(parts[0]), expand(parts[1]), expand(parts[2]) if len(parts) > 2 else None))
    return found


@pytest.fixture(scope="module")
def shapes():
    return load_shapes()


def report_for(example: Path, shapes):
    graph = load_ontology()
    parse_file(SHAPES_DATA / "base.ttl", graph)
    parse_file(example, graph)
    return validate_graph(infer(graph, check=False).validation_view(), shapes)


def test_base_conforms(shapes):
    graph = load_ontology()
    parse_file(SHAPES_DATA / "base.ttl", graph)
    report = validate_graph(infer(graph).validation_view(), shapes)
    assert report.conforms, report.text()


@pytest.mark.parametrize("example", VALID, ids=lambda p: p.stem)
def test_valid_example_conforms(example, shapes):
    report = report_for(example, shapes)
    assert report.conforms, report.text()


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.stem)
def test_invalid_example_fires_the_expected_constraint(example, shapes):
    expected = expectations(example)
    assert expected, f"{example.name} has no '# expect:' line"
    report = report_for(example, shapes)
    assert not report.conforms
    fired = {(p.focus, str(p.component_term), str(p.path_term) if p.path_term is not None else None)
             for p in report.problems}
    for focus, component, path in expected:
        matches = [f for f in fired if f[0] == focus and f[1] == component and (path is None or f[2] == path)]
        assert matches, f"expected {component} on {focus} (path {path}); fired: {sorted(fired)}"
    for problem in report.problems:
        assert problem.message, f"a result without sh:message: {problem}"


def test_every_shape_has_a_failing_example(shapes):
    """Every node shape fires, directly or through one of its property shapes,
    in at least one failing example."""
    node_shapes = set(shapes.subjects(URIRef(SH + "targetClass"), None))
    owner = {c: n for n in node_shapes for p in ("property", "sparql")
             for c in shapes.objects(n, URIRef(SH + p))}
    fired = set()
    for example in INVALID:
        for problem in report_for(example, shapes).problems:
            fired.add(owner.get(problem.shape_term, problem.shape_term))
    missing = sorted(str(n) for n in node_shapes - fired)
    assert not missing, f"node shapes without a failing example: {missing}"


def test_every_constraint_has_a_message(shapes):
    """Every property shape and SPARQL constraint carries sh:message."""
    message = URIRef(SH + "message")
    for predicate in ("property", "sparql"):
        for shape in shapes.objects(None, URIRef(SH + predicate)):
            assert shapes.value(shape, message) is not None, f"{predicate} constraint without sh:message"


def test_curated_facts_conform(built, shapes):
    report = validate_graph(built.rdflib("view"), shapes)
    assert report.conforms, report.text()
