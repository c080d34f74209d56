"""Each command and exit code; determinism; exports re-read by an independent parser."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.cli import COMMANDS, EXAMPLES
from tests.conftest import every_file


def oxigraph_graph(data: bytes, fmt) -> Graph:
    """Parse with pyoxigraph (independent of rdflib), then compare as rdflib graphs."""
    graph = Graph()
    nt = ox.serialize(ox.parse(data, format=fmt), format=ox.RdfFormat.N_TRIPLES)
    graph.parse(data=nt, format="nt")
    return graph


@pytest.mark.slow
def test_build_writes_release_and_summary(cli, tmp_path):
    code, out, err = cli("build", "--out", tmp_path / "dist")
    assert code == 0, err
    for name in ("dispute-kg.ttl", "dispute-kg-inferred.ttl", "validation-report.ttl"):
        assert (tmp_path / "dist" / name).stat().st_size > 0
    assert "triples asserted:" in out and "conforms: yes" in out and "queries run:" in out


@pytest.mark.slow
def test_build_is_deterministic(cli, tmp_path):
    assert cli("build", "--out", tmp_path / "a")[0] == 0
    assert cli("build", "--out", tmp_path / "b", "--reasoner", "owlrl")[0] == 0
    first, second = every_file(tmp_path / "a"), every_file(tmp_path / "b")
    assert sorted(first) == sorted(second)
    for name, data in first.items():
        assert data == second[name], name


@pytest.mark.slow
def test_release_files_reread_by_pyoxigraph(cli, tmp_path, built):
    assert cli("build", "--out", tmp_path)[0] == 0
    asserted = oxigraph_graph((tmp_path / "dispute-kg.ttl").read_bytes(), ox.RdfFormat.TURTLE)
    inferred = oxigraph_graph((tmp_path / "dispute-kg-inferred.ttl").read_bytes(), ox.RdfFormat.TURTLE)
    assert isomorphic(asserted, built.asserted)
    assert isomorphic(inferred, built.inferred)


@pytest.mark.parametrize("fmt,oxfmt", [("turtle", ox.RdfFormat.TURTLE),
                                       ("ntriples", ox.RdfFormat.N_TRIPLES),
                                       ("jsonld", ox.RdfFormat.JSON_LD)])
@pytest.mark.slow
@pytest.mark.parametrize("inferred", [False, True])
def test_export_formats_are_isomorphic(cli, tmp_path, built, fmt, oxfmt, inferred):
    target = tmp_path / f"out.{fmt}"
    args = ["export", "--format", fmt] + (["--inferred"] if inferred else [])
    code, _, err = cli(*args, "-o", target)
    assert code == 0, err
    reread = oxigraph_graph(target.read_bytes(), oxfmt)
    assert isomorphic(reread, built.inferred if inferred else built.asserted)
    code, out, _ = cli(*args)
    assert code == 0 and out.encode() == target.read_bytes(), "stdout and file agree"


@pytest.mark.slow
def test_failed_build_leaves_previous_release_intact(cli, tmp_path, facts_copy):
    out = tmp_path / "dist"
    assert cli("build", "--out", out)[0] == 0
    before = every_file(out)
    events = facts_copy / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "end_user: [samsung-electronics]", "end_user: [nobody]"), encoding="utf-8")
    code, _, err = cli("build", "--out", out, "--facts", facts_copy)
    assert code == 2 and "unknown agent 'nobody'" in err
    assert every_file(out) == before


@pytest.mark.slow
def test_non_conforming_build_exits_1_and_keeps_release(cli, tmp_path, facts_copy):
    out = tmp_path / "dist"
    assert cli("build", "--out", out)[0] == 0
    before = every_file(out)
    events = facts_copy / "events.yaml"
    # a bilateral meeting with a third state is valid YAML but breaks a shape
    events.write_text(events.read_text(encoding="utf-8").replace(
        "    representing: [japan, south-korea]\n    place: beijing",
        "    representing: [japan, south-korea, china]\n    place: beijing"), encoding="utf-8")
    code, _, err = cli("build", "--out", out, "--facts", facts_copy)
    assert code == 1
    assert "event 'kono-kang-meeting-beijing-2019-08-21'\n  Violation: field 'representing'" in err
    assert "exactly two states" in err
    assert every_file(out) == before


def test_validate_curated_facts(cli):
    code, out, _ = cli("validate")
    assert code == 0 and "conforms: yes" in out


@pytest.mark.slow
def test_validate_rdf_files(cli, tmp_path):
    assert cli("build", "--out", tmp_path)[0] == 0
    code, out, _ = cli("validate", tmp_path / "dispute-kg.ttl")
    assert code == 0 and "conforms: yes" in out


def test_validate_rdf_file_with_violation(cli, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix dkg: <https://w3id.org/dispute-kg/ontology#> .\n"
                   "<https://w3id.org/dispute-kg/id/agent/x> a dkg:State .\n", encoding="utf-8")
    code, out, _ = cli("validate", bad)
    assert code == 1 and "agent/x" in out and "English label" in out


def test_validate_turtle_report(cli):
    code, out, _ = cli("validate", "--format", "turtle")
    assert code == 0
    report = Graph().parse(data=out, format="turtle")
    assert len(report) > 0 and "ValidationReport" in out


def test_validate_inconsistent_rdf_file_exits_1(cli, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix dkg: <https://w3id.org/dispute-kg/ontology#> .\n"
                   "<https://w3id.org/dispute-kg/id/agent/x> a dkg:State, dkg:Person .\n", encoding="utf-8")
    code, _, err = cli("validate", bad)
    assert code == 1 and "inconsistent" in err


def test_validate_unreadable_rdf_exits_2(cli, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    code, _, err = cli("validate", bad)
    assert code == 2 and "bad.ttl" in err
    code, _, err = cli("validate", tmp_path / "missing.ttl")
    assert code == 2 and "missing.ttl" in err


def test_queries_lists_every_query(cli):
    from kg.query.catalogue import catalogue

    code, out, _ = cli("queries")
    assert code == 0
    for name, query in catalogue().items():
        assert name in out and query.summary in out


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "markdown"])
def test_query_formats(cli, fmt):
    code, out, err = cli("query", "approvals-before-meetings", "--format", fmt)
    assert code == 0, err
    assert "second-photoresist-approval" in out
    if fmt == "json":
        data = json.loads(out)
        assert data["head"]["vars"][0] == "approval"
        assert {b["relation"]["value"] for b in data["results"]["bindings"]} == {"certainly", "possibly"}


def test_query_parameters_are_typed(cli):
    code, out, _ = cli("query", "who-held-post", "--param", "post=post:south-korea-foreign-minister",
                       "--param", "day=2019-08-20", "--format", "csv")
    assert code == 0 and "Kang Kyung-wha" in out
    code, _, err = cli("query", "who-held-post", "--param", "day=20 August 2019")
    assert code == 2 and "expected a date" in err
    code, _, err = cli("query", "who-held-post", "--param", "colour=red")
    assert code == 2 and "no parameter 'colour'" in err
    code, _, err = cli("query", "who-held-post", "--param", "post")
    assert code == 2 and "KEY=VALUE" in err


def test_unknown_query_exits_2(cli):
    code, _, err = cli("query", "no-such-query")
    assert code == 2 and "no stored query named 'no-such-query'" in err


def test_sparql_adhoc_and_file(cli, tmp_path):
    code, out, _ = cli("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "n" and int(out.splitlines()[1]) > 500
    query = tmp_path / "ask.rq"
    query.write_text("ASK { ?s a <https://w3id.org/dispute-kg/ontology#ExportApproval> }", encoding="utf-8")
    code, out, _ = cli("sparql", query)
    assert code == 0 and out.strip() == "true"
    code, _, err = cli("sparql", "SELECT WHERE {")
    assert code == 2 and "invalid SPARQL" in err


def test_usage_error_exits_2(cli):
    code, _, _ = cli("frobnicate")
    assert code == 2
    code, _, _ = cli("query", "timeline", "--format", "yaml")
    assert code == 2


def test_every_command_is_documented(cli):
    """Each command has help, an example, and a README entry (tested docs)."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert name in EXAMPLES, f"no example for {name}"
        assert EXAMPLES[name] in readme, f"README lacks the example of {name}: {EXAMPLES[name]}"
        with pytest.raises(SystemExit) as info:
            from kg.cli import main

            main([name, "--help"])
        assert info.value.code == 0


def test_exit_codes_are_documented():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for line in ("| 0 |", "| 1 |", "| 2 |"):
        assert line in readme


def test_console_script_runs(tmp_path):
    from conftest import run_command

    done = run_command("query", "export-approvals", "--format", "csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "photoresist" in done.stdout



@pytest.mark.slow
def test_python_api_from_the_readme():
    """The README's API example runs, whatever was imported before."""
    import kg
    import kg.shacl.validate  # noqa: F401  (a submodule must not hide an API function)

    report = kg.validate_facts()
    assert report.conforms
    results = kg.run_query("who-held-post", {"post": "post:japan-foreign-minister", "day": "2019-08-20"})
    assert "Taro Kono" in kg.render(results, "table")
    assert len(kg.load_graph()) > 1000
