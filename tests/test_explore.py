"""Finding your way without SPARQL: search, describe, explanations, on the curated graph and copies."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import AmbiguousNameError, UnknownResourceError
from kg.explore.match import TIERS, normalize, rank, tier

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def explorer():
    from kg import explorer

    return explorer()


def ids(found: dict) -> list[str]:
    return [r["id"] for r in found["results"]]


# -- matching ----------------------------------------------------------------------------

def test_normalisation_ignores_case_width_and_accents_but_keeps_kana_voicing():
    assert normalize("ＤＳ５９０") == normalize("ds590") == "ds590"
    assert normalize("Séko") == normalize("SEKO") == "seko"
    assert normalize("Kono–Kang") == normalize("kono-kang") == "kono kang"
    assert normalize("ガ") != normalize("カ")
    assert normalize("세코 히로시게") == "세코 히로시게"


def test_tiers_rank_exact_before_prefix_before_token_before_partial():
    entries = [{"id": f"x:{n}", "kind": "agent",
                "keys": [{"kind": "label", "norm": normalize(text), "text": text, "lang": "en"}]}
               for n, text in enumerate(["Seko says the first approval shows", "Hiroshige Seko",
                                         "Sekolah", "Seko"])]
    order = [entry["keys"][0]["text"] for _, entry, _ in rank("seko", entries)]
    assert order == ["Seko", "Sekolah", "Hiroshige Seko", "Seko says the first approval shows"]
    assert [TIERS[tier("seko", normalize(t))[0]] for t in order] == ["exact", "prefix", "token", "token"]
    assert TIERS[tier("ekol", "sekolah")[0]] == "partial"
    fuzzy = rank("sekko", entries)
    assert fuzzy and all(order[0] == 4 for order, _, _ in fuzzy)
    assert rank("sekko", entries, allow_fuzzy=False) == []


@pytest.mark.parametrize("text", ["Seko", "세코", "世耕", "世耕弘成", "세코 히로시게", "hiroshige seko",
                                  "ＳＥＫＯ", "Séko", "Sekko"])
def test_search_finds_seko_by_any_of_his_names(explorer, text):
    assert ids(explorer.search(text))[0] == "agent:hiroshige-seko"


@pytest.mark.parametrize("text,first,match", [("stella chemifa", "agent:stella-chemifa", "exact"),
                                              ("ds590", "case:ds590", "exact"),
                                              ("DS 590", "case:ds590", "exact"),
                                              ("ステラケミファ", "agent:stella-chemifa", "exact"),
                                              ("대한민국", "agent:south-korea", "exact"),
                                              ("photoresist", "material:photoresist", "exact")])
def test_search_finds_the_right_resource_first(explorer, text, first, match):
    found = explorer.search(text)
    assert found["results"][0]["id"] == first and found["results"][0]["match"] == match
    tiers = [TIERS.index(r["match"]) for r in found["results"]]
    assert tiers == sorted(tiers), "results are ranked tier by tier"


def test_search_by_type_and_limit(explorer):
    found = explorer.search("ruling", "court ruling")
    assert found["type"] == "dkg:CourtRuling"
    assert set(ids(found)) >= {"event:supreme-court-ruling-nippon-steel-2018-10-30",
                               "event:supreme-court-ruling-mitsubishi-nagoya-2018-11-29"}
    assert all("dkg:CourtRuling" in r["types"] for r in found["results"])
    assert {"agent:kang-kyung-wha", "agent:kang-kam-chan"} <= set(ids(explorer.search("Kang", "dkg:Person")))
    people = explorer.search("japan", "Person")
    assert people["type"] == "dkg:Person" and all("dkg:Person" in r["types"] for r in people["results"])
    assert "agent:japan" not in ids(people)
    with pytest.raises(UnknownResourceError, match="no class named 'Persn'.*dkg:Person"):
        explorer.search("Kang", "Persn")


def test_a_name_matching_hundreds_gives_a_capped_ranked_list(explorer, cli):
    found = explorer.search("e", limit=5)
    assert found["total"] > 100 and len(found["results"]) == 5
    code, out, _ = cli("search", "e", "--limit", "5")
    assert code == 0 and f"(5 of {found['total']} matches" in out


@pytest.mark.parametrize("text,message", [("", "empty"), ("   ", "empty"), ("!!", "empty"),
                                          ("a\tb", "control character"), ("\x00", "control character"),
                                          ("x" * 100_000, "100000 characters")])
def test_bad_search_text_exits_2_with_a_message(cli, text, message):
    code, out, err = cli("search", text)
    assert code == 2 and message in err and "Traceback" not in err and out == ""


def test_search_limit_must_be_sane(cli):
    code, _, err = cli("search", "Seko", "--limit", "0")
    assert code == 2 and "--limit" in err


def test_search_without_a_match_says_so(cli):
    code, out, _ = cli("search", "zzqqxxw")
    assert code == 0 and "no resource matches 'zzqqxxw'; nothing is close" in out
    code, out, _ = cli("search", "Hirsoo Skeo")
    assert code == 0 and "no resource matches 'Hirsoo Skeo'; the closest: " in out
    assert "Hiroshige Seko (agent:hiroshige-seko)" in out
    code, out, _ = cli("search", "Hiroshige Sekko")
    assert code == 0 and "the closest names" in out and "agent:hiroshige-seko" in out


def test_search_json_is_plain_data(cli):
    code, out, _ = cli("search", "세코", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["results"][0]["id"] == "agent:hiroshige-seko"
    assert data["results"][0]["matched"] == {"kind": "label", "text": "세코 히로시게", "lang": "ko"}


# -- describe ----------------------------------------------------------------------------

def test_describe_an_event_shows_dates_sources_quotes_and_attribution(explorer):
    d = explorer.describe("event:second-photoresist-approval")
    assert d["kind"] == "event" and d["types"][0]["id"] == "dkg:ExportApproval"
    assert d["date"] == {"earliest": "2019-08-08", "latest": "2019-08-19", "precision": "month",
                         "phrase": "recently",
                         "resolved_against": d["date"]["resolved_against"]}
    assert d["date"]["resolved_against"]["id"] == "source:yonhap-2019-08-20-second-shipment"
    assert [a["id"] for a in d["actors"]] == ["agent:japan"]
    assert [m["id"] for m in d["materials"]] == ["material:photoresist"]
    assert [e["id"] for e in d["end_users"]] == ["agent:samsung-electronics"]
    assert d["under_measure"]["id"] == "event:japan-tightens-export-controls-july-2019"
    assert "narrows it to 8-19 August 2019" in d["curation_note"]
    seed = next(c for c in d["sources"]
                if c["source"]["id"] == "source:reuters-2019-08-20-second-photoresist-approval")
    assert seed["attributed_to"]["id"] == "agent:two-people-familiar-with-the-matter"
    assert seed["reported_as"] == "past" and seed["followed"] is False
    assert seed["claimed_dates"] == {"earliest": "2019-08-01", "latest": "2019-08-20"}
    assert seed["quote"]["text"].startswith("Japan has approved shipments of a high-tech material")
    assert seed["source"]["publisher"] == "Reuters" and seed["source"]["published"] == "2019-08-20"
    published = [c["source"]["published"] for c in d["sources"]]
    assert published == sorted(published)
    assert {s["id"] for s in d["statements"]} >= {"statement:samsung-declines-comment-second-approval"}


def test_describe_a_meeting_gives_each_participant_the_post_held_that_day(explorer):
    d = explorer.describe("event:kono-kang-meeting-beijing-2019-08-21")
    posts = {p["id"]: [(x["post"]["id"], x["basis"]) for x in p["posts"]] for p in d["participants"]}
    assert posts == {"agent:taro-kono": [("post:japan-foreign-minister", "tenure covers the dates")],
                     "agent:kang-kyung-wha": [("post:south-korea-foreign-minister",
                                               "tenure covers the dates")]}
    assert d["date"]["earliest"] == d["date"]["latest"] == "2019-08-21" and d["date"]["precision"] == "day"
    assert d["place"]["id"] == "place:beijing"
    assert {r["id"] for r in d["representing"]} == {"agent:japan", "agent:south-korea"}


def test_describe_attributes_claims_to_officials_with_their_posts(explorer):
    d = explorer.describe("event:first-photoresist-approval")
    seko = [c["attributed_to"] for c in d["sources"]
            if c["attributed_to"] and c["attributed_to"]["id"] == "agent:hiroshige-seko"]
    assert seko and seko[0]["posts"][0]["post"]["id"] == "post:japan-meti-minister"
    suga = next(c["attributed_to"] for c in d["sources"]
                if c["attributed_to"] and c["attributed_to"]["id"] == "agent:yoshihide-suga")
    assert suga["posts"][0]["post"]["id"] == "post:japan-chief-cabinet-secretary"


def test_describe_a_person_lists_tenures_events_and_attributed_claims(explorer):
    d = explorer.describe("Taro Kono")
    assert d["id"] == "agent:taro-kono" and d["labels"] == {"en": "Taro Kono", "ja": "河野太郎",
                                                           "ko": "고노 다로"}
    tenure = next(t for t in d["tenures"] if t["post"]["id"] == "post:japan-foreign-minister")
    assert (tenure["start"], tenure["end"]) == ("2017-08-03", "2019-09-11")
    assert any(c["source"]["id"] == "source:kyodo-2017-08-04-abe-picks-kono-as-top-envoy"
               for c in tenure["sources"])
    roles = {(x["event"]["id"], x["role"]["id"]) for x in d["involved_in"]}
    assert ("event:kono-kang-meeting-beijing-2019-08-21", "dkg:participant") in roles
    dates = [x["date"]["earliest"] for x in d["involved_in"]]
    assert dates == sorted(dates)


def test_describe_a_post_lists_every_holder_in_order(explorer):
    d = explorer.describe("post:japan-foreign-minister")
    holders = [h["holder"]["id"] for h in d["holders"]]
    assert holders.index("agent:taro-kono") < holders.index("agent:toshimitsu-motegi") < \
        holders.index("agent:fumio-kishida") < holders.index("agent:yoshimasa-hayashi")
    starts = [h["start"] for h in d["holders"] if h["start"]]
    assert starts == sorted(starts) and "2017-08-03" in starts and d["post_in"]["id"] == "agent:japan"


def test_describe_a_source_lists_every_claim_citing_it(explorer):
    d = explorer.describe("source:reuters-2019-08-20-second-photoresist-approval")
    assert d["publisher"]["id"] == "agent:reuters" and d["published"] == "2019-08-20"
    assert d["url"].startswith("https://") and d["title"].startswith("Japan Said to Have Approved")
    about = {c["subject"]["id"]: c for c in d["claims"]}
    assert "event:second-photoresist-approval" in about
    assert about["event:second-photoresist-approval"]["attributed_to"]["label"] == \
        "two people familiar with the matter"
    assert "tenure:taro-kono-japan-foreign-minister" in about


def test_describe_shows_what_points_to_a_resource_once(explorer):
    d = explorer.describe("agent:samsung-electronics")
    pointing = {(r["property"]["id"], r["resource"]["id"]) for r in d["referenced_by"]}
    assert ("dkg:endUser", "event:second-photoresist-approval") in pointing
    assert not any(p.startswith("prov:") for p, _ in pointing), "closure copies are left out"
    statement = explorer.describe("statement:seko-approval-shows-no-embargo-2019-08-08")
    props = {p["property"]["id"] for p in statement["properties"]}
    assert "dkg:actor" not in props and "prov:wasAssociatedWith" not in props
    assert statement["speaker"]["id"] == "agent:hiroshige-seko"


def test_every_description_is_plain_json_data(explorer):
    found = list(explorer.descriptions())
    assert len(found) == len(explorer.offsets) > 900
    for iri, d in found:
        assert json.loads(json.dumps(d)) == d and d["iri"] == iri


def info_candidates(explorer, name: str) -> list[str]:
    with pytest.raises(AmbiguousNameError) as info:
        explorer.describe(name)
    return info.value.candidates


def test_ambiguous_and_unknown_names(explorer, cli):
    with pytest.raises(AmbiguousNameError) as info:
        explorer.describe("Seko")
    assert "agent:hiroshige-seko" in info.value.candidates and len(info.value.candidates) > 1
    with pytest.raises(UnknownResourceError) as info:
        explorer.describe("event:kono-kang-meting-beijing")
    assert info.value.suggestions[0] == "event:kono-kang-meeting-beijing-2019-08-21"
    code, out, err = cli("describe", "Seko")
    assert code == 2 and f"matches {len(info_candidates(explorer, 'Seko'))} resources" in err and out == ""
    code, _, err = cli("describe", "Hiroshige Sekko")
    assert code == 2 and "not in the graph" in err and "agent:hiroshige-seko" in err


@pytest.mark.parametrize("name,message", [("https://example.org/thing", "outside the graph's namespaces"),
                                          ("", "empty"), ("x" * 100_000, "at most 2000"),
                                          ("a\x1bb", "control character")])
def test_describe_bad_names_exit_2(cli, name, message):
    code, _, err = cli("describe", name)
    assert code == 2 and message in err and "Traceback" not in err


def test_describe_by_slug_label_full_iri_and_in_three_formats(cli):
    for name in ("kono-kang-meeting-beijing-2019-08-21", "Kono-Kang foreign ministers' meeting in Beijing",
                 "https://w3id.org/dispute-kg/id/event/kono-kang-meeting-beijing-2019-08-21"):
        code, out, _ = cli("describe", name, "--format", "json")
        assert code == 0 and json.loads(out)["id"] == "event:kono-kang-meeting-beijing-2019-08-21"
    code, out, _ = cli("describe", "event:kono-kang-meeting-beijing-2019-08-21", "--wide")
    assert code == 0
    assert "Taro Kono (agent:taro-kono), Minister for Foreign Affairs of Japan" in out
    assert "date            2019-08-21 (precision: day)" in out
    code, out, _ = cli("describe", "agent:kim-you-geun", "--format", "turtle")
    import pyoxigraph as ox

    triples = list(ox.parse(out.encode(), format=ox.RdfFormat.TURTLE))
    assert triples and {t.subject.value for t in triples} == {
        "https://w3id.org/dispute-kg/id/agent/kim-you-geun"}
    assert out.splitlines()[0] == "@prefix agent: <https://w3id.org/dispute-kg/id/agent/> ."


def test_describe_text_wraps_to_the_terminal(cli, monkeypatch):
    from kg.query.table import display_width

    monkeypatch.setenv("COLUMNS", "70")
    code, out, _ = cli("describe", "agent:kim-you-geun")
    assert code == 0 and all(display_width(line) <= 70 for line in out.splitlines())
    words = " ".join(out.split())
    assert "Kim You-geun" in words and "김유근" in words
    assert "First Deputy Director of the National Security Office of South Korea" in words


# -- a facts copy: CJK labels, short labels, statuses, Wikidata ids ------------------------

def test_search_and_describe_follow_the_facts_they_are_given(facts_copy):
    import kg

    agents = facts_copy / "agents.yaml"
    agents.write_text(agents.read_text(encoding="utf-8").replace(
        "    label: {en: Japan, ja: 日本, ko: 일본}\n",
        "    label: {en: Japan, ja: 日本, ko: 일본}\n    wikidata: Q17\n"), encoding="utf-8")
    events = facts_copy / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "    label: Kono-Kang foreign ministers' meeting in Beijing\n",
        "    label: Kono-Kang foreign ministers' meeting in Beijing\n"
        "    short_label: Kono-Kang in Beijing\n"), encoding="utf-8")  # the seed marks it planned
    assert ids(kg.search("河野", facts_dir=facts_copy))[0] == "agent:taro-kono"
    assert ids(kg.search("고노", facts_dir=facts_copy))[0] == "agent:taro-kono"
    assert ids(kg.search("康京和", facts_dir=facts_copy))[0] == "agent:kang-kyung-wha"
    assert ids(kg.search("q17", facts_dir=facts_copy))[0] == "agent:japan"
    found = kg.search("Kono-Kang in Beijing", facts_dir=facts_copy)["results"][0]
    assert found["id"] == "event:kono-kang-meeting-beijing-2019-08-21" and found["match"] == "exact"
    assert found["matched"]["kind"] == "short label"
    d = kg.describe("event:kono-kang-meeting-beijing-2019-08-21", facts_dir=facts_copy)
    assert d["short_label"] == "Kono-Kang in Beijing" and d["status"]["id"] == "dkg:planned"
    assert kg.describe("Japan", facts_dir=facts_copy)["external_ids"] == [
        {"scheme": "Wikidata", "id": "Q17", "iri": "http://www.wikidata.org/entity/Q17"}]
    with pytest.raises(UnknownResourceError):
        kg.describe("agent:hiroshige-seko", facts_dir=facts_copy)


def test_the_index_is_cached_by_content_and_rebuilt_when_facts_change(facts_copy, monkeypatch):
    from kg.explore import index
    from kg import explorer

    first = explorer(facts_copy)
    monkeypatch.setattr(index.Explorer, "build", lambda *a: pytest.fail("the cache was not used"))
    assert explorer(facts_copy).entries == first.entries
    monkeypatch.undo()
    agents = facts_copy / "agents.yaml"
    agents.write_text(agents.read_text(encoding="utf-8").replace("{en: Wang Yi,", "{en: Wang Yi Jr,"),
                      encoding="utf-8")
    assert ids(explorer(facts_copy).search("Wang Yi Jr"))[0] == "agent:wang-yi"


def test_search_and_describe_import_neither_rdflib_nor_pyoxigraph(explorer):
    code = ("import sys, kg; kg.search('세코'); kg.describe('agent:hiroshige-seko'); "
            "print(sorted(m for m in ('rdflib', 'pyoxigraph') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# -- stored queries that explain themselves ------------------------------------------------

def test_an_unknown_resource_in_a_parameter_is_refused_with_the_closest(cli):
    code, _, err = cli("query", "who-held-post", "--param", "post=post:japan-foreign-ministr")
    assert code == 2 and "post:japan-foreign-ministr is not in the graph" in err
    assert "closest: post:japan-foreign-minister (Minister for Foreign Affairs of Japan)" in err
    import kg

    with pytest.raises(UnknownResourceError, match="agent:nobody-at-all"):
        kg.run_query("timeline", {"actor": "agent:nobody-at-all"})


def test_who_held_post_says_why_it_found_nobody(cli):
    code, out, err = cli("query", "who-held-post", "--param", "post=post:japan-meti-minister",
                         "--param", "day=2000-01-01")
    assert code == 0 and "(0 rows)" in out
    assert ("no tenure of Minister of Economy, Trade and Industry of Japan (post:japan-meti-minister) "
            "covers 2000-01-01 and no source attests a holder on that day; known holders: ") in err
    assert "Hiroshige Seko (2016-08-03 – 2019-09-11); Isshu Sugawara (2019-09-11 – 2019-10-25)" in err


def test_tenures_without_a_start_or_known_only_by_a_day(facts_copy, cli):
    """Tenures known only by their end, or only by a day they were attested on."""
    import kg
    from kg.explore.describe import Describer
    from kg.explore.triples import Triples
    from kg.pipeline import inferred_ntriples

    posts = facts_copy / "posts.yaml"
    text = posts.read_text(encoding="utf-8")
    for old, new in (("    holder: taro-kono\n    start: 2017-08-03\n", "    holder: taro-kono\n"),
                     ("    holder: kang-kyung-wha\n    start: 2017-06-18\n    end: 2021-02-08\n",
                      "    holder: kang-kyung-wha\n")):
        assert old in text
        text = text.replace(old, new)
    posts.write_text(text, encoding="utf-8")
    meeting = kg.describe("event:kono-kang-meeting-beijing-2019-08-21", facts_dir=facts_copy)
    posts_held = {p["id"]: [x["basis"] for x in p["posts"]] for p in meeting["participants"]}
    assert posts_held == {"agent:taro-kono": ["tenure ended on 2019-09-11; its start is not recorded"],
                          "agent:kang-kyung-wha": []}
    describer = Describer(Triples.from_ntriples(inferred_ntriples(facts_copy)))
    held = describer.posts_held("https://w3id.org/dispute-kg/id/agent/kang-kyung-wha", "2019-08-19", "2019-08-21")
    assert [(h["post"]["id"], h["basis"]) for h in held] == [("post:south-korea-foreign-minister",
                                                              "attested on 2019-08-20")]
    code, out, err = cli("query", "who-held-post", "--facts", facts_copy, "--param",
                         "post=post:japan-foreign-minister", "--param", "day=2019-08-21")
    assert code == 0 and "(0 rows)" in out
    assert "known holders: Taro Kono (start not recorded – 2019-09-11)" in err
    code, out, err = cli("query", "who-held-post", "--facts", facts_copy, "--param",
                         "post=post:south-korea-foreign-minister", "--param", "day=2019-08-21")
    assert "known holders: Kang Kyung-wha (attested 2019-08-20)" in err


def test_other_empty_answers_name_the_parameters(cli):
    code, _, err = cli("query", "statements", "--param", "actor=agent:hiroshige-seko",
                       "--param", "from=2030-01-01")
    assert code == 0 and "nothing matches --param actor=agent:hiroshige-seko --param from=2030-01-01" in err


def test_who_held_post_explanation_for_a_post_without_tenures(facts_copy):
    from kg.explore.explain import explain_empty
    from kg import explorer
    from kg.query.catalogue import bind, get_query

    query = get_query("who-held-post")
    given = {"post": "post:japan-foreign-minister", "day": "1990-01-01"}
    note = explain_empty(query, given, bind(query, given), lambda: explorer())
    assert note.startswith("no tenure of Minister for Foreign Affairs of Japan") and "Taro Kono (2017-08-03" in note


# -- the ten questions of the README --------------------------------------------------------

def _readme_questions() -> list[tuple[str, list[str], list[str]]]:
    """The README's questions: each ``dispute-kg`` command under a numbered question, and the
    words its answer line says the output holds (``<!-- expect: ... -->``)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Ten questions, answered without SPARQL", 1)[1].split("\n## ", 1)[0]
    questions = []
    for block in section.split("\n**Q")[1:]:
        commands = [line.strip().split(None, 1)[1] for line in block.splitlines()
                    if line.strip().startswith("dispute-kg ")]
        expect = [line.split("<!-- expect:", 1)[1].rsplit("-->", 1)[0].strip()
                  for line in block.splitlines() if "<!-- expect:" in line]
        questions.append((block.split("**", 1)[0], commands, expect))
    return questions


