"""The timeline's data and layout: rows of stored queries -> events in lanes and measure life cycles.

Everything the picture shows comes from two stored queries: ``timeline-events``
(events, lanes, sources) and ``measure-life-cycle`` (each measure's stages:
announced, in force, eased, lifted), so a change of facts or of the queries
changes the picture and no Python. Layout is done here once, for both the
static SVG and the HTML page (kg/timeline_render.py); the page's script only
rescales x when zooming, with
the same piecewise scale (a month's width follows its events, long quiet gaps
are squeezed) and the same choice of axis ticks.
Imports neither rdflib nor pyoxigraph: ``dispute-kg timeline`` runs on the
cached graph.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from kg.query.results import Results

QUERY = "timeline-events"
LIFECYCLE_QUERY = "measure-life-cycle"
OTHER_LANE = "other"

# Geometry of the drawing, in SVG user units.
WIDTH = 1200
LEFT = 150          # room for lane labels
RIGHT = 24
TOP = 76            # title and legend
AXIS = 44           # tick labels and years under the lanes
ROW = 22            # one row of event bands and their labels
BAND = 14           # height of an event band
TRACK = 30          # one row of life-cycle spans: a label over a bar
BAR = 9             # height of a life-cycle bar
LANE_PAD = 6
MIN_WIDTH = 5       # a one-day band is still visible on a four-year axis
GAP = 3             # between bands sharing a row
GAP_SHARE = 0.06    # of the axis, for each squeezed quiet stretch (room to say how long it is)
MIN_STRETCH = 0.04  # of the axis, at least, for each unbroken stretch (room for its year)
DAYS_WEIGHT = 0.3   # a month's share of the axis: 0.3 of its share of days, 0.7 of its share of events
TICK_SPACING = 90   # at least this many units between axis ticks
TICK_ROOM = 40      # no tick label this close to the end of its stretch
TEXT = 12           # the size of every text on the drawing (the page never shrinks it)
LABEL_CHAR = 7.2    # a generous width for one character of a 12-unit label (CJK: twice that)
LABEL_GAP = 4       # between a band and its label
SHORT_MAX = 30      # characters in a mark's label; longer labels are shortened
LABEL_ROWS = 6      # rows a lane may grow to so that marks get their labels

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
    family: str = ""          # the class right under dkg:Event: what colours the band
    family_label: str = ""
    short_label: str | None = None   # dkg:shortLabel, where a curator gave one
    status: str | None = None        # dkg:eventStatus: "unconfirmed" or "planned"

    @property
    def short(self) -> str:
        """The words on the event's mark: the curated short label, else the label shortened."""
        return self.short_label or shorten(self.label)

    @property
    def mark_text(self) -> str:
        """What the mark says: the short label, and the status where there is one."""
        return f"{self.short} ({self.status})" if self.status else self.short

    @property
    def uncertain(self) -> bool:
        """Whether the band is a range of possible days (the event took a day somewhere in it),
        not a duration: a range known only to the week, month or year. A range known to the day
        is a period recorded by its first and last day (a public comment, a three-day dialogue)."""
        return self.earliest != self.latest and self.precision != "day"

    @property
    def kind_text(self) -> str:
        """The event's kind in the legend's words: its family, then its own type where it differs."""
        if self.type_label and self.type_label != self.family_label:
            return f"{self.family_label}: {self.type_label}"
        return self.family_label

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
class Stage:
    """One stage of a measure's life cycle: a step of it, or a later measure that eases or lifts it."""

    kind: str          # local name of the dkg:StepKind: announcement, ..., entryIntoForce, easing, lifting
    label: str         # the kind's label: "entry into force"
    event: str
    earliest: date
    latest: date


@dataclass(frozen=True)
class Phase:
    """A stretch of a life cycle in one state, from ``start`` to ``end`` (both days included)."""

    state: str         # one of PHASES
    start: date
    end: date


