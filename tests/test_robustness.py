"""Hostile parameters, runaway queries, killed builds and random damage to the facts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import FactsError, QueryError
from kg.query.catalogue import bind, parse_query_file
from kg.query.engines import OxigraphEngine
from kg.reference.rdflib_engine import RdflibEngine
from tests.conftest import every_file

HOSTILE = [
    '" } ; CLEAR DEFAULT ; INSERT DATA { <http://evil/s> <http://evil/p> "x" } #',
    "' } ; DROP ALL ; #",
    "}} UNION { ?s ?p ?o }",
    '"""\n} # newline\n{',
    "\\\" \\u0022 \\\\",
    "Japan\u0000\u202e",
    "#",
]


@pytest.fixture(scope="module")
def engines(built):
    from kg.graph.rdfio import serialize

    return [OxigraphEngine(serialize(built.inferred, "ntriples")), RdflibEngine(built.inferred)]


@pytest.fixture
def label_query(tmp_path):
    path = tmp_path / "competency" / "label-is.rq"
    path.parent.mkdir()
    path.write_text("#+ summary: Things with this label\n"
                    "#+ description: test query\n"
                    "#+ param: wanted xsd:string Japan | the label\n"
                    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                    "SELECT ?thing WHERE { ?thing rdfs:label ?label . FILTER(STR(?label) = ?wanted) }\n",
                    encoding="utf-8")
    return parse_query_file(path)


def count(engine) -> int:
    rows = engine.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
    return int(rows[0][0].value)


def test_a_benign_value_finds_the_thing(engines, label_query):
    for engine in engines:
        rows = engine.run(label_query.text, bind(label_query, {})).rows
        assert [r[0].value for r in rows] == ["https://w3id.org/dispute-kg/id/agent/japan"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_only_ever_literals(engines, label_query, value):
    for engine in engines:
        before = count(engine)
        results = engine.run(label_query.text, bind(label_query, {"wanted": value}))
        assert results.rows == [], "a hostile string matched something or changed the query"
        assert count(engine) == before


@pytest.mark.parametrize("value", ['http://x/> } ; CLEAR DEFAULT ; <http://y', "post:a b", "post:<x>",
                                   'http://a/"b', "javascript:alert(1)"])
def test_hostile_iris_are_refused(value):
    from kg.query.catalogue import get_query

    query = get_query("who-held-post")
    with pytest.raises(QueryError):
        bind(query, {"post": value})


@pytest.mark.slow
def test_a_runaway_query_is_stopped_and_the_engine_stays_usable(engines):
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    for engine in engines:
        started = time.monotonic()
        with pytest.raises(QueryError, match="was stopped"):
            engine.run(cross, timeout=0.5)
        assert time.monotonic() - started < 30
        assert count(engine) > 0


def test_a_catastrophic_regex_is_stopped(engines):
    """Python's backtracking regex (rdflib) blows up; Oxigraph's linear-time engine does not."""
    regex = 'ASK { FILTER REGEX("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "^(a+)+$") }'
    oxigraph, rdflib_engine = engines
    assert oxigraph.run(regex, timeout=5).boolean is False
    with pytest.raises(QueryError, match="was stopped"):
        rdflib_engine.run(regex, timeout=1)


def test_cli_timeout_exits_2(cli):
    code, _, err = cli("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
                       "--timeout", "0.5")
    assert code == 2 and "was stopped" in err
    assert cli("query", "export-approvals", "--format", "csv")[0] == 0


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_a_whole_release(tmp_path):
    out = tmp_path / "dist"
    env = {**os.environ, "DISPUTE_KG_CACHE": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "kg", "build", "--out", str(out)]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    good = every_file(out)
    for delay in (0.05, 0.2, 0.4, 0.6, 0.8, 1.0, 1.3, 1.6):
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert every_file(out) == good, f"killed after {delay} s"
    final = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0
    assert not list(tmp_path.glob(".dist.staging-*")), "a later build removes staging left by killed ones"


# ---------------------------------------------------------------------------
# Random damage to the facts: only clean errors
# ---------------------------------------------------------------------------

def _mutate(text: str, data) -> str:
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 3))):
        kind = data.draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "char", "swap",
                                          "value", "junk"]))
        i = data.draw(st.integers(0, max(len(lines) - 1, 0)))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "indent":
            lines[i] = "  " + lines[i]
        elif kind == "dedent":
            lines[i] = lines[i][2:]
        elif kind == "char" and lines[i]:
            j = data.draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:j] + data.draw(st.sampled_from(list(":-[]{}'\"#&*!|>%@`\t\x00é日"))) + lines[i][j + 1:]
        elif kind == "swap" and len(lines) > 1:
            k = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[k] = lines[k], lines[i]
        elif kind == "value" and ": " in lines[i]:
            key = lines[i].split(": ", 1)[0]
            lines[i] = key + ": " + data.draw(st.sampled_from(
                ["", "~", "[]", "{}", "-1", "0", "1e999", ".nan", "true", "2019-02-30", "&a", "*a",
                 "!!python/object:os.system", "x" * 50, "[a, a]", "{en: ''}"]))
        elif kind == "junk":
            lines.insert(i, data.draw(st.text(max_size=20)))
    return "\n".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), name=st.sampled_from(["events.yaml", "agents.yaml", "posts.yaml", "statements.yaml",
                                               "sources.yaml"]))
@pytest.mark.slow
def test_random_mutations_give_only_clean_errors(facts_copy, data, name):
    from kg.facts.loader import load_facts

    path = facts_copy / name
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(_mutate(original, data), encoding="utf-8", errors="surrogatepass")
        try:
            load_facts(facts_copy)
        except FactsError as exc:
            assert str(exc).startswith(str(facts_copy)) or name in str(exc) or ".yaml" in str(exc)
    finally:
        path.write_text(original, encoding="utf-8")
