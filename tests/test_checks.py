"""Quality checks: each one fires on its bad example, none fails on the curated graph,
and `dispute-kg build` / `validate` fail on an error and only report a warning.

Bad examples are discovered from tests/data/checks/<check-name>.ttl: adding a
check without an example fails ``test_every_check_has_a_bad_example``.
"""

from __future__ import annotations

import pytest

from kg.errors import QueryError
from kg.query.catalogue import SEVERITIES, parse_query_file
from kg.query.checks import check_catalogue, run_checks
from tests.conftest import DATA

CHECKS = check_catalogue()
EXAMPLES = DATA / "checks"


def example(name: str):
    """A bad example as rdflib reads it (kg.graph.rdfio.parse_file refuses a literal subject);
    generalized RDF can only be checked on rdflib's engine."""
    from rdflib import Graph

    graph = Graph().parse(EXAMPLES / f"{name}.ttl", format="turtle")
    if name == "literal-subject-violation":
        from kg.reference.rdflib_engine import RdflibEngine

        return RdflibEngine(graph)
    return graph


def test_every_check_has_a_bad_example():
    examples = {path.stem for path in EXAMPLES.glob("*.ttl")}
    assert examples == set(CHECKS)


def test_the_checks_cover_what_ontology_projects_check():
    wanted = {"missing-label", "missing-definition", "missing-language-tag", "duplicate-label",
              "undeclared-term", "unused-term", "illegal-date", "literal-subject", "missing-license",
              "missing-version", "precedes-reflexive"}
    assert {f"{name}-violation" for name in wanted} <= set(CHECKS)


@pytest.mark.parametrize("check", sorted(CHECKS.values(), key=lambda c: c.name), ids=lambda c: c.name)
def test_check_header(check):
    assert check.severity in SEVERITIES
    assert check.summary and check.description and check.message


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_check_fires_on_its_bad_example(name):
    report = run_checks(example(name), {name: CHECKS[name]})
    assert report.findings, f"{name} found nothing in its bad example"
    assert all(f.check == name and "{" not in f.message for f in report.findings)


PASSING = sorted((EXAMPLES / "passing").glob("*.ttl"))


@pytest.mark.parametrize("path", PASSING, ids=lambda p: p.stem)
def test_check_passes_its_good_example(path):
    """A check with a good example finds nothing in it: the cases just short of a violation."""
    from rdflib import Graph

    assert path.stem in CHECKS, f"{path.name} names no check"
    report = run_checks(Graph().parse(path, format="turtle"), {path.stem: CHECKS[path.stem]})
    assert not report.findings, report.text()


@pytest.mark.parametrize("name, severity, expected", [
    ("announced-only-event-violation", "warn", [
        "event:announced, from 2019-08-21, rests only on reports written before it (the latest "
        "published 2019-08-19): cite a report of it having happened, or mark it status: planned or "
        "unconfirmed",
        "event:too-early, from 2019-08-21, rests only on reports written before it (the latest "
        "published 2019-08-19): cite a report of it having happened, or mark it status: planned or "
        "unconfirmed"]),
    ("unconfirmed-event-violation", "info", [
        "event:marked, from 2019-08-24, is marked unconfirmed: no source reports it as having "
        "happened (the latest published 2019-08-22)"]),
    ("marked-event-reported-violation", "error", [
        "event:held is marked dkg:unconfirmed, but source:aug-22 (published 2019-08-22) reports it "
        "as past: drop the status or correct the citation"]),
    ("unmarked-announced-event-violation", "error", [
        "event:this-week is dated from 2019-08-19, before its latest source was published "
        "(2019-08-22), yet no source reports it as past or ongoing: cite a report of it having "
        "happened, or mark it status: unconfirmed"]),
    ("tenure-without-start-violation", "error", [
        "tenure:kono-fm has no start, yet its holder agent:kono acts in 2 event(s) it may cover, "
        "the first from 2019-08-20: give its sourced first day"]),
    ("tenure-without-end-violation", "error", [
        "tenure:cho-vice-fm has neither an end nor a day it was still in office, yet its holder "
        "agent:cho acts in 1 event(s) during it, the last until 2019-08-28: give its sourced last "
        "day or in_office_as_of"]),
])
def test_event_and_tenure_checks_say_what_to_do(name, severity, expected):
    report = run_checks(example(name), {name: CHECKS[name]})
    assert CHECKS[name].severity == severity
    assert [f.message for f in report.findings] == expected