# A measure's states in the order a life cycle goes through them, and the stage kinds that start
# each; a lifting ends the cycle. Kinds not named here (public comment, cabinet decision,
# promulgation) keep a measure in the "announced" state.
PHASES = ("announced", "in force", "eased")
STATE_AFTER = {"entryIntoForce": "in force", "easing": "eased"}
ENDS = "lifting"


@dataclass(frozen=True)
class Lifecycle:
    """A measure from its first stage to its lifting, in phases; drawn as one bar in its lanes.

    ``open_ended`` when no lifting is recorded: the last phase then runs to the end of the axis.
    """

    iri: str
    label: str
    stages: tuple[Stage, ...]
    phases: tuple[Phase, ...]
    lanes: tuple[str, ...]
    open_ended: bool

    @property
    def earliest(self) -> date:
        return self.phases[0].start

    @property
    def latest(self) -> date:
        return self.phases[-1].end

    @property
    def steps(self) -> int:
        return len(self.stages)


@dataclass
class Timeline:
    events: list[Event]
    lanes: list[Lane]
    lifecycles: list[Lifecycle]
    version: str


def day_text(day: date) -> str:
    return f"{day.day} {day:%b} {day.year}"


def shorten(label: str, limit: int = SHORT_MAX) -> str:
    """A label of at most ``limit`` characters: whole, or its first clause, or its first words
    with an ellipsis."""
    if len(label) <= limit:
        return label
    for mark in (": ", " — ", " (", ", ", " to ", " on ", " with ", " as "):
        head = label.split(mark, 1)[0]
        if 8 <= len(head) <= limit:
            return head
    words, out = label.split(), ""
    for word in words:
        if len(out) + len(word) + (1 if out else 0) > limit - 1:
            break
        out = f"{out} {word}" if out else word
    return (out or label[:limit - 1]).rstrip(",;:") + "…"


def label_width(text: str) -> float:
    """A generous estimate of a label's width in units at the drawing's text size (East Asian
    wide characters count double), for laying out labels that must not overlap."""
    import unicodedata

    return sum(2 * LABEL_CHAR if unicodedata.east_asian_width(ch) in "WF" else LABEL_CHAR for ch in text)


def _cells(results: Results, row) -> Callable[[str], str | None]:
    """A row's values by variable name (None where unbound)."""
    return {name: term.value if term is not None else None for name, term in zip(results.variables, row)}.get


def from_results(results: Results, version: str, stages: Results | None = None) -> Timeline:
    """Group the query's rows (one per event, lane and source) into events and lanes, and the
    rows of ``measure-life-cycle`` (``stages``, one per stage of a measure) into life cycles.

    Lanes are ordered by how many events they hold, then by label; the
    "other" lane (events involving no state) comes last.
    """
    events: dict[str, Event] = {}
    lane_labels: dict[str, str] = {}
    quotes: dict[tuple[str, str], list[str]] = {}
    for row in results.rows:
        get = _cells(results, row)
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
                confidence=get("confidence"), lifecycle=get("lifecycle"),
                family=get("family") or get("type"),
                family_label=get("familyLabel") or get("typeLabel") or get("type").rsplit("#", 1)[-1],
                short_label=get("shortLabel"),
                status=get("status").rsplit("#", 1)[-1] if get("status") else None)
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
    ordered = list(events.values())
    end = max((e.latest for e in ordered), default=None)
    return Timeline(ordered, lanes, lifecycles(stages, events, end) if stages else [], version)


