"""The release's web site: a page for every resource, its description beside it, search, links,
escaping, valid HTML, schema.org data, and pages checked in a real browser."""

from __future__ import annotations

import html.parser
import json
import re
import shutil
import struct
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

from kg.graph import iris
from tests.browser import SETTLE, chromium, page_console
from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # drives headless Chromium over the whole site; `make test-fast` leaves it out

ARTIFACTS = ROOT / "tests" / "artifacts"
DKG = iris.DKG
SCHEMA = "https://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SEKO = "id/agent/hiroshige-seko.html"
EVENT = "id/event/second-photoresist-approval.html"
KONO = "id/agent/taro-kono.html"
LABEL = "Kono <script>alert(1)</script><b>bold</b> & co"


@pytest.fixture(scope="module")
def site(release_dir) -> Path:
    return release_dir / "site"


def _store(path: Path):
    import pyoxigraph as ox

    found = ox.Store()
    found.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    return found


@pytest.fixture(scope="module")
def store(release_dir):
    """The released asserted graph in an Oxigraph store, to read it independently of the site."""
    return _store(release_dir / "dispute-kg.nt")


@pytest.fixture(scope="module")
def inferred(release_dir):
    """The released inferred graph, where every resource has all its classes."""
    return _store(release_dir / "dispute-kg-inferred.nt")


def resources_of(store, cls: str) -> set[str]:
    return {row["x"].value for row in store.query(f"SELECT DISTINCT ?x WHERE {{ ?x a <{cls}> }}")}


def page_of(iri: str) -> str:
    return "id/" + iri[len(iris.ID):] + ".html"


class Html(html.parser.HTMLParser):
    """Links, ids, scripts and the first heading of a page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.loads: list[str] = []        # what the page itself loads (scripts, styles, images)
        self.ids: set[str] = set()
        self.data_blocks: list[str] = []
        self.h1 = ""
        self._in: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "link" and attrs.get("href"):
            (self.loads if attrs.get("rel") == "stylesheet" else self.links).append(attrs["href"])
        if tag in ("script", "img", "iframe", "source", "embed") and attrs.get("src"):
            self.loads.append(attrs["src"])
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in.append("ld")
        elif tag == "h1":
            self._in.append("h1")
        else:
            self._in.append(tag)

    def handle_endtag(self, tag):
        if self._in:
            self._in.pop()

    def handle_data(self, data):
        if self._in and self._in[-1] == "ld":
            self.data_blocks.append(data)
        elif "h1" in self._in:
            self.h1 += data


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# ---------------------------------------------------------------------------
# Every resource has its page and its description
# ---------------------------------------------------------------------------

def test_every_event_person_and_source_has_a_page(site, inferred):
    for cls in ("Event", "Person", "SourceDocument", "Post", "Organisation", "State", "Material", "LegalCase",
                "Agreement", "Tenure", "Place"):
        found = resources_of(inferred, DKG + cls)
        missing = sorted(iri for iri in found if not (site / page_of(iri)).is_file())
        assert missing == [], cls
    assert len(resources_of(inferred, DKG + "Event")) > 50


def test_every_resource_iri_leads_somewhere(site, store):
    """Claims have no page of their own: each stands, under its own id, on its record's page."""
    subjects = {row["s"].value for row in store.query(
        f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER STRSTARTS(STR(?s), '{iris.ID}') }}")}
    for iri in subjects:
        if "/id/claim/" not in iri:
            assert (site / page_of(iri)).is_file(), iri
    claims = [(row["c"].value, row["r"].value) for row in store.query(
        f"SELECT ?c ?r WHERE {{ ?c <{DKG}claimAbout> ?r }}")]
    assert claims
    by_page: dict[str, set[str]] = {}
    for claim, record in claims:
        by_page.setdefault(page_of(record), set()).add(claim.rsplit("/", 1)[1])
    for page, anchors in by_page.items():
        ids = Html((site / page).read_text(encoding="utf-8")).ids
        assert anchors <= ids, page


def description_in_graph(store, iri: str) -> set:
    """The resource's statements and those of its claims, straight from the graph."""
    query = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ BIND(<{iri}> AS ?s) ?s ?p ?o }} "
             f"UNION {{ ?s <{DKG}claimAbout> <{iri}> ; ?p ?o }} }}")
    return {(t.subject, t.predicate, t.object) for t in store.query(query)}


def test_each_description_parses_and_is_the_resource_in_the_graph(site, store):
    import pyoxigraph as ox

    formats = {".ttl": ox.RdfFormat.TURTLE, ".jsonld": ox.RdfFormat.JSON_LD, ".nt": ox.RdfFormat.N_TRIPLES}
    checked = 0
    for page in sorted((site / "id").rglob("*.html")):
        iri = iris.ID + page.relative_to(site / "id").with_suffix("").as_posix()
        expected = description_in_graph(store, iri)
        assert expected, iri
        for suffix, fmt in formats.items():
            found = {(q.subject, q.predicate, q.object)
                     for q in ox.parse(page.with_suffix(suffix).read_bytes(), format=fmt)}
            assert found == expected, page.with_suffix(suffix).name
        checked += 1
    assert checked > 400


