"""Each known hazard of the plain stack (issue 9), shown on the plain stack and
shown absent in ours. If a plain-stack test starts failing, the library fixed
the hazard and our guard may be simplified."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal

from kg.errors import InconsistencyError, RDFInputError, ShapesError
from kg.graph.rdfio import parse_file

HALF_BAD = "<http://x/a> <http://x/p> <http://x/b> .\n<http://x/c> <http://x/p> .\n"


def test_plain_parse_keeps_triples_read_before_an_error(tmp_path):
    path = tmp_path / "half.nt"
    path.write_text(HALF_BAD, encoding="utf-8")
    graph = Graph()
    with pytest.raises(Exception):
        graph.parse(path, format="nt")
    assert len(graph) == 1, "rdflib kept the first triple of a file it rejected"


def test_our_parse_is_all_or_nothing(tmp_path):
    path = tmp_path / "half.nt"
    path.write_text(HALF_BAD, encoding="utf-8")
    graph = Graph()
    with pytest.raises(RDFInputError):
        parse_file(path, graph)
    assert len(graph) == 0


def test_plain_parse_accepts_ill_typed_literals(tmp_path):
    path = tmp_path / "ill.ttl"
    path.write_text('<http://x/a> <http://x/p> "2019-02-30"^^<http://www.w3.org/2001/XMLSchema#date> .',
                    encoding="utf-8")
    assert len(Graph().parse(path)) == 1
    with pytest.raises(RDFInputError, match="ill-typed"):
        parse_file(path)


def test_plain_concatenation_lets_a_value_rewrite_the_query(built):
    hostile = 'Japan" || true || "'
    pasted = ('SELECT ?thing WHERE { ?thing <http://www.w3.org/2000/01/rdf-schema#label> ?l . '
              f'FILTER(STR(?l) = "{hostile}") }}')
    assert len(list(built.inferred.query(pasted))) > 1, "the pasted value matched everything"
    from kg.graph.rdfio import serialize
    from kg.query.engines import OxigraphEngine
    from kg.query.terms import Term

    ours = OxigraphEngine(serialize(built.inferred, "ntriples")).run(
        'SELECT ?thing WHERE { ?thing <http://www.w3.org/2000/01/rdf-schema#label> ?l . '
        'FILTER(STR(?l) = ?wanted) }', {"wanted": Term("literal", hostile)})
    assert ours.rows == []


def _japan_as_person(built) -> Graph:
    graph = Graph()
    for triple in built.asserted:
        graph.add(triple)
    graph.parse(data="<https://w3id.org/dispute-kg/id/agent/japan> a "
                     "<https://w3id.org/dispute-kg/ontology#Person> .", format="turtle")
    return graph


@pytest.mark.slow
def test_plain_owlrl_reports_inconsistency_as_triples(seed_built):
    import owlrl

    graph = _japan_as_person(seed_built)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)  # does not raise
    errors = [o for o in graph.objects() if isinstance(o, Literal) and "disjoint" in str(o).lower()]
    assert errors, "owlrl records the clash as a triple in the graph"
    from kg.reference.infer import infer

    with pytest.raises(InconsistencyError, match="agent:japan is both"):
        infer(_japan_as_person(seed_built), engine="owlrl")


@pytest.mark.slow
def test_plain_owlrl_rdfs_closure_makes_literal_subjects(seed_built):
    import owlrl

    graph = Graph()
    for triple in seed_built.asserted:
        graph.add(triple)
    owlrl.DeductiveClosure(owlrl.RDFS_OWLRL_Semantics, rdfs_closure=True).expand(graph)
    assert any(isinstance(s, Literal) for s in graph.subjects()), "owlrl made literal subjects"
    assert not any(isinstance(s, Literal) for s in seed_built.inferred.subjects())


BROKEN_SHAPES = ("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                 "<http://x/S> a sh:NodeShape ; sh:targetClass <https://w3id.org/dispute-kg/ontology#State> ;\n"
                 "  sh:property [ sh:path <http://www.w3.org/2000/01/rdf-schema#label> ; "
                 'sh:datatype "xsd:string" ] .\n')


def test_plain_pyshacl_calls_broken_shapes_non_conformance(built):
    import pyshacl

    conforms, _, _ = pyshacl.validate(built.inferred, shacl_graph=Graph().parse(data=BROKEN_SHAPES,
                                                                                format="turtle"))
    assert not conforms, "pyshacl reports a broken shapes graph as data that does not conform"


def test_our_validation_says_the_shapes_are_broken(tmp_path, cli):
    from kg.shacl.validate import load_shapes

    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN_SHAPES, encoding="utf-8")
    with pytest.raises(ShapesError, match="the shapes are broken"):
        load_shapes([path])
    code, _, err = cli("validate", "--shapes", path)
    assert code == 2 and "the shapes are broken" in err
