"""Optional filter parameters: each narrows its stored query, on both engines; unset, none changes it."""

from __future__ import annotations

import pytest

from kg.errors import QueryError
from kg.query.catalogue import bind, get_query, parse_query_file
from kg.query.engines import OxigraphEngine
from kg.reference.rdflib_engine import RdflibEngine


@pytest.fixture(scope="module")
def engines(built):
    return [OxigraphEngine(built.ntriples("inferred")), RdflibEngine(built.inferred)]


def rows(engine, name: str, params: dict[str, str] | None = None) -> list[dict[str, str]]:
    query = get_query(name)
    results = engine.run(query.text, bind(query, params or {}), timeout=None)
    return [{v: (t.value if t else None) for v, t in zip(results.variables, row)} for row in results.rows]


EVENT = "https://w3id.org/dispute-kg/id/event/"


def acted_in(iri: str, agent: str) -> bool:
    """Whether ``agent`` is among an event's actors, by kg.describe (not by SPARQL)."""
    import kg

    return agent in {a["id"] for a in kg.describe(iri)["actors"]}

# (query, parameters, a check every row must pass)
NARROWING = [
    ("approvals-before-meetings", {"meeting": "event:kono-kang-meeting-beijing-2019-08-21"},
     lambda r: r["meeting"] == EVENT + "kono-kang-meeting-beijing-2019-08-21"),
    ("approvals-before-meetings", {"material": "material:hydrogen-fluoride"},
     lambda r: "hydrogen fluoride" in r["approvalLabel"] or "three materials" in r["approvalLabel"]),
    ("approvals-before-meetings", {"relation": "certainly"},
     lambda r: r["relation"] == "certainly" and r["approvalLatest"] < r["meetingEarliest"]),
    ("approvals-before-meetings", {"relation": "possibly"},
     lambda r: r["relation"] == "possibly" and r["approvalLatest"] >= r["meetingEarliest"]),
    ("timeline", {"actor": "agent:hiroshige-seko"}, lambda r: "Seko" in r["label"] or "white list" in r["label"]),
    ("timeline", {"from": "2023-01-01"}, lambda r: r["latest"] >= "2023-01-01"),
    ("timeline", {"to": "2018-12-31"}, lambda r: r["earliest"] <= "2018-12-31"),
    ("responses", {"actor": "agent:south-korea"},
     lambda r: acted_in(r["response"], "agent:south-korea") or acted_in(r["cause"], "agent:south-korea")),
    ("responses", {"from": "2023-01-01"}, lambda r: r["responseLatest"] >= "2023-01-01"),
    ("responses", {"to": "2019-08-31"}, lambda r: r["responseEarliest"] <= "2019-08-31"),
    ("statements", {"actor": "agent:hiroshige-seko"}, lambda r: r["speakerName"] == "Hiroshige Seko"),
    ("statements", {"from": "2019-08-20"}, lambda r: r["latest"] >= "2019-08-20"),
    ("statements", {"to": "2019-07-31"}, lambda r: r["earliest"] <= "2019-07-31"),
]


@pytest.mark.parametrize("name,params,check", NARROWING,
                         ids=[f"{n}-{'-'.join(p)}" for n, p, _ in NARROWING])
@pytest.mark.slow
def test_each_filter_narrows_its_query_on_both_engines(engines, name, params, check):
    fast, reference = engines
    everything = rows(fast, name)
    narrowed = rows(fast, name, params)
    assert narrowed, "the filter keeps the rows it is about"
    assert len(narrowed) < len(everything), "the filter leaves some rows out"
    assert all(row in everything for row in narrowed)
    assert all(check(row) for row in narrowed)
    assert [r for r in everything if check(r) and r in narrowed] == narrowed
    slow = rows(reference, name, params)
    assert sorted(map(str, slow)) == sorted(map(str, narrowed)), "rdflib agrees"


def test_filters_combine(engines):
    fast, _ = engines
    found = rows(fast, "approvals-before-meetings", {"meeting": "event:kono-kang-meeting-beijing-2019-08-21",
                                                     "relation": "certainly"})
    assert [r["approval"].rsplit("/", 1)[1] for r in found] == ["first-photoresist-approval",
                                                                "second-photoresist-approval"]


def test_an_actor_filter_finds_what_the_agent_took_part_in(engines):
    fast, _ = engines
    kono = rows(fast, "timeline", {"actor": "agent:taro-kono"})
    assert EVENT + "kono-kang-meeting-beijing-2019-08-21" in {r["event"] for r in kono}
    japan = rows(fast, "timeline", {"actor": "agent:japan"})
    assert EVENT + "kono-kang-meeting-beijing-2019-08-21" in {r["event"] for r in japan}, \
        "a state represented at a meeting"


def test_unset_filters_change_nothing(engines):
    fast, _ = engines
    for name in ("approvals-before-meetings", "timeline", "responses", "statements"):
        query = get_query(name)
        assert [p.name for p in query.params if p.optional], f"{name} has optional filters"
        assert all(p.optional for p in query.params)
        assert bind(query, {}) == {}
        from kg.query.results import from_tsv

        expected = from_tsv(query.expected_path.read_text(encoding="utf-8"))
        got = fast.run(query.text, {}, timeout=None)
        assert got.comparable(query.ordered) == expected.comparable(query.ordered)


def test_filters_are_documented_in_the_query_headers(cli):
    code, out, _ = cli("queries")
    assert code == 0
    assert "--param meeting=<iri> (optional)" in out and "--param from=<xsd:date> (optional)" in out


def test_optional_parameter_syntax(tmp_path):
    good = tmp_path / "q.rq"
    good.write_text("#+ summary: s\n#+ param: who iri? | an optional filter\n"
                    "SELECT ?x WHERE { ?x ?p ?o FILTER (!BOUND(?who) || ?x = ?who) }\n", encoding="utf-8")
    query = parse_query_file(good, "competency")
    assert query.params[0].optional and query.params[0].type == "iri" and query.params[0].default is None
    bad = tmp_path / "bad.rq"
    bad.write_text("#+ summary: s\n#+ param: who iri? agent:x | optional with a default\nSELECT * {}\n",
                   encoding="utf-8")
    with pytest.raises(QueryError, match="optional parameter 'who' cannot have a default"):
        parse_query_file(bad, "competency")


def test_a_bad_filter_value_is_refused(cli):
    code, _, err = cli("query", "timeline", "--param", "from=last year")
    assert code == 2 and "expected a date" in err
    code, _, err = cli("query", "statements", "--param", "actor=agent:hiroshige-sek")
    assert code == 2 and "closest: agent:hiroshige-seko" in err