def test_the_readme_has_ten_questions():
    questions = _readme_questions()
    assert len(questions) == 10 and all(commands and expect for _, commands, expect in questions)


@pytest.mark.parametrize("number", range(10))
def test_each_readme_question_is_answered_by_its_commands(number, cli, monkeypatch):
    import shlex

    monkeypatch.delenv("COLUMNS", raising=False)  # whole cells, as in a pipe
    title, commands, expect = _readme_questions()[number]
    outputs = ""
    for command in commands:
        code, out, err = cli(*shlex.split(command))
        assert code == 0, f"Q{title}: {command}: {err}"
        outputs += out + err
    for words in expect:
        for word in words.split(" | "):
            assert word in outputs, f"Q{title}: {word!r} is not in the answer"


def test_the_five_ad_hoc_queries_of_the_readme_run_and_answer(cli):
    import shlex

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("Five ad hoc queries to start from", 1)[1].split("###", 1)[0]
    commands = [line for line in section.splitlines() if line.startswith("dispute-kg sparql ")]
    assert len(commands) == 5
    for command in commands:
        code, out, err = cli(*shlex.split(command)[1:], "--format", "csv")
        assert code == 0, f"{command}: {err}"
        assert len(out.splitlines()) > 1, f"{command} answers nothing"


def test_a_warm_search_from_the_command_line_does_not_load_the_pipeline(explorer):
    code = ("import sys; from kg.cli import main; main(['search', 'Seko']); "
            "print(sorted(m for m in ('kg.pipeline', 'rdflib', 'pyoxigraph') if m in sys.modules), "
            "file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and done.stderr.strip() == "[]", done.stderr
