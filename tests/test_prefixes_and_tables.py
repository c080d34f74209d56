"""Prefixes every query may use undeclared, and tables that fit the terminal (CJK by display width)."""

from __future__ import annotations

import pytest

from kg.query.prefixes import NOTES, PREFIXES, declare_missing, prologue
from kg.query.table import cut, display_width, layout, wrap

DKG = "https://w3id.org/dispute-kg/ontology#"
UNDECLARED = "SELECT ?who WHERE { event:kono-kang-meeting-beijing-2019-08-21 dkg:participant ?who }"


# -- prefixes ------------------------------------------------------------------------------

def test_the_prefix_table_has_ours_and_the_standard_ones():
    for name in ("dkg", "event", "agent", "post", "source", "tenure", "claim", "rdf", "rdfs", "owl",
                 "xsd", "skos", "prov", "time", "org", "schema", "dcterms", "foaf"):
        assert name in PREFIXES
    assert set(NOTES) == set(PREFIXES), "every prefix says what it is for"


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_ad_hoc_queries_use_prefixes_undeclared(cli, engine):
    code, out, err = cli("sparql", UNDECLARED, "--engine", engine, "--format", "csv")
    assert code == 0, err
    assert set(out.split()) == {"who", "https://w3id.org/dispute-kg/id/agent/taro-kono",
                                "https://w3id.org/dispute-kg/id/agent/kang-kyung-wha"}


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_query_declaring_a_prefix_itself_keeps_its_own(cli, engine):
    code, out, err = cli("sparql", "PREFIX dkg: <http://example.org/other#> "
                                   "SELECT (COUNT(*) AS ?n) WHERE { ?s dkg:participant ?o }",
                         "--engine", engine, "--format", "csv")
    assert code == 0, err
    assert out.split() == ["n", "0"]


def test_printed_ids_paste_back_into_queries(cli):
    code, out, _ = cli("query", "who-held-post", "--format", "csv")
    assert code == 0
    code, out, _ = cli("query", "who-held-post")
    tenure = next(word for word in out.split() if word.startswith("tenure:"))
    code, out, err = cli("sparql", f"SELECT ?post WHERE {{ {tenure} dkg:tenureOf ?post }}")
    assert code == 0 and "post:japan-foreign-minister" in out, err


def test_prologue_is_read_by_the_grammar():
    text = ("# a comment with PREFIX fake: <x>\nBASE <http://b/>\nprefix  my.ns:<http://m/>\n"
            "PREFIX : <http://empty/>\nSELECT * WHERE { ?s ?p 'PREFIX nope: <x>' }")
    declared, end = prologue(text)
    assert declared == {"my.ns", ""} and text[end:].lstrip().startswith("SELECT")
    assert prologue("SELECT * {}") == (set(), 0)


def test_declare_missing_adds_only_what_is_missing_and_keeps_line_numbers():
    import pyoxigraph as ox

    text = "PREFIX dkg: <http://example.org/other#>\nSELECT ?x WHERE {\n  ?x dkg:p event:e }"
    declared = declare_missing(text)
    assert declared.count("PREFIX dkg:") == 1 and "PREFIX event:" in declared
    assert declared.splitlines()[1:] == text.splitlines()[1:]
    assert [v.value for v in ox.Store().query(declared).variables] == ["x"], "it parses alone"
    assert declare_missing(declared) == declared


def test_remote_stores_get_the_missing_declarations(built):
    from kg.query.remote import RemoteEngine
    from kg.query.serve import start
    from tests.conftest import require_program

    require_program("oxigraph", "pip install oxigraph")
    server = start(built.ntriples("inferred"), 0)
    try:
        results = RemoteEngine(server.query_url).run(UNDECLARED)
    finally:
        server.stop()
    assert sorted(t.value for row in results.rows for t in row) == [
        "https://w3id.org/dispute-kg/id/agent/kang-kyung-wha", "https://w3id.org/dispute-kg/id/agent/taro-kono"]


def test_parameters_take_prefixes_and_name_unknown_ones(cli):
    code, out, _ = cli("query", "wto-case-history", "--param", "case=case:ds590")
    assert code == 0 and "ds590-withdrawn" in out
    code, _, err = cli("query", "wto-case-history", "--param", "case=cse:ds590")
    assert code == 2 and "unknown prefix 'cse:'" in err and "dispute-kg prefixes" in err


