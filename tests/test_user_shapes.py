"""A user's shapes (``--shapes``): whatever the fast engine refuses is validated by pySHACL,
and the output says so in one line; the packaged shapes never leave the fast path; a build
ships the shapes it validated with; shapes keep their literals as written.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import UnsupportedShapesError
from kg.resources import shapes_files
from kg.shacl.engine import compile_shapes
from kg.shacl.validate import load_shapes, validate_graph

PREFIXES = ("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
            "@prefix dkg: <https://w3id.org/dispute-kg/ontology#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n")
#: Every state is labelled (so this conforms); sh:or is not in the fast engine's registry.
LABELLED = ("<https://example.org/shapes#Labelled> a sh:NodeShape ; sh:targetClass dkg:State ;\n"
            "  sh:message \"a state has a label or a name\" ;\n"
            "  sh:or ( [ sh:path rdfs:label ; sh:minCount 1 ] [ sh:path dkg:noSuchName ; sh:minCount 1 ] ) .\n")
#: Every state violates this one.
NOT_A_STATE = ("<https://example.org/shapes#NotAState> a sh:NodeShape ; sh:targetClass dkg:State ;\n"
               "  sh:message \"no states here\" ; sh:not [ sh:class dkg:State ] .\n")
NOTE = "validated with pySHACL instead of the fast validator"


def user_shapes(tmp_path, extra: str):
    """The packaged shapes plus ``extra``, as one file of the user's."""
    path = tmp_path / "my-shapes.ttl"
    path.write_text(shapes_files()[0].read_text(encoding="utf-8") + "\n" + PREFIXES + extra, encoding="utf-8")
    return path


def test_the_packaged_shapes_run_entirely_on_the_fast_engine(built):
    shapes = load_shapes()
    assert compile_shapes(shapes)  # raises UnsupportedShapesError on anything it would refuse
    report = validate_graph(built.ntriples("view"), shapes, fallback=True)
    assert report.note is None and report.graph is None  # no pySHACL report graph: pySHACL did not run


def test_refused_shapes_are_an_error_without_fallback(tmp_path, built):
    shapes = load_shapes([user_shapes(tmp_path, LABELLED)])
    with pytest.raises(UnsupportedShapesError, match="uses sh:or") as refused:
        validate_graph(built.ntriples("view"), shapes)
    assert refused.value.feature == "sh:or"
    assert "sh:minCount" in str(refused.value), "the refusal lists what the engine supports"


@pytest.mark.slow
def test_validate_with_user_shapes_falls_back_to_pyshacl_and_says_so(tmp_path, cli, facts_copy):
    code, out, err = cli("validate", "--facts", facts_copy, "--shapes", user_shapes(tmp_path, NOT_A_STATE))
    assert code == 1
    assert err.count(NOTE) == 1 and "sh:not" in err
    assert [line for line in err.splitlines() if NOTE in line][0].startswith(NOTE)
    assert "no states here" in out and "sh:NotConstraintComponent" in out  # pySHACL's results, shown


def test_validate_with_user_shapes_the_fast_engine_runs_stays_quiet(tmp_path, cli, facts_copy):
    path = tmp_path / "mine.ttl"
    path.write_text(shapes_files()[0].read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = cli("validate", "--facts", facts_copy, "--shapes", path)
    assert code == 0 and NOTE not in err


@pytest.mark.slow
def test_build_ships_the_shapes_it_validated_with(tmp_path, cli, facts_copy):
    shapes = user_shapes(tmp_path, LABELLED)
    out_dir = tmp_path / "dist"
    code, out, err = cli("build", "--facts", facts_copy, "--shapes", shapes, "--out", out_dir)
    assert code == 0, err
    assert out.count(NOTE) == 1
    released = ox.Store()
    released.load(path=str(out_dir / "dispute-kg-shapes.ttl"), format=ox.RdfFormat.TURTLE)
    labelled = ox.NamedNode("https://example.org/shapes#Labelled")
    assert list(released.quads_for_pattern(labelled, None, None)), "the user's shape is in the release"
    given = ox.Store()
    given.load(path=str(shapes), format=ox.RdfFormat.TURTLE)
    assert len(released) == len(given), "the shapes as given: nothing added (pySHACL works on a copy)"


def test_push_with_user_shapes_says_so_before_sending(tmp_path, cli, facts_copy):
    # nothing listens on port 9: validation runs, then the push itself fails
    code, _, err = cli("push", "--endpoint", "http://127.0.0.1:9/query", "--facts", facts_copy,
                       "--shapes", user_shapes(tmp_path, LABELLED))
    assert code == 2 and err.count(NOTE) == 1


@pytest.mark.parametrize("flag, conforms", [('"1"^^xsd:boolean', True), ("true", False)])
def test_boolean_parameters_are_read_as_written(tmp_path, flag, conforms):
    """SHACL switches sh:uniqueLang on with ``true`` only (W3C test uniqueLang-002); rdflib, and so
    pySHACL, reads "1" as true."""
    path = tmp_path / "unique.ttl"
    path.write_text(PREFIXES + "<https://example.org/s> a sh:PropertyShape ; sh:targetNode <https://example.org/i> ;\n"
                    f"  sh:path rdfs:label ; sh:message \"one label per language\" ; sh:uniqueLang {flag} .\n",
                    encoding="utf-8")
    data = b"".join(b'<https://example.org/i> <http://www.w3.org/2000/01/rdf-schema#label> "%s"@en .\n' % label
                    for label in (b"HI", b"Hi"))
    assert validate_graph(data, load_shapes([path], check=False)).conforms is conforms
