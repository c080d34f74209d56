"""Sources you can follow and disagreements you can see: a source's address lies on its
publisher's or republisher's web domains (a loader rule); a tenure's citations may carry the
start and end their source claims, and `disputed-facts` lists disagreeing tenure dates and
attributions beside dates and counts."""

from __future__ import annotations

import pytest
from test_facts_loader import load_error, replace

from kg.facts.loader import load_facts
from kg.facts.rules import on_domain
from kg.query.catalogue import bind, get_query
from kg.query.engines import OxigraphEngine
from kg.reference.rdflib_engine import RdflibEngine

SEED_URL = ("https://gadgets360.com/mobiles/news/japan-said-to-have-approved-further-exports-of-"
            "high-tech-material-to-south-korea-2087644")
SEED_SOURCE = "reuters-2019-08-20-second-photoresist-approval"


@pytest.mark.parametrize("host, domains, on", [
    ("gadgets360.com", ("gadgets360.com",), True),
    ("www.gadgets360.com", ("gadgets360.com",), True),
    ("news.kbs.co.kr", ("reuters.com", "kbs.co.kr"), True),
    ("evilgadgets360.com", ("gadgets360.com",), False),
    ("gadgets360.com.evil.org", ("gadgets360.com",), False),
    ("kbs.co.kr", ("news.kbs.co.kr",), False),
    ("gadgets360.com", (), False),
])
def test_a_host_is_on_a_domain_by_whole_labels(host, domains, on):
    assert on_domain(host, domains) is on


def test_the_seed_source_is_on_its_republishers_domain(facts_copy):
    facts = load_facts(facts_copy)
    seed = next(s for s in facts.sources if s.id == SEED_SOURCE)
    assert (seed.url, seed.publisher, seed.republished_by) == (SEED_URL, "reuters", "gadgets-360")


@pytest.mark.parametrize("url", [
    "https://www.reuters.com/article/us-japan-southkorea",
    "https://evilgadgets360.com/mobiles/news/x",
    "https://news.kbs-world.co.kr/x",
])
def test_a_host_on_neither_publishers_nor_republishers_domains_is_refused(facts_copy, url):
    replace(facts_copy / "sources.yaml", SEED_URL, url)
    error = load_error(facts_copy)
    assert (error.entry, error.field) == (f"source '{SEED_SOURCE}'", "url")
    host = url.split("/")[2]
    assert (f"host '{host}' is not on its publisher's or republisher's web domains "
            "('reuters': none given; 'gadgets-360': gadgets360.com)") in str(error)


def test_a_subdomain_of_the_publishers_domain_is_accepted(facts_copy):
    replace(facts_copy / "agents.yaml", "    label: {en: Reuters}\n",
            "    label: {en: Reuters}\n    domains: [reuters.com]\n")
    replace(facts_copy / "sources.yaml", "    republished_by: gadgets-360\n", "")
    replace(facts_copy / "sources.yaml", SEED_URL, "https://www.reuters.com/article/x")
    seed = next(s for s in load_facts(facts_copy).sources if s.id == SEED_SOURCE)
    assert (seed.url, seed.republished_by) == ("https://www.reuters.com/article/x", None)


def test_a_publisher_without_domains_is_named_in_the_error(facts_copy):
    replace(facts_copy / "sources.yaml", "    republished_by: gadgets-360\n", "")
    error = load_error(facts_copy)
    assert "('reuters': none given)" in str(error)


# --- a tenure's start and end as each source claims them ----------------------------------------

KONO_CITATION = ("      - source: reuters-2019-08-20-second-photoresist-approval\n"
                 "        quote: Japan's latest move comes ahead a meeting between Japanese Foreign "
                 "Minister Taro Kono")


def cite_kono_with(facts_copy, *lines: str) -> None:
    """Give the seed's citation of Kono's tenure further keys, one ``key: value`` per line."""
    extra = "".join(f"        {line}\n" for line in lines)
    replace(facts_copy / "posts.yaml", KONO_CITATION,
            KONO_CITATION.replace("second-photoresist-approval\n", "second-photoresist-approval\n" + extra))


def test_a_tenure_citation_carries_its_claimed_start_and_end(facts_copy):
    cite_kono_with(facts_copy, "start: 2017-08-03", "end: 2019-09-11", "followed: false")
    facts = load_facts(facts_copy)
    cite = facts.tenures[0].sources[0]
    assert (str(cite.start), str(cite.end), cite.followed) == ("2017-08-03", "2019-09-11", False)


