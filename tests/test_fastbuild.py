"""The fast build (N-Triples, no rdflib Graph, reasonable without the gate's axioms) gives the
reference build's graphs: the same asserted, inferred (owlrl) and validation-view triples,
and the same consistency problems."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from kg.facts.loader import load_facts
from kg.graph import iris, ntriples
from kg.graph.namespaces import DKG
from kg.reason.closure import build_graphs
from kg.reason.gate import consistency_problems
from kg.reference.infer import asserted_graph, infer, validation_view


def lines(graph: Graph) -> bytes:
    return ntriples.document(ntriples.lines(graph))


@pytest.fixture(scope="module")
def generated_facts(tmp_path_factory):
    from benchmarks.generate import generate

    folder = tmp_path_factory.mktemp("generated")
    generate(folder, triples=3000, seed=3)
    return load_facts(folder)


@pytest.mark.slow
@pytest.mark.parametrize("which", ["curated", "generated"])
def test_same_graphs_as_owlrl(which, generated_facts):
    facts = load_facts() if which == "curated" else generated_facts
    fast = build_graphs(facts)
    asserted = asserted_graph(facts)
    reference = infer(asserted, engine="owlrl")
    assert fast.asserted == lines(asserted)
    assert fast.inferred == lines(reference.graph)
    assert fast.view == lines(validation_view(asserted, reference.graph))
    assert fast.entailed == reference.entailed > 0
    assert fast.problems == reference.problems == []


@pytest.mark.slow
def test_same_consistency_problems(generated_facts):
    """Disjoint classes and functional-property clashes, worded the same as kg.reference.infer's gate.

    (On an inconsistent graph the closures differ -- owlrl copies triples across the
    owl:sameAs it derives from a functional-property clash -- but both builds refuse it.)"""
    asserted = asserted_graph(generated_facts)
    person = URIRef(iris.resource_iri("agents", "state-2"))
    event = min(asserted.subjects(DKG.confidence, None))
    asserted.add((person, DKG.holder, URIRef(iris.resource_iri("agents", "state-3"))))
    asserted.add((URIRef(iris.resource_iri("agents", "state-4")), DKG.tenureOf, person))
    asserted.add((event, DKG.confidence, Literal("low")))
    asserted.add((event, DKG.earliestDate, Literal("1999-01-01", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#date"))))
    closed = infer(asserted, engine="owlrl", check=False)
    assert len(closed.problems) >= 3
    assert consistency_problems(ntriples.store(lines(closed.graph))) == closed.problems


@pytest.mark.slow
def test_release_bytes_are_the_same_in_two_processes(tmp_path):
    """Oxigraph writes the Turtle; its prefix table is a hash map, so run it twice for real."""
    from tests.conftest import every_file, run_command

    for name in ("a", "b"):
        done = run_command("build", "--out", tmp_path / name)
        assert done.returncode == 0, done.stderr
    first, second = every_file(tmp_path / "a"), every_file(tmp_path / "b")
    assert sorted(first) == sorted(second) and "site/index.html" in first
    for name, data in first.items():
        assert data == second[name], name


@pytest.mark.slow
def test_query_path_does_not_import_rdflib_or_pyshacl(tmp_path):
    """A stored query on a cached build loads N-Triples into Oxigraph and nothing heavier."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "DISPUTE_KG_CACHE": str(tmp_path)}
    script = ("import sys\nfrom kg.cli import main\ncode = main(['query', 'who-held-post'])\n"
              "heavy = sorted(m for m in ('rdflib', 'pyshacl', 'owlrl') if m in sys.modules)\n"
              "print('HEAVY', heavy, code)\n")
    first = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr  # builds and fills the cache
    second = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert "HEAVY [] 0" in second.stdout, second.stdout + second.stderr