def lifecycles(results: Results, events: dict[str, Event], end: date | None) -> list[Lifecycle]:
    """Each measure with recorded stages, as phases: announced -> in force -> eased -> lifted.

    A measure is dated by its entry into force (see facts/japan-measures.yaml), so one with no
    entry-into-force step takes effect on its own date. A state only moves forward: a
    promulgation after the entry into force does not make the measure merely announced again.
    A cycle is drawn in the lanes of its measure; with no lifting it runs on to ``end``.
    """
    by_measure: dict[str, tuple[str, list[Stage]]] = {}
    for row in results.rows:
        get = _cells(results, row)
        label, found = by_measure.setdefault(get("measure"), (get("measureLabel"), []))
        found.append(Stage(get("kind").rsplit("#", 1)[-1], get("stage"), get("event"),
                           date.fromisoformat(get("earliest")), date.fromisoformat(get("latest"))))
    cycles = []
    for iri, (label, found) in sorted(by_measure.items()):
        measure = events.get(iri)
        if measure and not any(s.kind == "entryIntoForce" for s in found):
            found.append(Stage("entryIntoForce", "entry into force", iri, measure.earliest, measure.latest))
        found.sort(key=lambda s: (s.earliest, _rank(s.kind), s.event))
        phases = _phases(found, end)
        if phases:
            cycles.append(Lifecycle(iri, label, tuple(found), phases,
                                    tuple(measure.lanes) if measure else (OTHER_LANE,),
                                    not any(s.kind == ENDS for s in found)))
    return cycles


def _rank(kind: str) -> int:
    """How far along its life cycle a stage of this kind takes a measure (a lifting: furthest)."""
    return len(PHASES) if kind == ENDS else PHASES.index(STATE_AFTER.get(kind, "announced"))


def _phases(stages: list[Stage], end: date | None) -> tuple[Phase, ...]:
    phases: list[Phase] = []
    state, start = None, None
    for stage in stages:
        if stage.kind == ENDS:
            if state is not None:
                phases.append(Phase(state, start, max(stage.latest, start)))
            return tuple(phases)
        after = STATE_AFTER.get(stage.kind, "announced")
        if state is None:
            state, start = after, stage.earliest
        elif _rank(stage.kind) > PHASES.index(state):
            if stage.earliest > start:
                phases.append(Phase(state, start, stage.earliest - timedelta(days=1)))
            state, start = after, max(stage.earliest, start)
    if state is not None:
        phases.append(Phase(state, start, max(end or start, start)))
    return tuple(phases)