@pytest.mark.parametrize("fmt,line", [("sparql", f"PREFIX dkg: <{DKG}>"), ("turtle", f"@prefix dkg: <{DKG}> ."),
                                      ("table", "dkg:")])
def test_prefixes_command(cli, fmt, line):
    code, out, _ = cli("prefixes", "--format", fmt)
    assert code == 0 and line in out and "event:" in out


def test_prefixes_command_json(cli):
    import json

    code, out, _ = cli("prefixes", "--format", "json")
    assert code == 0 and json.loads(out) == PREFIXES


# -- tables --------------------------------------------------------------------------------

def test_display_width_counts_wide_characters_twice():
    assert display_width("Seko") == 4
    assert display_width("世耕弘成") == 8
    assert display_width("세코 히로시게") == 13
    assert display_width("e\u0301") == 1
    assert display_width("ＤＳ") == 4


def test_cjk_columns_line_up_by_display_width():
    text = layout(["name", "id"], [["世耕弘成", "agent:hiroshige-seko"], ["Seko", "x"],
                                   ["세코 히로시게", "y"]])
    lines = text.splitlines()
    for line, value in zip(lines[2:], ["agent:hiroshige-seko", "x", "y"]):
        assert display_width(line[:line.rindex(value)]) == display_width("세코 히로시게") + 2, text


def test_tables_fit_the_width_and_wrap_or_cut():
    rows = [["event:second-photoresist-approval",
             "Japan's second approval of photoresist exports to South Korea under the new controls",
             "2019-08-08"],
            ["event:x", "韓国向け輸出、初の許可 申請審査、標準より早く" * 3, "2019-08-09"]]
    text = layout(["event", "label", "earliest"], rows, width=60, footer="(2 rows)")
    assert all(display_width(line) <= 60 for line in text.splitlines())
    assert "2019-08-08" in text and "2019-08-09" in text, "short columns stay whole"
    assert "…" in text, "what still does not fit is cut with an ellipsis"
    whole = layout(["event", "label", "earliest"], rows, width=None)
    assert rows[0][1] in whole and rows[1][1] in whole


def test_wrap_and_cut():
    assert wrap("one two three", 7) == ["one two", "three"]
    assert wrap("kono-kang-meeting-beijing-2019-08-21", 12, None) == ["kono-kang-", "meeting-", "beijing-",
                                                                "2019-08-21"]
    assert all(display_width(line) <= 6 for line in wrap("世耕弘成経済産業相", 6))
    assert wrap("a b c d e f", 1, max_lines=2)[-1].endswith("…")
    assert cut("世耕弘成", 5) == "世耕…"


def test_constant_columns_are_shown_once_above_a_narrow_table():
    rows = [[f"event:approval-{n}", "event:kono-kang-meeting-beijing-2019-08-21", "certainly"]
            for n in range(3)]
    text = layout(["approval", "meeting", "relation"], rows, width=40)
    assert text.count("kono-kang") == 1 and "(the same in every row)" in text
    assert text.count("event:approval-") == 3


def test_query_tables_fit_the_terminal_unless_wide(cli, monkeypatch):
    args = ("query", "approvals-before-meetings", "--param", "meeting=event:kono-kang-meeting-beijing-2019-08-21")
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = cli(*args)
    assert code == 0 and all(display_width(line) <= 100 for line in out.splitlines())
    assert "meetingLabel: Kono-Kang foreign ministers' meeting in Beijing" in out and "(5 rows)" in out
    code, wide, _ = cli(*args, "--wide")
    assert max(display_width(line) for line in wide.splitlines()) > 100
    assert "Japan's second approval of photoresist exports to South Korea under the new controls" in wide


def test_make_run_headline_is_short_and_readable(cli, monkeypatch):
    """`make run` ends with the headline answer: a few rows that fit an 100-column terminal,
    and the README shows the same command."""
    import shlex
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    recipe = root.joinpath("Makefile").read_text(encoding="utf-8").split("\nrun:", 1)[1].split("\n\n", 1)[0]
    command = next(line.strip() for line in recipe.splitlines() if "dispute-kg query" in line)
    args = shlex.split(command.split("dispute-kg", 1)[1])
    assert " ".join(["dispute-kg", *args]) in root.joinpath("README.md").read_text(encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = cli(*args)
    assert code == 0 and len(out.splitlines()) <= 30
    assert all(display_width(line) <= 100 for line in out.splitlines())
