"""The fast SHACL engine against the W3C SHACL Core test suite (tests/data/w3c-shacl/).

One test case per manifest entry, discovered from the manifests (``mf:include``,
``mf:entries``). Where the engine accepts the shapes, it must give the expected
conformance (SHACL's: no result at all) and the expected results: focus node,
constraint component, severity, value, and path where it is an IRI. Results are
compared as sets (a shape reached twice may report one result twice) and blank
nodes as blank nodes (their labels differ between parses). Where it refuses,
it must name the feature, which must be one the shapes use, and be the refusal
recorded in ``REFUSED`` below; a user's shapes are then validated by pySHACL
(``fallback``), which must give the expected results too.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from kg.errors import UnsupportedShapesError
from kg.graph.rdfio import rdflib_triple
from kg.shacl.components import BY_PARAMETER
from kg.shacl.validate import validate_graph

SUITE = Path(__file__).parent / "data" / "w3c-shacl" / "core"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: What the fast engine refuses, by test, and the feature it names (everything else it runs).
REFUSED = {
    "complex/shacl-shacl": "sh:or",
    "node/and-001": "sh:and",
    "node/and-002": "sh:and",
    "node/node-001": "sh:node",
    "node/not-001": "sh:not",
    "node/not-002": "sh:not",
    "node/or-001": "sh:or",
    "node/xone-001": "sh:xone",
    "node/xone-duplicate": "sh:xone",
    "property/and-001": "sh:and",
    "property/datatype-003": "sh:or",
    "property/node-001": "sh:node",
    "property/node-002": "sh:node",
    "property/not-001": "sh:not",
    "property/or-001": "sh:or",
    "property/or-datatypes-001": "sh:or",
    "property/qualifiedMinCountDisjoint-001": "sh:qualifiedValueShapesDisjoint",
    "property/qualifiedValueShape-001": "sh:qualifiedValueShape",
    "property/qualifiedValueShapesDisjoint-001": "sh:qualifiedValueShapesDisjoint",
}


def _local(iri: str) -> Path:
    return Path(iri.removeprefix("file://"))


def entries(manifest: Path) -> list[tuple[str, Graph, object]]:
    """(name, manifest graph, entry) for every entry reachable from ``manifest``."""
    graph = Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
    found = []
    for included in sorted(graph.objects(None, MF.include)):
        found += entries(_local(str(included)))
    for listed in graph.objects(None, MF.entries):
        for entry in Collection(graph, listed):
            found.append((str(entry).split("/core/", 1)[1], graph, entry))
    return found


ENTRIES = entries(SUITE / "manifest.ttl")


def data_bytes(iri) -> bytes:
    """The data graph as N-Triples, every literal as written (as the build hands it over)."""
    quads = ox.parse(path=str(_local(str(iri))), format=ox.RdfFormat.TURTLE, base_iri=str(iri))
    return ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES)


def shapes_graph(iri) -> Graph:
    """The shapes graph with literals as written, each constraint given the sh:message we require."""
    graph = Graph(bind_namespaces="none")
    for quad in ox.parse(path=str(_local(str(iri))), format=ox.RdfFormat.TURTLE, base_iri=str(iri)):
        graph.add(rdflib_triple(quad, as_written=True))
    parameters = {SH[name] for name in BY_PARAMETER}
    for shape in {s for s, p in graph.subject_predicates() if p in parameters}:
        if (shape, SH.message, None) not in graph:
            graph.add((shape, SH.message, Literal("a W3C test shape")))
    return graph


def _nt(term):
    return "_:" if isinstance(term, BNode) else term.n3()


def _severity(term) -> str:
    local = str(term).removeprefix(str(SH))
    return local if local in ("Violation", "Warning", "Info") else str(term)


def expected(manifest: Graph, entry) -> tuple[bool, set]:
    report = manifest.value(entry, MF.result)
    results = set()
    for result in manifest.objects(report, SH.result):
        path = manifest.value(result, SH.resultPath)
        value = manifest.value(result, SH.value)
        results.add((_nt(manifest.value(result, SH.focusNode)),
                     str(manifest.value(result, SH.sourceConstraintComponent)),
                     _severity(manifest.value(result, SH.resultSeverity)),
                     "complex" if isinstance(path, BNode) else path and str(path),
                     value is not None and _nt(value)))
    return manifest.value(report, SH.conforms).toPython(), results


def found(report, expected_results: set) -> set:
    """Our results in the same form; a value is compared only where the manifest gives one."""
    with_value = {r[:4] for r in expected_results if r[4] is not False}
    results = set()
    for p in report.problems:
        path = str(p.path_term) if p.path_term is not None else None
        if path is None and any(r[:2] == (_nt(p.focus_term), str(p.component_term)) and r[3] == "complex"
                                for r in expected_results):
            path = "complex"  # the engine reports complex paths without a path (see README)
        key = (_nt(p.focus_term), str(p.component_term), p.severity, path)
        value = _nt(p.value_term) if key in with_value and p.value_term is not None else False
        results.add((*key, value))
    return results


def run(name: str, manifest: Graph, entry, fallback: bool = False):
    action = manifest.value(entry, MF.action)
    data = data_bytes(manifest.value(action, SHT.dataGraph))
    shapes = shapes_graph(manifest.value(action, SHT.shapesGraph))
    return validate_graph(data, shapes, engine="fast", fallback=fallback)


@pytest.mark.parametrize("name, manifest, entry", ENTRIES, ids=[e[0] for e in ENTRIES])
def test_w3c_core(name, manifest, entry):
    conforms, results = expected(manifest, entry)
    if name in REFUSED:
        with pytest.raises(UnsupportedShapesError) as refused:
            run(name, manifest, entry)
        feature = refused.value.feature
        assert feature == REFUSED[name], str(refused.value)
        action = manifest.value(entry, MF.action)
        used = shapes_graph(manifest.value(action, SHT.shapesGraph))
        assert (None, URIRef(SH + feature.removeprefix("sh:")), None) in used, f"{feature} is not in the shapes"
        assert feature in str(refused.value)
        report = run(name, manifest, entry, fallback=True)
        assert report.note and feature in report.note
    else:
        report = run(name, manifest, entry)
        assert report.note is None
    assert (not report.problems) == conforms, report.text()
    assert found(report, results) == results, report.text()


def test_the_suite_is_all_there():
    """98 entries, as in the issue's count (42 + 30 + 26); none lost by a broken manifest."""
    assert len(ENTRIES) == 98
    assert set(REFUSED) <= {name for name, _, _ in ENTRIES}


def test_unsupported_features_are_not_in_the_registry():
    """A feature refused outright is one no registry entry claims."""
    outright = {f.removeprefix("sh:") for f in REFUSED.values()} - {"qualifiedValueShape",
                                                                    "qualifiedValueShapesDisjoint"}
    assert outright and not outright & set(BY_PARAMETER)



def test_the_readme_lists_what_runs_and_what_falls_back():
    """The README's SHACL engine section names every registered parameter and every refused feature."""
    from kg.shacl.components import supported

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The SHACL engine", 1)[1].split("\n### ", 1)[0]
    runs, falls_back = section.split("It does not run", 1)
    missing = [p for p in supported().split(", ") if p not in " ".join(runs.split())]
    assert not missing, f"not in the README: {missing}"
    assert all(feature in falls_back for feature in set(REFUSED.values()))