def timeline_from_engine(engine, version: str) -> Timeline:
    """Run the stored timeline queries on a local engine (see kg.query.engines) and group their rows."""
    from kg.query.catalogue import get_query

    return from_results(engine.run(get_query(QUERY).text), version,
                        engine.run(get_query(LIFECYCLE_QUERY).text))


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
    clusters is squeezed to ``GAP_SHARE`` of the axis. Within a cluster each calendar month is a
    piece whose share is weighted between its share of the days and its share of the events
    (``DAYS_WEIGHT``; an event counts in each month by the part of its days that falls there), so
    August 2019, with a quarter of all events, is readable beside a quiet year."""
    ranges = sorted((e.earliest, e.latest + timedelta(days=1)) for e in events) or \
        [(date(2019, 1, 1), date(2019, 1, 2))]
    whole = (max(end for _, end in ranges) - ranges[0][0]).days
    threshold = timedelta(days=max(90, whole // 10))
    clusters: list[list] = []
    for start, end in ranges:
        if clusters and start <= clusters[-1][1] + threshold:
            clusters[-1][1] = max(clusters[-1][1], end)
        else:
            clusters.append([start, end])
    for cluster in clusters:
        pad = timedelta(days=max(3, (cluster[1] - cluster[0]).days // 20))
        cluster[0], cluster[1] = cluster[0] - pad, cluster[1] + pad
    days = sum((end - start).days for start, end in clusters)
    busy = 1 - GAP_SHARE * (len(clusters) - 1)
    months = []
    for start, end in clusters:
        shares = []
        for month_start, month_end in _months(start, end):
            load = sum(max(0, (min(b, month_end) - max(a, month_start)).days) / (b - a).days for a, b in ranges)
            shares.append((month_start, month_end, busy * (DAYS_WEIGHT * (month_end - month_start).days / days
                                                           + (1 - DAYS_WEIGHT) * load / len(ranges))))
        months.append(shares)
    months = _widen_short_stretches(months, busy)
    pieces, u = [], 0.0
    for i, shares in enumerate(months):
        if i:
            pieces.append(Piece(pieces[-1].end, shares[0][0], u, u + GAP_SHARE, gap=True))
            u += GAP_SHARE
        for month_start, month_end, share in shares:
            pieces.append(Piece(month_start, month_end, u, u + share))
            u += share
    return Scale(tuple(pieces))


def _widen_short_stretches(months: list[list[tuple[date, date, float]]], busy: float):
    """Give every unbroken stretch at least ``MIN_STRETCH`` of the axis (room for its year under
    it), taking the difference from the others in proportion to their shares."""
    totals = [sum(share for _, _, share in shares) for shares in months]
    short = [total < MIN_STRETCH for total in totals]
    if not any(short) or all(short):
        return months
    wanted = MIN_STRETCH * sum(short)
    rest = sum(total for total, small in zip(totals, short) if not small)
    factor = (busy - wanted) / rest
    return [[(a, b, share * (MIN_STRETCH / total if small else factor)) for a, b, share in shares]
            for shares, total, small in zip(months, totals, short)]


def _months(start: date, end: date):
    """Calendar months from ``start`` to ``end`` (exclusive), the first and last cut to fit."""
    while start < end:
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        yield start, min(following, end)
        start = following


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
    labelled: dict[tuple[str, str], str] = field(default_factory=dict)   # (event, lane) -> side of its label


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


def pack_labelled(items: list[tuple[str, float, float, float]], left: float,
                  right: float) -> tuple[dict[str, int], dict[str, str]]:
    """Interval packing that keeps room for labels: each item (key, x0, x1, label width), in
    order, goes to the first row where its band and its label fit, the label after the band or,
    where the plot ends too soon, before it; rows are opened for that up to ``LABEL_ROWS``.
    Where no row has room, the item goes to the first row its band alone fits, unlabelled.

    Returns:
        The row of each item, and the side of its band ("after" or "before") each label is on.
    """
    ends: list[float] = []
    rows, sides = {}, {}
    for key, x0, x1, width in items:
        for side, start, end in (("after", x0, x1 + LABEL_GAP + width), ("before", x0 - LABEL_GAP - width, x1)):
            if start < left or end > right:
                continue
            row = next((i for i, last in enumerate(ends) if start >= last + GAP), None)
            if row is None and len(ends) < LABEL_ROWS:
                row = len(ends)
                ends.append(end)
            if row is not None:
                ends[row], rows[key], sides[key] = end, row, side
                break
        else:
            row = next((i for i, last in enumerate(ends) if x0 >= last + GAP), len(ends))
            if row == len(ends):
                ends.append(x1)
            ends[row], rows[key] = x1, row
    return rows, sides


def layout(timeline: Timeline, top: float = TOP) -> Layout:
    """Place every band and span below ``top`` (the title and legend): lanes top to bottom, life
    cycles first in their lane, then bands, each with its label where there is room, packed into
    rows so that no band or label overlaps another."""
    scale = make_scale(timeline.events)
    boxes, band_y, span_y, labelled = [], {}, {}, {}
    y = float(top)
    for lane in timeline.lanes:
        spans = [(s.iri, *scale.extent(s.earliest, s.latest)) for s in timeline.lifecycles
                 if lane.key in s.lanes]
        bands = [(e.iri, *scale.extent(e.earliest, e.latest), label_width(e.mark_text)) for e in timeline.events
                 if lane.key in e.lanes]
        tracks = pack(spans)
        rows, sides = pack_labelled(bands, LEFT, WIDTH - RIGHT)
        labelled.update({(key, lane.key): side for key, side in sides.items()})
        n_tracks = max(tracks.values(), default=-1) + 1
        n_rows = max(rows.values(), default=-1) + 1
        for key, track in tracks.items():
            span_y[(key, lane.key)] = y + LANE_PAD + track * TRACK
        for key, row in rows.items():
            band_y[(key, lane.key)] = y + LANE_PAD + n_tracks * TRACK + row * ROW + (ROW - BAND) / 2
        height = 2 * LANE_PAD + n_tracks * TRACK + max(n_rows, 1) * ROW
        boxes.append(LaneBox(lane, y, height, n_tracks, n_rows))
        y += height
    return Layout(scale, boxes, band_y, span_y, y + AXIS, labelled)


# Tick candidates, coarse to fine: (name, months between candidates or 0 for days, days of month).
TICK_LEVELS = (("quarter", 3, (1,)), ("month", 1, (1,)), ("week", 1, (8, 15, 22)), ("day", 0, ()))


def stretches(scale: Scale) -> list[tuple[date, date]]:
    """The axis's unbroken stretches (first day, day after the last), between squeezed gaps."""
    found, run = [], []
    for piece in scale.pieces + (Piece(scale.pieces[-1].end, scale.pieces[-1].end, 1, 1, gap=True),):
        if piece.gap and run:
            found.append((run[0].start, run[-1].end))
            run = []
        elif not piece.gap:
            run.append(piece)
    return found


