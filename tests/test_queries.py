"""Every stored query runs and matches its expected result; engines agree.

Queries are discovered from queries/competency/*.rq, so adding a query adds a
test. Refresh the expected results with ``pytest --update-goldens`` after a
deliberate change to the facts, and review the diff.
"""

from __future__ import annotations

import pytest

from kg.graph.rdfio import serialize
from kg.query.catalogue import bind, catalogue
from kg.query.engines import OxigraphEngine
from kg.query.results import from_tsv, to_tsv
from kg.reference.rdflib_engine import RdflibEngine

QUERIES = sorted(catalogue().values(), key=lambda q: q.name)


@pytest.fixture(scope="module")
def oxigraph(built):
    return OxigraphEngine(serialize(built.inferred, "ntriples"))


@pytest.fixture(scope="module")
def rdflib_engine(built):
    return RdflibEngine(built.inferred)


def test_there_are_at_least_five_stored_queries():
    assert len(QUERIES) >= 5


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_matches_expected(query, oxigraph, request):
    results = oxigraph.run(query.text, bind(query, {}))
    assert results.kind == "select", "stored competency queries are SELECT queries"
    if request.config.getoption("--update-goldens"):
        query.expected_path.write_text(to_tsv(results), encoding="utf-8")
    assert query.expected_path.exists(), f"{query.expected_path.name} is missing; run pytest --update-goldens"
    expected = from_tsv(query.expected_path.read_text(encoding="utf-8"))
    assert results.rows, f"{query.name} returned no rows on the curated graph"
    assert results.comparable(query.ordered) == expected.comparable(query.ordered)


@pytest.mark.slow
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_rdflib_and_oxigraph_agree(query, oxigraph, rdflib_engine):
    bindings = bind(query, {})
    fast = oxigraph.run(query.text, bindings)
    # rdflib's engine is the slow reference (quadratic on date joins): it gets a limit for a
    # reference run, not the interactive default.
    reference = rdflib_engine.run(query.text, bindings, timeout=300)
    assert fast.comparable(query.ordered) == reference.comparable(query.ordered)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_header_documents_the_query(query):
    assert query.summary and query.description
    for param in query.params:
        assert param.description and (param.default is not None or param.optional)


@pytest.mark.parametrize("query", [q for q in QUERIES if q.params], ids=lambda q: q.name)
def test_stored_queries_select_their_parameters(query):
    """Oxigraph substitutes only variables a SELECT projects; a stored query that selects its
    required parameters is bound by substitution, never by editing its text (an optional
    filter left unset binds nothing, and one that is set is bound by a VALUES block of
    typed terms)."""
    from kg.graph.sparql import local_query

    assert {p.name for p in query.params if not p.optional} <= local_query(query.text).selects