@pytest.mark.parametrize("key", ["start", "end"])
def test_only_a_tenures_citation_claims_a_start_or_end(facts_copy, key):
    replace(facts_copy / "events.yaml", "        reported_as: future\n",
            f"        reported_as: future\n        {key}: 2019-08-21\n")
    error = load_error(facts_copy)
    assert error.field == f"sources.{key}" and "only a tenure's citations give" in str(error)


def test_a_tenure_citation_claims_a_start_not_a_date(facts_copy):
    cite_kono_with(facts_copy, "date: 2017-08-03")
    error = load_error(facts_copy)
    assert error.field == "sources.date" and "not 'date' or 'count'" in str(error)


def test_a_claimed_end_before_the_claimed_start_is_refused(facts_copy):
    cite_kono_with(facts_copy, "start: 2019-09-11", "end: 2017-08-03")
    error = load_error(facts_copy)
    assert error.field == "sources.end" and "end 2017-08-03 before start 2019-09-11" in str(error)


def test_followed_on_a_tenure_needs_a_disagreement(facts_copy):
    cite_kono_with(facts_copy, "followed: true")
    error = load_error(facts_copy)
    assert error.field == "sources.followed" and "tenure 'start'/'end'" in str(error)


# --- disputed-facts --------------------------------------------------------------------------

#: A second source that disagrees with the seed on a tenure's start and on who spoke.
SECOND_SOURCE = """
  - id: wire-2019-08-21-disagreeing-report
    type: NewsReport
    title: A report that disagrees
    publisher: reuters
    republished_by: gadgets-360
    published: 2019-08-21
    url: https://gadgets360.com/x
"""


def _disputed_rows(facts_dir):
    from kg.pipeline import build

    built = build(facts_dir)
    query = get_query("disputed-facts")
    rows = []
    for engine in (OxigraphEngine(built.ntriples("inferred")), RdflibEngine(built.rdflib("inferred"))):
        results = engine.run(query.text, bind(query, {}))
        rows.append({tuple(row[results.variables.index(v)] and row[results.variables.index(v)].value
                           for v in ("issue", "fact", "source", "followed", "claimedEarliest",
                                     "claimedLatest", "attributedTo", "recordEarliest", "recordLatest"))
                     for row in results.rows})
    assert rows[0] == rows[1], "Oxigraph and rdflib disagree"
    return rows[0]


def test_disputed_facts_lists_tenure_dates_and_attributions(facts_copy):
    (facts_copy / "sources.yaml").write_text(
        (facts_copy / "sources.yaml").read_text(encoding="utf-8") + SECOND_SOURCE, encoding="utf-8")
    cite_kono_with(facts_copy, "start: 2017-08-03", "followed: true")
    replace(facts_copy / "posts.yaml", "  - id: kang-kyung-wha-south-korea-foreign-minister\n",
            "      - source: wire-2019-08-21-disagreeing-report\n        start: 2017-08-04\n"
            "        followed: false\n"
            "  - id: kang-kyung-wha-south-korea-foreign-minister\n")
    replace(facts_copy / "statements.yaml",
            "        attributed_to: senior-south-korean-government-official\n\n",
            "        attributed_to: senior-south-korean-government-official\n        followed: true\n"
            "      - source: wire-2019-08-21-disagreeing-report\n"
            "        attributed_to: government-officials\n        followed: false\n\n")
    rows = _disputed_rows(facts_copy)
    base = "https://w3id.org/dispute-kg/id/"
    tenure = base + "tenure/taro-kono-japan-foreign-minister"
    statement = base + "statement/senior-official-approval-not-conciliatory"
    seed, second = base + "source/" + SEED_SOURCE, base + "source/wire-2019-08-21-disagreeing-report"
    assert {r for r in rows if r[0] == "tenure dates"} == {
        ("tenure dates", tenure, seed, "true", "2017-08-03", None, None, "2017-08-03", "2019-09-11"),
        ("tenure dates", tenure, second, "false", "2017-08-04", None, None, "2017-08-03", "2019-09-11"),
    }
    assert {r[:4] + r[6:7] for r in rows if r[0] == "attribution"} == {
        ("attribution", statement, seed, "true", base + "agent/senior-south-korean-government-official"),
        ("attribution", statement, second, "false", base + "agent/government-officials"),
    }


def test_agreeing_attributions_are_no_dispute(facts_copy):
    rows = _disputed_rows(facts_copy)
    assert not [r for r in rows if r[0] in ("attribution", "tenure dates")]
    assert {r[0] for r in rows} == {"single source"}
