"""The timeline: drawn from a stored query, laid out without overlaps, and checked in a real browser."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
import zlib
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import quote

import pytest

import kg
from kg.graph import iris
from kg.publish.timeline import (
    GAP,
    GAP_SHARE,
    LEFT,
    RIGHT,
    WIDTH,
    Event,
    layout,
    make_scale,
    ticks,
    timeline_from_engine,
    years,
)
from kg.publish.timeline_render import render_html, render_svg
from kg.query.catalogue import get_query
from kg.query.results import Results, from_tsv
from kg.query.terms import Term
from tests.browser import SETTLE, chromium, page_console
from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # drives headless Chromium; `make test-fast` leaves it out

ARTIFACTS = ROOT / "tests" / "artifacts"
WINDOW = (1400, 900)
SECOND_APPROVAL = iris.resource_iri("events", "second-photoresist-approval")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def engine():
    from kg.pipeline import local_engine

    return local_engine()


@pytest.fixture(scope="module")
def timeline(engine):
    return timeline_from_engine(engine, kg.__version__)


@pytest.fixture(scope="module")
def seed_timeline():
    """The timeline of the seed story alone: a small graph whose layout the tests can state."""
    from kg.pipeline import local_engine
    from tests.conftest import DATA

    return timeline_from_engine(local_engine(DATA / "seed-facts"), kg.__version__)


def events_in_graph(engine) -> int:
    """Counted straight from the graph, not through the timeline query."""
    rows = engine.run(f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a <{iris.DKG}Event> }}").rows
    return int(rows[0][0].value)


# ---------------------------------------------------------------------------
# The stored query
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("engine_name", ["oxigraph", "rdflib"])
def test_timeline_query_gives_its_expected_rows(engine_name):
    from kg.pipeline import local_engine

    query = get_query("timeline-events")
    expected = from_tsv(query.expected_path.read_text(encoding="utf-8"))
    found = local_engine(engine=engine_name).run(query.text, timeout=300)   # rdflib: the slow reference
    assert found.comparable(query.ordered) == expected.comparable(query.ordered)


def test_every_event_of_the_graph_is_on_the_timeline(timeline, engine):
    assert len(timeline.events) == events_in_graph(engine) > 0
    assert all(event.lanes for event in timeline.events)
    assert all(event.sources for event in timeline.events)


def test_lanes_are_states_by_number_of_events_then_others(timeline):
    keys = [lane.key for lane in timeline.lanes]
    assert keys[:2] == [iris.resource_iri("agents", "japan"), iris.resource_iri("agents", "south-korea")]
    assert keys[-1] == "other"
    worsen = next(e for e in timeline.events if e.iri.endswith("/relations-worsen-late-2018"))
    assert set(worsen.lanes) == set(keys[:2])
    anonymous = next(e for e in timeline.events if e.iri.endswith("/senior-official-approval-not-conciliatory"))
    assert anonymous.lanes == ["other"]


def measures_with_stages(engine) -> int:
    """Counted straight from the graph: first measures of a chain with a step or an amending measure."""
    rows = engine.run(f"""PREFIX dkg: <{iris.DKG}>
        SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{
          ?m a dkg:Measure . {{ ?x dkg:stepOf ?m }} UNION {{ ?x dkg:amends ?m }}
          FILTER NOT EXISTS {{ ?m dkg:amends ?y }} }}""").rows
    return int(rows[0][0].value)


def test_approvals_under_a_measure_are_not_its_life_cycle(seed_timeline):
    """The seed story has the July controls and two approvals under them, but no step of the controls:
    no life cycle to draw, and the approvals still name the measure they were made under."""
    tightening = iris.resource_iri("events", "japan-tightens-export-controls-july-2019")
    assert seed_timeline.lifecycles == []
    approval = next(e for e in seed_timeline.events if e.iri == SECOND_APPROVAL)
    assert approval.lifecycle == tightening


def phases(span) -> list[tuple[str, date, date]]:
    return [(p.state, p.start, p.end) for p in span.phases]


def test_life_cycles_run_from_announcement_through_force_and_easing_to_lifting(timeline, engine):
    cycles = {span.iri.rsplit("/", 1)[1]: span for span in timeline.lifecycles}
    assert len(cycles) == measures_with_stages(engine) == 4
    japan, korea = iris.resource_iri("agents", "japan"), iris.resource_iri("agents", "south-korea")
    controls = cycles["japan-tightens-export-controls-july-2019"]
    assert phases(controls) == [("announced", date(2019, 7, 1), date(2019, 7, 3)),
                                ("in force", date(2019, 7, 4), date(2019, 12, 19)),
                                ("eased", date(2019, 12, 20), date(2023, 3, 23))]
    assert [s.kind for s in controls.stages] == ["announcement", "entryIntoForce", "easing", "lifting"]
    assert controls.lanes == (japan,) and not controls.open_ended
    assert phases(cycles["japan-removes-south-korea-from-white-list-2019"]) == [
        ("announced", date(2019, 7, 1), date(2019, 8, 27)), ("in force", date(2019, 8, 28), date(2023, 7, 21))]
    assert phases(cycles["south-korea-removes-japan-from-white-list"]) == [
        ("announced", date(2019, 8, 12), date(2019, 9, 17)), ("in force", date(2019, 9, 18), date(2023, 4, 24))]
    # no entry-into-force step: the notice takes effect on its own date; the suspension eases it
    gsomia = cycles["south-korea-gsomia-termination-notice"]
    assert phases(gsomia) == [("announced", date(2019, 8, 22), date(2019, 8, 22)),
                              ("in force", date(2019, 8, 23), date(2019, 11, 21)),
                              ("eased", date(2019, 11, 22), date(2023, 3, 21))]
    assert gsomia.lanes == (korea,)


def stage_rows(*stages: tuple[str, date]) -> Results:
    rows = [(Term("iri", "m"), Term("literal", "M"), Term("iri", f"{iris.DKG}{kind}"), Term("literal", kind),
             Term("iri", f"e{n}"), Term("literal", day.isoformat()), Term("literal", day.isoformat()))
            for n, (kind, day) in enumerate(stages)]
    return Results("select", ["measure", "measureLabel", "kind", "stage", "event", "earliest", "latest"], rows)


def test_a_life_cycle_never_goes_back_and_without_a_lifting_runs_to_the_end():
    from kg.publish.timeline import lifecycles

    measure = event("m", date(2020, 1, 10), date(2020, 1, 10))
    (span,) = lifecycles(stage_rows(("announcement", date(2020, 1, 1)), ("promulgation", date(2020, 2, 1))),
                         {"m": measure}, date(2021, 1, 1))
    # the measure itself is dated by its entry into force; the later promulgation changes nothing
    assert phases(span) == [("announced", date(2020, 1, 1), date(2020, 1, 9)),
                            ("in force", date(2020, 1, 10), date(2021, 1, 1))]
    assert span.open_ended and span.lanes == ("other",)
    (lifted,) = lifecycles(stage_rows(("entryIntoForce", date(2020, 1, 1)), ("lifting", date(2020, 3, 1))),
                           {"m": measure}, date(2021, 1, 1))
    assert phases(lifted) == [("in force", date(2020, 1, 1), date(2020, 3, 1))] and not lifted.open_ended


def test_date_text_says_range_precision_and_phrase(seed_timeline):
    approval = next(e for e in seed_timeline.events if e.iri == SECOND_APPROVAL)
    assert approval.date_text == (
        'between 1 Aug 2019 and 20 Aug 2019 (known to the month); the source says "for the second time '
        'since imposing export curbs last month", read against its publication on 20 Aug 2019')
    kang = next(e for e in seed_timeline.events if e.iri.endswith("/kang-very-difficult-situation-2019-08-20"))
    assert kang.date_text.startswith("20 Aug 2019 (known to the day)")


# ---------------------------------------------------------------------------
# Scale and layout
# ---------------------------------------------------------------------------

def event(slug: str, earliest: date, latest: date) -> Event:
    return Event(iri=slug, label=slug, type="T", type_label="t", earliest=earliest, latest=latest,
                 precision="day", phrase=None, resolved_against=None, confidence="high", lifecycle=None,
                 lanes=["other"])


def test_one_busy_stretch_is_one_unbroken_axis():
    scale = make_scale([event("a", date(2019, 7, 1), date(2019, 7, 3)), event("b", date(2019, 8, 1),
                                                                             date(2019, 8, 20))])
    assert not any(p.gap for p in scale.pieces) and scale.pieces[0].u0 == 0.0
    assert scale.pieces[-1].u1 == pytest.approx(1.0)
    assert all(a.end == b.start and a.u1 == b.u0 for a, b in zip(scale.pieces, scale.pieces[1:]))


def test_a_long_quiet_stretch_is_squeezed():
    events = [event("a", date(2016, 1, 1), date(2016, 12, 31)), event("b", date(2019, 8, 1), date(2019, 8, 1)),
              event("c", date(2019, 8, 20), date(2019, 8, 22))]
    scale = make_scale(events)
    gaps = [p for p in scale.pieces if p.gap]
    assert len(gaps) == 1 and gaps[0].u1 - gaps[0].u0 == pytest.approx(GAP_SHARE)
    assert scale.u(scale.pieces[0].start) == 0 and scale.u(scale.pieces[-1].end) == pytest.approx(1)
    days = [scale.pieces[0].start + timedelta(days=n) for n in range((scale.pieces[-1].end -
                                                                       scale.pieces[0].start).days)]
    xs = [scale.x(day) for day in days]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    # the busy month gets more of the axis than its share of the days
    assert scale.u(date(2019, 8, 23)) - scale.u(date(2019, 8, 1)) > 0.3


def test_bands_sharing_a_row_never_overlap(timeline):
    box = layout(timeline)
    for lane in box.lanes:
        placed = sorted((box.band_y[(e.iri, lane.lane.key)], *box.scale.extent(e.earliest, e.latest))
                        for e in timeline.events if lane.lane.key in e.lanes)
        for (y0, a0, a1), (y1, b0, _) in zip(placed, placed[1:]):
            assert y0 != y1 or b0 >= a1 + GAP
        assert all(lane.y <= y < lane.y + lane.height for y, _, _ in placed)


def test_ticks_go_from_coarse_to_fine_where_there_is_room():
    from kg.publish.timeline import TICK_ROOM, TICK_SPACING, Piece, Scale

    # four years over the whole axis: every other quarter, by month name; the years on their own tier
    four = Scale((Piece(date(2016, 1, 1), date(2020, 1, 1), 0.0, 1.0),))
    assert [label for _, label in ticks(four)][:4] == ["Jan", "Jul", "Jan", "Jul"]
    assert [year for year, _, _ in years(four)] == [2016, 2017, 2018, 2019]
    assert [(x0, x1) for _, x0, x1 in years(four)][:2] == [(LEFT, four.x(date(2017, 1, 1))),
                                                            (four.x(date(2017, 1, 1)), four.x(date(2018, 1, 1)))]
    # one week over the whole axis: every day
    week = Scale((Piece(date(2019, 8, 1), date(2019, 8, 8), 0.0, 1.0),))
    assert [label for _, label in ticks(week)] == ["Aug", "2 Aug", "3 Aug", "4 Aug", "5 Aug", "6 Aug", "7 Aug"]
    assert [year for year, _, _ in years(week)] == [2019]
    # a warped axis: a crowded August gets week ticks, its quiet neighbours only their month
    warped = Scale((Piece(date(2019, 7, 1), date(2019, 8, 1), 0.0, 0.1),
                    Piece(date(2019, 8, 1), date(2019, 9, 1), 0.1, 0.9),
                    Piece(date(2019, 9, 1), date(2019, 10, 1), 0.9, 1.0)))
    found = ticks(warped)
    assert ("Jul" in [label for _, label in found]) and ("15 Aug" in [label for _, label in found])
    xs = [warped.x(day) for day, _ in found]
    assert all(b - a >= TICK_SPACING for a, b in zip(xs, xs[1:]))
    assert xs[-1] <= WIDTH - RIGHT - TICK_ROOM


def test_the_axis_gives_busy_months_more_room(timeline):
    scale = make_scale(timeline.events)
    width = {(p.start.year, p.start.month): p.u1 - p.u0 for p in scale.pieces if not p.gap}
    assert width[(2019, 8)] > 10 * width[(2019, 3)]    # 25 events against none
    assert abs(scale.u(scale.pieces[-1].end) - 1) < 1e-9


# ---------------------------------------------------------------------------
# SVG and HTML
# ---------------------------------------------------------------------------

def test_svg_draws_one_group_per_event_inside_the_plot(timeline, engine):
    root = ET.fromstring(render_svg(timeline))
    groups = [g for g in root.iter(SVG + "g") if g.get("class") == "event"]
    assert len(groups) == events_in_graph(engine)
    assert {g.get("data-event") for g in groups} == {e.iri for e in timeline.events}
    for group in groups:
        assert group.find(SVG + "title").text.strip()
        for band in group.iter(SVG + "rect"):
            x, width = float(band.get("x")), float(band.get("width"))
            assert LEFT <= x and x + width <= WIDTH - RIGHT + 0.01
    cycles = [g for g in root.iter(SVG + "g") if g.get("class") == "lifecycle"]
    assert [g.get("data-lifecycle") for g in cycles] == [span.iri for span in timeline.lifecycles]
    for group, span in zip(cycles, timeline.lifecycles):
        drawn = [(r.get("data-phase"), r.get("data-from"), r.get("data-to")) for r in group.iter(SVG + "rect")
                 if r.get("class") == "phase"]
        assert drawn == [(p.state, p.start.isoformat(), p.end.isoformat()) for p in span.phases] * len(span.lanes)
        assert [t.text for t in group.iter(SVG + "text")] == [span.label] * len(span.lanes)
        assert len([r for r in group.iter(SVG + "rect") if r.get("class") == "stage"]) == \
            len(span.stages) * len(span.lanes)


def test_no_two_families_share_a_colour_and_the_legend_fits(timeline):
    from kg.publish.timeline_render import LEGEND_CHAR, family_colours

    colours = family_colours(timeline)
    assert len(set(colours.values())) == len(colours) == len({e.family for e in timeline.events})
    root = ET.fromstring(render_svg(timeline))
    legend = next(g for g in root.iter(SVG + "g") if g.get("class") == "legend")
    for text in legend.iter(SVG + "text"):
        assert float(text.get("x")) + LEGEND_CHAR * len(text.text) <= WIDTH, text.text


def test_html_is_self_contained_and_deterministic(timeline):
    page = render_html(timeline)
    assert page == render_html(timeline)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    lowered = page.lower()
    for pattern in ("<link", " src=", "@import", "url(http", "<iframe", "<object"):
        assert pattern not in lowered, pattern


def test_cli_writes_the_page_and_the_svg(cli, tmp_path):
    code, _, err = cli("timeline", "-o", tmp_path / "t.html")
    assert code == 0 and "events" in err
    assert (tmp_path / "t.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    code, _, _ = cli("timeline", "-o", tmp_path / "t.svg")
    assert code == 0 and ET.parse(tmp_path / "t.svg").getroot().tag == SVG + "svg"
    code, out, _ = cli("timeline", "--format", "svg")
    assert code == 0 and out.startswith("<svg")


def test_cli_timeline_has_help_and_an_example(cli):
    from kg.cli import EXAMPLES

    code, out, _ = cli("timeline", "--help")
    assert code == 0 and EXAMPLES["timeline"] in out and "-o FILE" in out


# ---------------------------------------------------------------------------
# In a real browser
# ---------------------------------------------------------------------------

class Page(HTMLParser):
    """What a test needs from a dumped DOM: <html> attributes, drawn events and bands, axis labels,
    errors and the details panel's text."""

    def __init__(self, text: str):
        super().__init__()
        self.root: dict = {}
        self.events: list[str] = []
        self.bands: list[tuple[float, float]] = []     # event bands, life-cycle phases and stages
        self.labels: list[float] = []                   # x of each life cycle's label
        self.kinds: list[str] = []                      # the class of each of those rects
        self.ticks: list[str] = []
        self.errors: list[str] = []
        self.details = ""
        self._open: list[tuple[str, str]] = []   # (tag, id or class) of open elements
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "html":
            self.root = attrs
        elif tag == "g" and "event" in classes:
            self.events.append(attrs.get("data-event"))
        elif tag == "rect" and ({"band", "phase", "stage"} & set(classes)):
            self.bands.append((float(attrs["x"]), float(attrs["width"])))
            self.kinds.append(classes[0])
        elif tag == "text" and "cycle-label" in classes:
            self.labels.append(float(attrs["x"]))
        if tag not in ("rect", "line", "meta", "br", "img", "input"):
            self._open.append((tag, attrs.get("id") or " ".join(classes)))

    def handle_endtag(self, tag):
        if any(open_tag == tag for open_tag, _ in self._open):
            while self._open.pop()[0] != tag:
                pass

    def handle_data(self, data):
        names = [name for _, name in self._open]
        if "details" in names:
            self.details += data
        elif "script-errors" in names and data.strip():
            self.errors.append(data.strip())
        elif "axis" in names and self._open[-1][0] == "text":
            self.ticks.append(data)