def test_pages_link_their_descriptions_as_alternates(site):
    text = (site / EVENT).read_text(encoding="utf-8")
    for media, suffix in (("text/turtle", "ttl"), ("application/ld+json", "jsonld"),
                          ("application/n-triples", "nt")):
        assert f'<link rel="alternate" type="{media}" href="second-photoresist-approval.{suffix}">' in text


# ---------------------------------------------------------------------------
# What pages show
# ---------------------------------------------------------------------------

def test_an_event_page_shows_dates_sources_quotes_and_links(site):
    text = (site / EVENT).read_text(encoding="utf-8")
    assert "between 8 Aug 2019 and 19 Aug 2019 (known to the month)" in text
    assert "two people familiar with the matter" in text
    assert "for the second time since imposing export curbs last month" in text
    assert 'href="../agent/samsung-electronics.html"' in text
    assert 'href="../../timeline.html#event=' in text


def test_a_source_page_links_to_the_original_and_to_what_it_is_cited_for(site):
    text = (site / "id/source/yonhap-2019-08-20-second-shipment.html").read_text(encoding="utf-8")
    assert 'href="http://www.koreapost.com/news/articleView.html?idxno=9852" rel="external' in text
    assert ('href="../event/second-photoresist-approval.html#'
            'event--second-photoresist-approval--yonhap-2019-08-20-second-shipment"') in text


def test_a_person_page_shows_names_in_every_language(site):
    text = (site / SEKO).read_text(encoding="utf-8")
    assert '<span lang="ja">世耕弘成</span>' in text and '<span lang="ko">세코 히로시게</span>' in text


def test_lists_and_index(site, inferred):
    people = (site / "lists/people.html").read_text(encoding="utf-8")
    assert f'href="../{SEKO}"' in people
    events = Html((site / "lists/events.html").read_text(encoding="utf-8"))
    assert {"y2019", "y2023"} <= events.ids
    index = (site / "index.html").read_text(encoding="utf-8")
    for name in ("approvals-before-meetings", "who-held-post", "timeline-events"):
        assert f'href="query.html#{name}"' in index
    assert 'href="../dispute-kg-inferred.ttl"' in index and "SPARQL endpoint" in index
    assert f"<td class=\"n\">{len(resources_of(inferred, DKG + 'Person'))}</td>" in index


# ---------------------------------------------------------------------------
# Safe and self-contained
# ---------------------------------------------------------------------------

def test_no_page_loads_anything_from_elsewhere(site):
    for page in pages(site):
        found = Html(page.read_text(encoding="utf-8"))
        assert all(not urlsplit(src).scheme and not src.startswith("//") for src in found.loads), page
        text = page.read_text(encoding="utf-8")
        assert "default-src &#39;none&#39;" in text or "default-src 'none'" in text, page


def test_a_link_checker_finds_no_broken_internal_link(site):
    """Every relative link of every page leads to a file of the release, and every #id to an
    element of its page."""
    ids: dict[Path, set[str]] = {}
    broken = []
    for page in pages(site):
        parsed = Html(page.read_text(encoding="utf-8"))
        ids[page] = parsed.ids
        base = site if page.name == "404.html" else page.parent  # the 404 page links from the root
        for link in parsed.links + parsed.loads:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue
            path = unquote(parts.path)
            target = (site / path.lstrip("/")) if path.startswith("/") else (base / path) if path else page
            if not target.resolve().is_file():
                broken.append(f"{page.relative_to(site)} -> {link}")
            elif parts.fragment and target.suffix == ".html":
                broken.append((page, link, target.resolve(), parts.fragment))
    fragments = [b for b in broken if isinstance(b, tuple)]
    missing = [b for b in broken if isinstance(b, str)]
    assert missing == []
    for page, link, target, fragment in fragments:
        if target.name == "timeline.html" or target.name == "query.html":
            continue  # their scripts read the fragment (an event's IRI, a query's name)
        known = ids.get(target) or Html(target.read_text(encoding="utf-8")).ids
        assert unquote(fragment) in known, f"{page} -> {link}"


def test_pages_are_valid_html5(site):
    import html5lib

    sample = [site / name for name in ("index.html", "query.html", "404.html", "timeline.html")]
    sample += sorted((site / "lists").glob("*.html"))
    for folder in sorted((site / "id").iterdir()):
        sample += sorted(folder.glob("*.html"))[:3]
    for page in sample:
        html5lib.HTMLParser(strict=True).parse(page.read_bytes())


