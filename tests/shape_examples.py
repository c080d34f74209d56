"""The shapes examples (tests/data/shapes/{valid,invalid}/*.ttl), each inferred and validated once.

Several test modules look at the same examples: which constraint fires
(test_shapes), that pySHACL agrees (test_fastshacl), that Jena agrees
(test_release_in_other_tools), that every shape has a failing example. Each
example's validation view and report per engine are computed once per test
run and shared; every report is made with the one shapes graph below, so
blank-node shapes in the reports are those of :func:`shapes`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kg.graph.ontology import load_ontology
from kg.graph.rdfio import parse_file
from kg.reference.infer import infer
from kg.shacl.validate import load_shapes, validate_graph

SHAPES_DATA = Path(__file__).parent / "data" / "shapes"
VALID = sorted((SHAPES_DATA / "valid").glob("*.ttl"))
INVALID = sorted((SHAPES_DATA / "invalid").glob("*.ttl"))
EXAMPLES = VALID + INVALID


@cache
def shapes():
    """The packaged shapes, loaded once for every report here."""
    return load_shapes()


@cache
def view(example: Path):
    """The validation view of base.ttl plus the example, with the ontology and its OWL 2 RL closure."""
    graph = load_ontology()
    parse_file(SHAPES_DATA / "base.ttl", graph)
    parse_file(example, graph)
    return infer(graph, check=False).validation_view()


@cache
def report(example: Path, engine: str = "fast"):
    """The example's validation report by ``engine`` (``fast`` or ``pyshacl``)."""
    return validate_graph(view(example), shapes(), engine=engine)