@pytest.fixture
def page_file(timeline, tmp_path):
    path = tmp_path / "timeline.html"
    path.write_text(render_html(timeline), encoding="utf-8")
    return path


def test_the_page_draws_every_event_without_script_errors(page_file, engine, tmp_path):
    done = chromium(tmp_path, page_file.as_uri(), "--dump-dom")
    page = Page(done.stdout)
    assert page.errors == [] and page_console(done) == []
    assert page.root.get("data-timeline") == "ready"
    expected = events_in_graph(engine)
    assert len(page.events) == len(set(page.events)) == expected
    assert page.root.get("data-drawn-events") == str(expected)
    assert page.root.get("data-drawn-lifecycles") == str(measures_with_stages(engine))


def test_the_script_places_bands_and_ticks_where_python_does(page_file, timeline, tmp_path):
    """The page's script redraws x on load with its own copy of the scale and the ticks."""
    page = Page(chromium(tmp_path, page_file.as_uri(), "--dump-dom").stdout)
    root = ET.fromstring(render_svg(timeline))
    bands = [(float(r.get("x")), float(r.get("width"))) for r in root.iter(SVG + "rect")
             if r.get("class") in ("band", "phase", "stage")]
    assert len(page.bands) == len(bands) > len(timeline.events)
    for (x, width), (px, pwidth) in zip(page.bands, bands):
        assert x == pytest.approx(px, abs=0.01) and width == pytest.approx(pwidth, abs=0.01)
    labels = [float(t.get("x")) for t in root.iter(SVG + "text") if t.get("class") == "cycle-label"]
    assert page.labels == pytest.approx(labels, abs=0.01) and labels
    axis = next(g for g in root.iter(SVG + "g") if g.get("class") == "axis")
    assert page.ticks == [t.text for t in axis.iter(SVG + "text")]