def test_the_embedded_schema_org_data_parses(site):
    import pyoxigraph as ox

    expected = {EVENT: "Event", SEKO: "Person", "id/source/yonhap-2019-08-20-second-shipment.html": "NewsArticle",
                "id/agent/meti.html": "GovernmentOrganization", "index.html": "Dataset"}
    for name, kind in expected.items():
        blocks = Html((site / name).read_text(encoding="utf-8")).data_blocks
        assert len(blocks) == 1, name
        triples = list(ox.parse(blocks[0].encode(), format=ox.RdfFormat.JSON_LD))
        types = {t.object.value for t in triples if t.predicate.value == RDF_TYPE}
        assert SCHEMA + kind in types, name
    event = json.loads(Html((site / EVENT).read_text(encoding="utf-8")).data_blocks[0])
    assert (event["startDate"], event["endDate"]) == ("2019-08-08", "2019-08-19")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A release of the seed facts in which a label holds markup and a script."""
    from kg.pipeline import release
    from tests.conftest import DATA

    facts = tmp_path_factory.mktemp("hostile") / "facts"
    shutil.copytree(DATA / "seed-facts", facts)
    path = facts / "agents.yaml"
    text = path.read_text(encoding="utf-8")
    assert "en: Taro Kono," in text
    path.write_text(text.replace("en: Taro Kono,", f"en: {json.dumps(LABEL)},"), encoding="utf-8")
    out = tmp_path_factory.mktemp("hostile-dist")
    assert release(out, facts_dir=facts).passed
    return out / "site"


def test_a_label_with_markup_is_escaped(hostile_site):
    text = (hostile_site / KONO).read_text(encoding="utf-8")
    assert "<script>alert" not in text and "<b>bold" not in text
    assert "Kono &lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; &amp; co" in text
    index = (hostile_site / "assets/search-index.js").read_text(encoding="utf-8")
    assert "<script" not in index and "\\u003cscript>" in index


# ---------------------------------------------------------------------------
# In a real browser
# ---------------------------------------------------------------------------

def dump(tmp_path, url: str, *args: str):
    done = chromium(tmp_path, url, "--dump-dom", *args)
    return done, done.stdout


def root_attrs(dom: str) -> dict:
    match = re.search(r"<html([^>]*)>", dom)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', match.group(1)))


def test_pages_of_every_kind_load_without_errors_or_network(site, tmp_path):
    sample = ["index.html", "query.html", "timeline.html", "lists/events.html", "lists/people.html"]
    for folder in sorted((site / "id").iterdir()):
        sample.append(sorted(folder.glob("*.html"))[0].relative_to(site).as_posix())
    for name in sample:
        done, dom = dump(tmp_path, (site / name).as_uri())
        attrs = root_attrs(dom)
        assert "data-errors" not in attrs, (name, attrs.get("data-last-error"))
        assert page_console(done) == [], name
        if name == "index.html":
            assert attrs.get("data-search") == "ready"
        if name == "query.html":
            assert attrs.get("data-query-page") == "ready"


def test_the_harness_sees_a_blocked_load(site, tmp_path):
    """A page that tries to load from elsewhere shows up: the security policy stops it and says so."""
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    page = copy / SEKO
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</main>", '<img alt="" src="http://127.0.0.1:9/x.png"></main>'), encoding="utf-8")
    done, dom = dump(tmp_path, page.as_uri(), SETTLE)
    assert "data-errors" in root_attrs(dom) and page_console(done)


@pytest.mark.parametrize("text", ["Seko", "世耕", "세코", "hiroshige seko", "SEKO"])
def test_the_search_box_finds_people_by_any_of_their_names(site, tmp_path, text):
    _, dom = dump(tmp_path, (site / "index.html").as_uri() + "?q=" + quote(text))
    results = dom[dom.index('id="results"'):]
    first = re.search(r'<li><a href="([^"]+)"', results)
    assert first and first.group(1) == SEKO, text
    assert f'value="{text}"' in dom or 'id="q"' in dom


def test_search_says_when_nothing_matches(site, tmp_path):
    _, dom = dump(tmp_path, (site / "index.html").as_uri() + "?q=" + quote("zzqqxx"))
    assert "Nothing has that name" in dom


def test_a_label_with_markup_renders_as_text(hostile_site, tmp_path):
    done, dom = dump(tmp_path, (hostile_site / KONO).as_uri())
    assert "data-errors" not in root_attrs(dom) and page_console(done) == []
    heading = Html(dom).h1
    assert heading == LABEL


def test_screenshots_are_kept(site, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, shot, size in (("index.html", "site-index.png", (1280, 2400)), (EVENT, "site-event.png", (1280, 1600)),
                             (SEKO, "site-person.png", (1280, 1200)),
                             ("id/event/second-photoresist-approval.html", "site-event-phone.png", (390, 1400))):
        path = ARTIFACTS / shot
        path.unlink(missing_ok=True)
        chromium(tmp_path, (site / name).as_uri(), f"--window-size={size[0]},{size[1]}", f"--screenshot={path}",
                 "--hide-scrollbars")
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == size


def test_rendering_on_two_cores_gives_what_one_gives():
    import os

    from kg.publish.site.split import MIN_ITEMS, _render, in_two

    items = list(range(MIN_ITEMS * 2))

    def work(n):
        return {f"f{n}": bytes([n % 256]) * 3}

    assert in_two(work, items) == _render(work, items)
    parent = os.getpid()

    def fails_in_the_child(n):
        if os.getpid() != parent:
            raise RuntimeError("child")
        return work(n)

    assert in_two(fails_in_the_child, items) == _render(work, items)   # its half is done here again
