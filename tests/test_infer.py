"""Reasoning: both engines give the same closure; inconsistencies are errors."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, Graph, URIRef

from kg.errors import InconsistencyError
from kg.graph import iris
from kg.graph.ontology import load_ontology
from kg.graph.namespaces import DKG
from kg.reference.infer import infer

ID = iris.ID


def graph_with(turtle: str) -> Graph:
    graph = load_ontology()
    graph.parse(data="@prefix dkg: <%s> .\n@prefix agent: <%sagent/> .\n@prefix event: <%sevent/> .\n%s"
                % (iris.DKG, ID, ID, turtle), format="turtle")
    return graph


@pytest.mark.slow  # owlrl, the reference engine
def test_engines_give_the_same_inferred_graph(seed_built):
    fast = infer(seed_built.asserted, engine="reasonable").graph
    reference = infer(seed_built.asserted, engine="owlrl").graph
    assert set(fast) == set(reference)


def test_closure_has_what_people_query(built):
    g = built.inferred
    approval = URIRef(ID + "event/second-photoresist-approval")
    japan = URIRef(ID + "agent/japan")
    assert (approval, RDF.type, DKG.Event) in g, "class membership through subclasses"
    assert (japan, DKG.actorIn, approval) in g, "inverse links"
    controls = URIRef(ID + "event/japan-tightens-export-controls-july-2019")
    worsen = URIRef(ID + "event/relations-worsen-late-2018")
    assert (worsen, DKG.precedes, controls) in g, "respondsTo implies follows, inverse precedes"


def test_no_reasoner_noise(built):
    for s, p, o in built.inferred:
        assert not (p == OWL.sameAs and s == o)
        assert isinstance(s, URIRef), f"non-IRI subject {s!r}"


def test_transitive_precedes():
    graph = graph_with("event:a dkg:precedes event:b . event:b dkg:precedes event:c .")
    assert (URIRef(ID + "event/a"), DKG.precedes, URIRef(ID + "event/c")) in infer(graph).graph


@pytest.mark.parametrize("engine", ["reasonable", "owlrl"])
def test_disjoint_classes_are_inconsistent(engine):
    graph = graph_with("agent:x a dkg:State, dkg:Person .")
    with pytest.raises(InconsistencyError, match="both a dkg:Person and a dkg:State|both a dkg:State and a dkg:Person"):
        infer(graph, engine=engine)


@pytest.mark.parametrize("engine", ["reasonable", "owlrl"])
def test_disjointness_through_a_range_is_inconsistent(engine):
    graph = graph_with("agent:reuters a dkg:NewsOrganisation . event:e dkg:endUser agent:reuters .")
    with pytest.raises(InconsistencyError, match="agent:reuters is both"):
        infer(graph, engine=engine)


def test_owl_nothing_member_is_inconsistent():
    graph = graph_with("agent:x a <http://www.w3.org/2002/07/owl#Nothing> .")
    with pytest.raises(InconsistencyError, match="member of owl:Nothing"):
        infer(graph)


def test_functional_property_clash_is_inconsistent():
    graph = graph_with('event:e dkg:earliestDate "2019-07-01"^^<http://www.w3.org/2001/XMLSchema#date>, '
                       '"2019-07-02"^^<http://www.w3.org/2001/XMLSchema#date> .')
    with pytest.raises(InconsistencyError, match="2 values for functional property dkg:earliestDate"):
        infer(graph)


def test_same_value_twice_is_not_a_functional_clash():
    graph = graph_with('event:e dkg:ordinal 1, "1"^^<http://www.w3.org/2001/XMLSchema#integer> .')
    assert infer(graph).problems == []