def years(scale: Scale, x=None, left: float = LEFT, right: float = WIDTH - RIGHT) -> list[tuple[int, float, float]]:
    """The calendar years along the axis, as (year, x0, x1) for each part of a year within an
    unbroken stretch, cut to the plot; the second tier of the axis, so that month and day ticks
    need no year. The page's script computes the same when zooming."""
    x = x or scale.x
    found = []
    for start, end in stretches(scale):
        year = start.year
        while date(year, 1, 1) < end:
            x0 = max(x(max(start, date(year, 1, 1))), left)
            x1 = min(x(min(end, date(year + 1, 1, 1))), right)
            if x1 > x0:
                found.append((year, x0, x1))
            year += 1
    return found


def ticks(scale: Scale, x=None, left: float = LEFT, right: float = WIDTH - RIGHT) -> list[tuple[date, str]]:
    """Calendar ticks for a warped axis: coarse to fine (quarters, months, weeks, days), a
    candidate is kept when it is ``TICK_SPACING`` from every tick kept so far and leaves
    ``TICK_ROOM`` for its label before the end of its stretch and of the plot. The page's script
    (kg/publish/assets/timeline.js) makes the same choice with its own ``x`` when zooming.

    Args:
        scale: the axis.
        x: day -> x; the scale's own by default (the whole axis in view).
        left, right: the plot's edges.

    Returns:
        (day, label) pairs by day; the labels name months ("Jul") and days ("8 Aug").
    """
    x = x or scale.x
    kept: list[tuple[date, str, float]] = []
    for name, months, days in TICK_LEVELS:
        for start, end in stretches(scale):
            limit = min(right, x(end)) - TICK_ROOM
            for day in _candidates(start, end, months, days):
                at = x(day)
                if left <= at <= limit and all(abs(at - other) >= TICK_SPACING for _, _, other in kept):
                    kept.append((day, _tick_label(name, day), at))
    return [(day, label) for day, label, _ in sorted(kept)]


def _candidates(start: date, end: date, months: int, days: tuple[int, ...]):
    if months == 0:
        for n in range((end - start).days):
            yield start + timedelta(days=n)
        return
    total = start.year * 12 + start.month - 1
    total -= total % months
    while (first := date(total // 12, total % 12 + 1, 1)) < end:
        for day in days:
            candidate = first.replace(day=day)
            if start <= candidate < end:
                yield candidate
        total += months


def _tick_label(level: str, day: date) -> str:
    """Months by name, days by day and month: the year is on the tier below."""
    if level in ("quarter", "month"):
        return f"{day:%b}"
    return f"{day.day} {day:%b}"