def test_clicking_through_to_an_event_shows_its_dates_and_sources(page_file, timeline, tmp_path):
    """The page selects the event named in its address (the same code a click runs)."""
    url = f"{page_file.as_uri()}#event={quote(SECOND_APPROVAL, safe='')}"
    page = Page(chromium(tmp_path, url, "--dump-dom").stdout)
    approval = next(e for e in timeline.events if e.iri == SECOND_APPROVAL)
    details = " ".join(page.details.split())
    assert approval.label in details and approval.date_text in details
    assert approval.sources[0].title in details and approval.sources[0].quotes[0] in details


def test_a_measure_in_the_address_shows_its_stages(page_file, timeline, tmp_path):
    from kg.publish.timeline_render import cycle_text

    span = next(s for s in timeline.lifecycles if s.iri.endswith("/japan-tightens-export-controls-july-2019"))
    url = f"{page_file.as_uri()}#measure={quote(span.iri, safe='')}"
    details = " ".join(Page(chromium(tmp_path, url, "--dump-dom").stdout).details.split())
    assert span.label in details and cycle_text(span) in details
    assert "23 Mar 2023, lifting: Japan lifts its 2019 controls" in details


def test_zooming_in_redraws_bands_and_finer_ticks(timeline, tmp_path):
    """The zoom buttons, pressed by a script added to the page: bands widen, ticks turn to days."""
    press = ('<script>for (var i = 0; i < 6; i++) { document.getElementById("zoom-in").click(); }'
             '</script>\n</body>')
    path = tmp_path / "zoomed.html"
    path.write_text(render_html(timeline).replace("</body>", press, 1), encoding="utf-8")
    done = chromium(tmp_path, path.as_uri(), "--dump-dom")
    page = Page(done.stdout)
    assert page.errors == [] and page_console(done) == []
    root = ET.fromstring(render_svg(timeline))
    before = [float(r.get("width")) for r in root.iter(SVG + "rect") if r.get("class") == "band"]
    after = [width for (_, width), kind in zip(page.bands, page.kinds) if kind == "band"]
    assert len(after) == len(before) and sum(after) > 4 * sum(before)
    months = {f"{date(2019, m, 1):%b}" for m in range(1, 13)}
    assert page.ticks and all(label in months or (label.split()[0].isdigit() and label.split()[1] in months)
                              for label in page.ticks)
    assert sum(label not in months for label in page.ticks) >= 2   # days, not months