def test_bad_example_messages_name_the_problem():
    report = run_checks(example("illegal-date-violation"),
                        {"illegal-date-violation": CHECKS["illegal-date-violation"]})
    messages = "\n".join(f.message for f in report.findings)
    assert "event:a dkg:earliestDate 2019-07-01: not an xsd:date literal" in messages
    assert "event:b dkg:earliestDate 2019-02-29: not a YYYY-MM-DD day of the calendar" in messages
    assert "event:c dkg:earliestDate 2019-08-20: after its latestDate 2019-08-01" in messages
    assert len(report.findings) == 3


def test_a_leap_day_is_a_day():
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import XSD

    graph = Graph()
    for year in ("2020", "2000", "2400"):
        graph.add((URIRef(f"urn:x:{year}"), URIRef("urn:x:on"), Literal(f"{year}-02-29", datatype=XSD.date)))
    assert not run_checks(graph, {"illegal-date-violation": CHECKS["illegal-date-violation"]}).findings


def test_curated_graph_passes_every_error_check(built):
    report = run_checks(built.inferred)
    assert report.checks_run == len(CHECKS)
    assert report.passed, report.text()


# --- headers -----------------------------------------------------------------

def _write(tmp_path, group, name, text):
    folder = tmp_path / group
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return path


def test_competency_queries_reject_check_headers(tmp_path):
    path = _write(tmp_path, "competency", "q", "#+ summary: s\n#+ severity: error\nASK {}\n")
    with pytest.raises(QueryError, match=r"q.rq:2: unknown header '#\+ severity:'"):
        parse_query_file(path)


def test_check_needs_severity_and_message(tmp_path):
    path = _write(tmp_path, "checks", "x-violation", "#+ summary: s\n#+ severity: error\nSELECT ?x WHERE {}\n")
    with pytest.raises(QueryError, match="missing '#\\+ message:'"):
        parse_query_file(path)


def test_check_severity_must_be_known(tmp_path):
    path = _write(tmp_path, "checks", "x-violation",
                  "#+ summary: s\n#+ severity: fatal\n#+ message: m\nSELECT ?x WHERE {}\n")
    with pytest.raises(QueryError, match="severity 'fatal' is not one of error, warn, info"):
        parse_query_file(path)


def test_check_message_must_name_selected_variables(tmp_path):
    _write(tmp_path, "checks", "x-violation",
           "#+ summary: s\n#+ severity: warn\n#+ message: {y} is wrong\nSELECT ?x WHERE { ?x ?p ?o }\n")
    with pytest.raises(QueryError, match=r"names \{y\}, which the query does not select"):
        check_catalogue(tmp_path)


# --- the commands --------------------------------------------------------------

def test_validate_fails_on_an_error_check(cli, tmp_path):
    code, out, err = cli("validate", EXAMPLES / "missing-label-violation.ttl")
    assert code == 1
    assert "error: dkg:Unlabelled has no English rdfs:label [missing-label-violation]" in out
    assert "validation failed: 1 quality check error(s)" in err


def test_validate_reports_a_warning_and_passes(cli, tmp_path):
    code, out, _ = cli("validate", EXAMPLES / "duplicate-resource-label-violation.ttl")
    assert "warn: agent:japan and agent:nippon are both dkg:State labelled \"Japan\"" in out
    assert code == 0


def test_build_fails_on_a_low_quality_ontology(cli, tmp_path, ontology_copy):
    text = ontology_copy.read_text(encoding="utf-8")
    ontology_copy.write_text(text.replace('    rdfs:label "summit"@en ;\n', ""), encoding="utf-8")
    out_dir = tmp_path / "dist"
    code, _, err = cli("build", "--out", out_dir)
    assert code == 1
    assert "error: dkg:Summit has no English rdfs:label [missing-label-violation]" in err
    assert f"build failed: 1 quality check error(s); {out_dir}/ was left unchanged" in err
    assert not out_dir.exists()


@pytest.mark.slow
def test_build_prints_warnings_and_writes_the_release(cli, tmp_path):
    out_dir = tmp_path / "dist"
    code, out, err = cli("build", "--out", out_dir)
    assert code == 0, err
    assert "quality checks: 0 error" in out
    assert (out_dir / "ontology.html").is_file()


def test_metadata_checks_leave_other_projects_ontologies_alone():
    """A data file given to `validate` may carry someone else's ontology header."""
    from rdflib import OWL, RDF, Graph, URIRef

    graph = Graph()
    graph.add((URIRef("http://example.org/o"), RDF.type, OWL.Ontology))
    names = ("missing-license-violation", "missing-version-violation",
             "missing-ontology-metadata-violation", "missing-definition-violation")
    assert not run_checks(graph, {name: CHECKS[name] for name in names}).findings
