"""The timeline's data and layout: rows of the stored query ``timeline-events`` -> events in lanes.

Everything the picture shows comes from that query (lanes, life-cycle spans,
sources), so a change of facts or of the query changes the picture and no
Python. Layout is done here once, for both the static SVG and the HTML page
(kg/timeline_render.py); the page's script only rescales x when zooming, with
the same piecewise scale (stretches of busy time, squeezed quiet gaps).
Imports neither rdflib nor pyoxigraph: ``dispute-kg timeline`` runs on the
cached graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from kg.queries import Results

QUERY = "timeline-events"
OTHER_LANE = "other"

# Geometry of the drawing, in SVG user units.
WIDTH = 1200
LEFT = 150          # room for lane labels
RIGHT = 24
TOP = 76            # title and legend
AXIS = 28           # tick labels under the lanes
ROW = 20            # one row of event bands
BAND = 14           # height of an event band
TRACK = 12          # one row of life-cycle spans
LANE_PAD = 6
MIN_WIDTH = 5       # a one-day band is still visible on a four-year axis
GAP = 3             # between bands sharing a row
GAP_SHARE = 0.04    # of the axis, for each squeezed quiet stretch
DAYS_WEIGHT = 0.3   # a busy stretch's share of the axis: 0.3 of its share of days, 0.7 of events

PRECISION_NAMES = {"unitDay": "day", "unitWeek": "week", "unitMonth": "month", "unitYear": "year"}


@dataclass(frozen=True)
class SourceRef:
    iri: str
    title: str
    publisher: str
    published: date | None
    url: str | None
    quotes: tuple[str, ...] = ()


@dataclass
class Event:
    iri: str
    label: str
    type: str
    type_label: str
    earliest: date
    latest: date
    precision: str | None
    phrase: str | None
    resolved_against: str | None
    confidence: str | None
    lifecycle: str | None
    lanes: list[str] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)

    @property
    def date_text(self) -> str:
        """The date as a reader should take it: a range, its precision and the source phrase."""
        if self.earliest == self.latest:
            text = day_text(self.earliest)
        else:
            text = f"between {day_text(self.earliest)} and {day_text(self.latest)}"
        if self.precision:
            text += f" (known to the {self.precision})"
        if self.phrase:
            text += f'; the source says "{self.phrase}"'
            anchor = next((s for s in self.sources if s.iri == self.resolved_against), None)
            if anchor and anchor.published:
                text += f", read against its publication on {day_text(anchor.published)}"
        return text


@dataclass(frozen=True)
class Lane:
    key: str
    label: str


@dataclass(frozen=True)
class Lifecycle:
    """A measure and its steps, drawn as one span from the first step's earliest day to the last's latest."""

    iri: str
    label: str
    earliest: date
    latest: date
    steps: int
    lanes: tuple[str, ...]


@dataclass
class Timeline:
    events: list[Event]
    lanes: list[Lane]
    lifecycles: list[Lifecycle]
    version: str


def day_text(day: date) -> str:
    return f"{day.day} {day:%b} {day.year}"


def from_results(results: Results, version: str) -> Timeline:
    """Group the query's rows (one per event, lane and source) into events, lanes and life cycles.

    Lanes are ordered by how many events they hold, then by label; the
    "other" lane (events involving no state) comes last.
    """
    events: dict[str, Event] = {}
    lane_labels: dict[str, str] = {}
    quotes: dict[tuple[str, str], list[str]] = {}
    for row in results.rows:
        get = {name: term.value if term is not None else None
               for name, term in zip(results.variables, row)}.get
        iri = get("event")
        event = events.get(iri)
        if event is None:
            precision = get("precision")
            event = events[iri] = Event(
                iri=iri, label=get("label"), type=get("type"),
                type_label=get("typeLabel") or get("type").rsplit("#", 1)[-1],
                earliest=date.fromisoformat(get("earliest")), latest=date.fromisoformat(get("latest")),
                precision=PRECISION_NAMES.get(precision.rsplit("#", 1)[-1]) if precision else None,
                phrase=get("phrase"), resolved_against=get("resolvedAgainst"),
                confidence=get("confidence"), lifecycle=get("lifecycle"))
        lane = get("lane") or OTHER_LANE
        if lane not in event.lanes:
            event.lanes.append(lane)
        lane_labels.setdefault(lane, get("laneLabel") or "Other actors")
        source = get("source")
        if source and source not in [s.iri for s in event.sources]:
            published = get("published")
            event.sources.append(SourceRef(source, get("sourceTitle") or source, get("publisher") or "",
                                           date.fromisoformat(published) if published else None,
                                           get("url")))
        quote = get("quote")
        if source and quote and quote not in quotes.setdefault((iri, source), []):
            quotes[(iri, source)].append(quote)
    for event in events.values():
        event.sources = [SourceRef(s.iri, s.title, s.publisher, s.published, s.url,
                                   tuple(quotes.get((event.iri, s.iri), ()))) for s in event.sources]
    counts = {key: sum(key in e.lanes for e in events.values()) for key in lane_labels}
    lanes = sorted((Lane(key, label) for key, label in lane_labels.items()),
                   key=lambda lane: (lane.key == OTHER_LANE, -counts[lane.key], lane.label))
    return Timeline(list(events.values()), lanes, _lifecycles(events), version)


def _lifecycles(events: dict[str, Event]) -> list[Lifecycle]:
    steps: dict[str, list[Event]] = {}
    for event in events.values():
        if event.lifecycle:
            steps.setdefault(event.lifecycle, []).append(event)
    found = []
    for iri, members in sorted(steps.items()):
        head = events.get(iri, members[0])
        found.append(Lifecycle(iri, head.label, min(e.earliest for e in members),
                               max(e.latest for e in members), len(members), tuple(head.lanes)))
    return found


def timeline_from_engine(engine, version: str) -> Timeline:
    """Run the stored timeline query on a local engine (see kg.engine) and group its rows."""
    from kg.queries import get_query

    return from_results(engine.run(get_query(QUERY).text), version)


# ---------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Piece:
    """A stretch of days drawn over a share of the axis; ``gap`` marks a compressed quiet stretch."""

    start: date        # first day
    end: date          # the day after the last
    u0: float          # axis share where it starts (0..1)
    u1: float
    gap: bool = False


@dataclass(frozen=True)
class Scale:
    """Days to x, piecewise linear: busy stretches share the axis, long quiet ones are squeezed."""

    pieces: tuple[Piece, ...]

    def u(self, day: date) -> float:
        piece = next((p for p in self.pieces if day < p.end), self.pieces[-1])
        return piece.u0 + (day - piece.start).days / (piece.end - piece.start).days * (piece.u1 - piece.u0)

    def x(self, day: date) -> float:
        return LEFT + self.u(day) * (WIDTH - LEFT - RIGHT)

    def extent(self, earliest: date, latest: date) -> tuple[float, float]:
        x0 = self.x(earliest)
        return x0, max(self.x(latest + timedelta(days=1)), x0 + MIN_WIDTH)


def make_scale(events: list[Event]) -> Scale:
    """Cluster the events' date ranges; a gap longer than a tenth of the whole (and 90 days) between
    clusters is squeezed to ``GAP_SHARE`` of the axis, and each cluster gets a share weighted
    between its share of the days and its share of the events (``DAYS_WEIGHT``), so a busy
    month is readable beside a quiet year."""
    ranges = sorted((e.earliest, e.latest + timedelta(days=1)) for e in events) or \
        [(date(2019, 1, 1), date(2019, 1, 2))]
    whole = (max(end for _, end in ranges) - ranges[0][0]).days
    threshold = timedelta(days=max(90, whole // 10))
    clusters: list[list] = []
    for start, end in ranges:
        if clusters and start <= clusters[-1][1] + threshold:
            clusters[-1][1] = max(clusters[-1][1], end)
            clusters[-1][2] += 1
        else:
            clusters.append([start, end, 1])
    for cluster in clusters:
        pad = timedelta(days=max(3, (cluster[1] - cluster[0]).days // 20))
        cluster[0], cluster[1] = cluster[0] - pad, cluster[1] + pad
    days = sum((end - start).days for start, end, _ in clusters)
    busy = 1 - GAP_SHARE * (len(clusters) - 1)
    pieces, u = [], 0.0
    for i, (start, end, count) in enumerate(clusters):
        if i:
            pieces.append(Piece(pieces[-1].end, start, u, u + GAP_SHARE, gap=True))
            u += GAP_SHARE
        share = busy * (DAYS_WEIGHT * (end - start).days / days + (1 - DAYS_WEIGHT) * count / len(ranges))
        pieces.append(Piece(start, end, u, u + share))
        u += share
    return Scale(tuple(pieces))


@dataclass
class LaneBox:
    lane: Lane
    y: float
    height: float
    tracks: int
    rows: int


@dataclass
class Layout:
    scale: Scale
    lanes: list[LaneBox]
    band_y: dict[tuple[str, str], float]       # (event, lane) -> top of its band
    span_y: dict[tuple[str, str], float]       # (life cycle, lane) -> top of its span
    height: float


def pack(items: list[tuple[str, float, float]]) -> dict[str, int]:
    """Greedy interval packing: each item (key, x0, x1), in order, goes to the first row it fits."""
    ends: list[float] = []
    rows = {}
    for key, x0, x1 in items:
        row = next((i for i, end in enumerate(ends) if x0 >= end + GAP), len(ends))
        if row == len(ends):
            ends.append(x1)
        else:
            ends[row] = x1
        rows[key] = row
    return rows


def layout(timeline: Timeline) -> Layout:
    """Place every band and span: lanes top to bottom, bands packed into rows so none overlap."""
    scale = make_scale(timeline.events)
    boxes, band_y, span_y = [], {}, {}
    y = float(TOP)
    for lane in timeline.lanes:
        spans = [(s.iri, *scale.extent(s.earliest, s.latest)) for s in timeline.lifecycles
                 if lane.key in s.lanes]
        bands = [(e.iri, *scale.extent(e.earliest, e.latest)) for e in timeline.events
                 if lane.key in e.lanes]
        tracks, rows = pack(spans), pack(bands)
        n_tracks = max(tracks.values(), default=-1) + 1
        n_rows = max(rows.values(), default=-1) + 1
        for key, track in tracks.items():
            span_y[(key, lane.key)] = y + LANE_PAD + track * TRACK
        for key, row in rows.items():
            band_y[(key, lane.key)] = y + LANE_PAD + n_tracks * TRACK + row * ROW + (ROW - BAND) / 2
        height = 2 * LANE_PAD + n_tracks * TRACK + max(n_rows, 1) * ROW
        boxes.append(LaneBox(lane, y, height, n_tracks, n_rows))
        y += height
    return Layout(scale, boxes, band_y, span_y, y + AXIS)


def ticks(start: date, end: date, max_ticks: int) -> list[tuple[date, str]]:
    """Calendar ticks from ``start`` to ``end`` (both included): the finest of days, weeks,
    months, quarters, half-years, years that gives at most ``max_ticks``."""
    for months, label in ((0, "day"), (0, "week"), (1, "month"), (3, "month"), (6, "month"),
                          (12, "year"), (24, "year"), (60, "year")):
        found = list(_calendar(start, end, months, label))
        if len(found) <= max_ticks:
            return found
    return found


def _calendar(start: date, end: date, months: int, label: str):
    if months == 0:
        step = 1 if label == "day" else 7
        day = start if label == "day" else start + timedelta(days=-start.weekday() % 7)
        while day <= end:
            yield day, f"{day.day} {day:%b}"
            day += timedelta(days=step)
        return
    total = start.year * 12 + start.month - 1
    total += -total % months
    while True:
        day = date(total // 12, total % 12 + 1, 1)
        if day > end:
            return
        if day >= start:
            yield day, str(day.year) if label == "year" else f"{day:%b} {day.year}"
        total += months