def test_script_errors_and_network_loads_are_caught(timeline, tmp_path):
    """The harness can fail: a broken script and a blocked load both show up."""
    page = render_html(timeline)
    broken = page.replace('<script type="application/json" id="timeline-data">{',
                          '<script type="application/json" id="timeline-data">{oops', 1)
    broken = broken.replace("<main>", '<main><img alt="" src="http://127.0.0.1:9/x.png">', 1)
    path = tmp_path / "broken.html"
    path.write_text(broken, encoding="utf-8")
    done = chromium(tmp_path, path.as_uri(), "--dump-dom", SETTLE)
    found = Page(done.stdout)
    assert found.root.get("data-timeline") == "error"
    assert any("JSON" in e for e in found.errors)
    assert any("security policy" in e for e in found.errors)
    assert page_console(done)


def test_screenshot_is_kept(page_file, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "timeline.png"
    shot.unlink(missing_ok=True)
    chromium(tmp_path, page_file.as_uri(), f"--window-size={WINDOW[0]},{WINDOW[1]}",
             f"--screenshot={shot}", "--hide-scrollbars")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == WINDOW
    pixels, at = b"", 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"IDAT":
            pixels += data[at + 8:at + 8 + length]
        at += 12 + length
    assert len(set(zlib.decompress(pixels))) > 32, "the screenshot looks blank"


# ---------------------------------------------------------------------------
# A timeline people can read, measured in the browser
# ---------------------------------------------------------------------------

#: Added to a copy of the page: measures what the reader sees and writes it on <html>.
MEASURE = """<script>
(function () {
  var root = document.documentElement, svg = document.querySelector("svg.timeline");
  var scale = svg.getScreenCTM().a;
  function box(node) { var b = node.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; }
  function meet(a, b) { return a[0] < b[2] - 0.5 && b[0] < a[2] - 0.5 && a[1] < b[3] - 0.5 && b[1] < a[3] - 0.5; }
  var labels = Array.prototype.slice.call(svg.querySelectorAll("text.event-label"));
  var bands = Array.prototype.slice.call(svg.querySelectorAll("rect.band"));
  var clashes = [];
  labels.forEach(function (label, i) {
    var a = box(label);
    labels.slice(i + 1).forEach(function (other) {
      if (meet(a, box(other))) { clashes.push(label.textContent + " / " + other.textContent); }
    });
    bands.forEach(function (band) {
      if (band.parentNode !== label.parentNode && meet(a, box(band))) {
        clashes.push(label.textContent + " / band of " + band.parentNode.getAttribute("data-event"));
      }
    });
  });
  var sizes = Array.prototype.slice.call(svg.querySelectorAll("text")).filter(function (t) {
    return t.textContent.trim() && t.getBBox().width > 0;
  }).map(function (t) { return parseFloat(getComputedStyle(t).fontSize) * scale; });
  var linked = Array.prototype.slice.call(svg.querySelectorAll("g.event")).filter(function (g) {
    return g.parentNode.tagName.toLowerCase() === "a" && g.parentNode.getAttribute("href");
  });
  root.setAttribute("data-clashes", JSON.stringify(clashes.slice(0, 10)));
  root.setAttribute("data-clash-count", String(clashes.length));
  root.setAttribute("data-labels", String(labels.length));
  root.setAttribute("data-min-text-px", String(Math.min.apply(null, sizes)));
  root.setAttribute("data-linked", String(linked.length));
}());
</script>
</body>"""


def measured(tmp_path, page: str) -> dict:
    path = tmp_path / "measured.html"
    path.write_text(page.replace("</body>", MEASURE, 1), encoding="utf-8")
    done = chromium(tmp_path, path.as_uri(), f"--window-size={WINDOW[0]},{WINDOW[1]}", "--dump-dom")
    found = Page(done.stdout)
    assert found.errors == [] and page_console(done) == [], found.errors
    return found.root


def test_labels_do_not_overlap_text_is_12px_and_every_mark_links(timeline, tmp_path):
    root = measured(tmp_path, render_html(timeline))
    assert root.get("data-clash-count") == "0", root.get("data-clashes")
    box = layout(timeline)
    bands = sum(len(e.lanes) for e in timeline.events)
    assert int(root.get("data-labels")) == len(box.labelled) >= 0.6 * bands   # most marks carry a label
    assert float(root.get("data-min-text-px")) >= 12
    assert int(root.get("data-linked")) == len(timeline.events)


def test_zoomed_in_labels_still_do_not_overlap(timeline, tmp_path):
    press = '<script>for (var i = 0; i < 3; i++) { document.getElementById("zoom-in").click(); }</script>\n</body>'
    root = measured(tmp_path, render_html(timeline).replace("</body>", press, 1))
    assert root.get("data-clash-count") == "0", root.get("data-clashes")


def test_marks_link_to_the_event_pages(timeline):
    root = ET.fromstring(render_svg(timeline, link=lambda iri: "site/" + iri.rsplit("/id/", 1)[1] + ".html"))
    links = {a.get("href"): a for a in root.iter(SVG + "a")}
    assert {a.find(SVG + "g").get("data-event") for a in links.values()} == {e.iri for e in timeline.events}
    assert "site/event/second-photoresist-approval.html" in links
    # by default a mark links to the event's IRI, which dereferences once the site is published
    default = ET.fromstring(render_svg(timeline))
    assert {a.get("href") for a in default.iter(SVG + "a")} == {e.iri for e in timeline.events}


def test_short_labels_come_from_the_facts_or_are_shortened():
    from kg.publish.timeline import SHORT_MAX, shorten

    long = event("x", date(2019, 8, 1), date(2019, 8, 1))
    long.label = "Japan's cabinet approves the order removing South Korea from the white list of trusted partners"
    assert len(long.short) <= SHORT_MAX and long.short.endswith("…")
    assert long.label.startswith(long.short[:-1])
    long.short_label = "White list: cabinet order"
    assert long.short == "White list: cabinet order"
    assert shorten("Kono-Kang meeting in Beijing") == "Kono-Kang meeting in Beijing"
    assert shorten("Seko says the first approval shows the controls are not an embargo: Reuters") == \
        "Seko says the first approval…"


def test_the_query_brings_the_curated_short_label_and_status(tmp_path):
    """A facts copy gives an event a short label and a status; the timeline draws both."""
    import shutil

    from kg.pipeline import local_engine
    from tests.conftest import DATA

    facts = tmp_path / "facts"
    shutil.copytree(DATA / "seed-facts", facts)
    path = facts / "events.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "  - id: second-photoresist-approval\n"
    assert marker in text
    path.write_text(text.replace(marker, marker + "    short_label: Second photoresist approval\n"
                                              "    status: unconfirmed\n", 1), encoding="utf-8")
    drawn = timeline_from_engine(local_engine(facts), kg.__version__)
    approval = next(e for e in drawn.events if e.iri == SECOND_APPROVAL)
    assert (approval.short_label, approval.status) == ("Second photoresist approval", "unconfirmed")
    svg = ET.fromstring(render_svg(drawn))
    group = next(g for g in svg.iter(SVG + "g") if g.get("data-event") == SECOND_APPROVAL)
    assert group.get("data-status") == "unconfirmed"
    band = group.find(SVG + "rect")
    assert band.get("fill") == "#ffffff" and band.get("stroke-dasharray")
    assert [t.text for t in group.iter(SVG + "text")] == ["Second photoresist approval (unconfirmed)"]


def test_uncertain_dates_are_striped_and_durations_solid(timeline):
    from kg.publish.timeline_render import band_style, family_colours

    colours = family_colours(timeline)
    comment = next(e for e in timeline.events if e.iri.endswith("/white-list-removal-public-comment-2019-07"))
    approval = next(e for e in timeline.events if e.iri == SECOND_APPROVAL)
    assert not comment.uncertain and comment.earliest < comment.latest      # a period known to the day
    assert approval.uncertain                                              # one day within a month
    assert band_style(comment, colours)["fill"] == colours[comment.family]
    assert band_style(approval, colours)["fill"].startswith("url(#stripes-")


def test_legend_and_details_speak_of_kinds_in_the_same_words(timeline):
    from kg.publish.timeline_render import details, families

    legend = {label for label, _, _ in families(timeline)}
    kinds = {info["kind"] for info in details(timeline).values()}
    assert all(kind.split(": ")[0] in legend for kind in kinds)
    approval = details(timeline)[SECOND_APPROVAL]
    assert approval["kind"] == "measure: export approval"
