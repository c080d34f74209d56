"""Draw a laid-out timeline: a static SVG for reports, and a self-contained HTML page.

The page inlines the SVG, its CSS and script (kg/publish/assets/) and the event
details as JSON; its Content-Security-Policy forbids every network load, so
it opens offline and a test can prove it needs nothing else. Both outputs are
deterministic: the same graph gives the same bytes.
"""

from __future__ import annotations

import json
from datetime import timedelta
from html import escape
from pathlib import Path

from kg.publish.timeline import (
    AXIS,
    BAND,
    BAR,
    LABEL_GAP,
    LEFT,
    MIN_WIDTH,
    PHASES,
    RIGHT,
    TEXT,
    TICK_ROOM,
    TICK_SPACING,
    TOP,
    WIDTH,
    Event,
    Layout,
    Lifecycle,
    Timeline,
    day_text,
    layout,
    make_scale,
    ticks,
    years,
)

# Okabe-Ito, then Tol, colours: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#332288", "#56B4E9", "#882255",
           "#117733", "#999933")
# A life cycle's phases, darkest while the measure is fully in force.
PHASE_STYLE = {"announced": {"fill": "#dfe3e7", "stroke": "#5b636b", "stroke_dasharray": "3 2"},
               "in force": {"fill": "#3d4650", "stroke": "#3d4650"},
               "eased": {"fill": "#9aa4ae", "stroke": "#6b747d"}}
LEGEND_CHAR = 7.2   # estimated width of a 12px legend character, for wrapping the legend
LEGEND_ROW = 20
#: How a band says what it is, beside the colour of its family (the legend shows each).
BAND_STYLES = (
    ("lasted this long (a day, or a period known to the day)", {"fill_opacity": 0.45}),
    ("happened on one day, somewhere in this range", {"uncertain": True}),
    ("not known to have happened (unconfirmed or planned)", {"status": True}),
    ("low confidence", {"stroke_dasharray": "4 2"}),
)
CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:; base-uri 'none'; form-action 'none'")


def _attrs(**values) -> str:
    out = []
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = f"{value:.2f}".rstrip("0").rstrip(".")
        out.append(f'{name.rstrip("_").replace("_", "-")}="{escape(str(value))}"')
    return " ".join(out)


def families(timeline: Timeline) -> list[tuple[str, str, int]]:
    """The event families (label, class IRI, number of events), by label."""
    counts: dict[tuple[str, str], int] = {}
    for e in timeline.events:
        counts[(e.family_label, e.family)] = counts.get((e.family_label, e.family), 0) + 1
    return [(label, iri, n) for (label, iri), n in sorted(counts.items())]


def family_colours(timeline: Timeline) -> dict[str, str]:
    """A colour per event family, in order of family label (stable for the same graph). Families,
    not the sixteen types, so that no two colours on the page mean different things."""
    return {iri: PALETTE[i % len(PALETTE)] for i, (_, iri, _) in enumerate(families(timeline))}


def render_svg(timeline: Timeline, link=None) -> str:
    """The timeline as one SVG document (tooltips from <title>, no script).

    Args:
        timeline: what to draw.
        link: event IRI -> the address of its page; by default the IRI itself, which leads to
            the page once the site is published (see README, "Publishing the site").
    """
    link = link or (lambda iri: iri)
    colours = family_colours(timeline)
    legend, legend_bottom = _legend(timeline, colours)
    box = layout(timeline, top=max(TOP, legend_bottom + 8))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" '
           f'{_attrs(viewBox=f"0 0 {WIDTH} {box.height:.0f}", width=WIDTH, height=round(box.height))} '
           f'{_attrs(role="group", aria_labelledby="timeline-title", font_family="system-ui, sans-serif")} '
           f'{_attrs(data_left=LEFT, data_right=WIDTH - RIGHT, data_min_width=MIN_WIDTH)}>',
           f'<title id="timeline-title">The Japan-South Korea export-control dispute: '
           f'{len(timeline.events)} events (dispute-kg {escape(timeline.version)})</title>',
           f'<defs><clipPath id="plot-clip">'
           f'<rect {_attrs(x=LEFT, y=0, width=WIDTH - LEFT - RIGHT, height=box.height)}/></clipPath>'
           '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#d0d4d8" '
           'stroke-width="2"/></pattern>' + _stripes(colours) + '</defs>',
           '<rect width="100%" height="100%" fill="#ffffff"/>']
    out += legend
    out += _lanes(box)
    out.append('<g class="plot" clip-path="url(#plot-clip)">')
    out += _gaps(box)
    out += _axis(box)
    out += _lifecycles(timeline, box)
    out += _events(timeline, box, colours, link)
    out.append("</g>")
    out += _years(box)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _stripes(colours: dict[str, str]) -> str:
    """One striped fill per family colour: a band of uncertain date, unlike one that lasted."""
    grey = ('<pattern id="stripes-grey" width="5" height="5" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="5" height="5" fill="#ffffff"/>'
            '<line x1="0" y1="0" x2="0" y2="5" stroke="#4a5259" stroke-width="2.5"/></pattern>')
    return grey + "".join(f'<pattern id="stripes-{n}" width="5" height="5" patternUnits="userSpaceOnUse" '
                   f'patternTransform="rotate(45)"><rect width="5" height="5" fill="#ffffff"/>'
                   f'<line x1="0" y1="0" x2="0" y2="5" {_attrs(stroke=colour)} stroke-width="2.5"/></pattern>'
                   for n, colour in enumerate(colours.values()))


def band_style(event: Event, colours: dict[str, str]) -> dict:
    """The band's fill and outline: the family's colour, striped where the date is a range of
    possible days, hollow and dotted where no source reports the event as having happened,
    dashed where confidence is low."""
    colour = colours[event.family]
    style = {"fill": colour, "fill_opacity": 0.45, "stroke": colour, "stroke_width": 1.5}
    if event.uncertain:
        style.update(fill=f"url(#stripes-{list(colours).index(event.family)})", fill_opacity=None)
    if event.status:
        style.update(fill="#ffffff", fill_opacity=None, stroke_dasharray="1.5 2")
    elif event.confidence == "low":
        style["stroke_dasharray"] = "4 2"
    return style


def _legend(timeline: Timeline, colours: dict[str, str]) -> tuple[list[str], float]:
    """Title, a swatch per event family (the words the details panel uses too), per band style and
    per life-cycle phase, wrapped to the width, and a key to the axis; returns the SVG and the
    y where the lanes may start."""
    out = [f'<text {_attrs(x=12, y=22, font_size=16, font_weight="bold")}>The Japan-South Korea '
           f'export-control dispute: {len(timeline.events)} events</text>',
           f'<g class="legend" font-size="{TEXT}">']
    items = [(f"{label} ({count})", {"fill": colours[iri], "fill_opacity": 0.45, "stroke": colours[iri]})
             for label, iri, count in families(timeline)]
    grey = {"fill": "#7a8590", "fill_opacity": 0.45, "stroke": "#4a5259"}
    for label, change in BAND_STYLES:
        style = dict(grey)
        if change.get("uncertain"):
            style.update(fill="url(#stripes-grey)", fill_opacity=None)
        elif change.get("status"):
            style.update(fill="#ffffff", fill_opacity=None, stroke_dasharray="1.5 2")
        else:
            style.update(change)
        items.append((label, style))
    if timeline.lifecycles:
        items += [(f"measure {state}", PHASE_STYLE[state]) for state in PHASES]
    x, y = 12.0, 34.0
    for label, style in items:
        width = 24 + LEGEND_CHAR * len(label)
        if x > 12 and x + width > WIDTH - 12:
            x, y = 12.0, y + LEGEND_ROW
        out.append(f'<rect {_attrs(x=x, y=y, width=14, height=10, **style)}/>'
                   f'<text {_attrs(x=x + 18, y=y + 10)}>{escape(label)}</text>')
        x += width + 8
    for line in ("Each mark links to its event's page; a band runs from the earliest to the latest day "
                 "the event can have happened; a dotted line joins its bands in several lanes.",
                 "The axis is not to scale: each month is as wide as its events need, and hatched "
                 "stretches without events are squeezed out (their length is written under them)."):
        y += LEGEND_ROW
        out.append(f'<text {_attrs(x=12, y=y + 10, fill="#3d4650")}>{escape(line)}</text>')
    out.append("</g>")
    return out, y + LEGEND_ROW


def _lanes(box: Layout) -> list[str]:
    out = ['<g class="lanes">']
    for i, lane in enumerate(box.lanes):
        out.append(f'<g class="lane" {_attrs(data_lane=lane.lane.key)}>'
                   f'<rect {_attrs(x=0, y=lane.y, width=WIDTH, height=lane.height)} '
                   f'fill="{"#f4f6f8" if i % 2 == 0 else "#ffffff"}"/>'
                   f'<text {_attrs(x=12, y=lane.y + 20, font_size=14, font_weight="bold")}>'
                   f'{escape(lane.lane.label)}</text></g>')
    out.append("</g>")
    return out


def _axis(box: Layout) -> list[str]:
    """Calendar ticks (kg.publish.timeline.ticks); the page's script redraws them when zooming."""
    top, bottom = box.lanes[0].y if box.lanes else TOP, box.height - AXIS
    out = [f'<g class="axis" font-size="{TEXT}" fill="#30363b" {_attrs(data_top=top, data_bottom=bottom)}>']
    for day, label in ticks(box.scale):
        x = box.scale.x(day)
        out.append(f'<line {_attrs(x1=x, x2=x, y1=top, y2=bottom, stroke="#c8ccd0")}/>'
                   f'<text {_attrs(x=x + 3, y=bottom + 16)}>{escape(label)}</text>')
    out.append("</g>")
    return out


def _years(box: Layout) -> list[str]:
    """The axis's second tier: each year's stretch as a cell with its number where it fits."""
    bottom = box.height - AXIS
    out = [f'<g class="years" font-size="{TEXT}" font-weight="bold" fill="#30363b" {_attrs(data_y=bottom + 22)}>']
    for n, (year, x0, x1) in enumerate(years(box.scale)):
        out.append(f'<rect {_attrs(x=x0, y=bottom + 22, width=x1 - x0, height=18)} '
                   f'fill="{"#e3e8ee" if year % 2 else "#f4f6f8"}"/>')
        if x1 - x0 >= 40:
            out.append(f'<text {_attrs(x=x0 + 4, y=bottom + 36)}>{year}</text>')
    out.append("</g>")
    return out


def _gaps(box: Layout) -> list[str]:
    """Quiet stretches squeezed out of the axis, hatched so nobody reads them as short."""
    top, bottom = box.lanes[0].y if box.lanes else TOP, box.height - AXIS
    out = ['<g class="gaps">']
    for piece in box.scale.pieces:
        if not piece.gap:
            continue
        x0, x1 = box.scale.x(piece.start), box.scale.x(piece.end)
        dates = _attrs(data_from=piece.start.isoformat(), data_to=(piece.end - timedelta(days=1)).isoformat())
        title = (f"{duration((piece.end - piece.start).days)} without events "
                 f"({day_text(piece.start)} to {day_text(piece.end - timedelta(days=1))}), squeezed")
        out.append(f'<g class="gap"><title>{escape(title)}</title>'
                   f'<rect {_attrs(x=x0, y=top, width=x1 - x0, height=bottom - top, fill="url(#hatch)")} '
                   f'{dates}/><text {_attrs(x=(x0 + x1) / 2, y=bottom + 16, text_anchor="middle")} '
                   f'font-size="{TEXT}" fill="#30363b" {dates}>{escape(duration((piece.end - piece.start).days, short=True))}'
                   f'</text></g>')
    out.append("</g>")
    return out


def duration(days: int, short: bool = False) -> str:
    """A length of time in words ("17 months"), or in a few characters ("17 mo") to write under a
    squeezed stretch."""
    units = ("d", "mo", "yr") if short else ("days", "months", "years")
    if days < 60:
        return f"{days} {units[0]}"
    if days < 730:
        return f"{round(days / 30.44)} {units[1]}"
    return f"{days / 365.25:.1f} {units[2]}"


def cycle_text(span: Lifecycle) -> str:
    """The life cycle in words: each phase with its days, then the lifting (or its absence)."""
    parts = [f"{phase.state} {day_text(phase.start)} to {day_text(phase.end)}" for phase in span.phases]
    last = span.stages[-1]
    parts.append(f"no lifting recorded (drawn to {day_text(span.latest)})" if span.open_ended
                 else f"lifted {day_text(last.earliest)}")
    return "; ".join(parts)


def _lifecycles(timeline: Timeline, box: Layout) -> list[str]:
    """Each measure's life cycle: its label, a bar of phases and a mark at every stage."""
    out = ['<g class="lifecycles">']
    for number, span in enumerate(timeline.lifecycles):
        out.append(f'<g class="lifecycle" {_attrs(data_lifecycle=span.iri, tabindex=0, role="button")} '
                   f'{_attrs(aria_label=f"Life cycle of {span.label}: {cycle_text(span)}")}>'
                   f'<title>{escape(span.label)}\n{escape(cycle_text(span))}</title>')
        whole = _attrs(data_from=span.earliest.isoformat(), data_to=span.latest.isoformat())
        for lane_number, lane in enumerate(span.lanes):
            top = box.span_y[(span.iri, lane)]
            bar = top + 15
            x0, x1 = box.scale.extent(span.earliest, span.latest)
            clip = f"cycle-{number}-{lane_number}"
            out.append(f'<clipPath id="{clip}"><rect {_attrs(x=x0, y=top, width=x1 - x0, height=bar - top)} '
                       f'{whole}/></clipPath>'
                       f'<text class="cycle-label" {_attrs(x=x0 + 2, y=top + 12, font_size=TEXT)} '
                       f'{_attrs(font_weight="bold", fill="#2b3137", clip_path=f"url(#{clip})")} '
                       f'data-anchor="start" {whole}>{escape(span.label)}</text>')
            for phase in span.phases:
                p0, p1 = box.scale.extent(phase.start, phase.end)
                out.append(f'<rect class="phase" {_attrs(x=p0, y=bar, width=p1 - p0, height=BAR)} '
                           f'{_attrs(data_phase=phase.state, **PHASE_STYLE[phase.state])} '
                           f'{_attrs(data_from=phase.start.isoformat(), data_to=phase.end.isoformat())}/>')
            for stage in span.stages:
                s0, s1 = box.scale.extent(stage.earliest, stage.latest)
                out.append(f'<rect class="stage" {_attrs(x=s0, y=bar - 2, width=s1 - s0, height=BAR + 4)} '
                           f'{_attrs(fill="#ffffff", stroke="#1d2125", stroke_width=1, data_stage=stage.kind)} '
                           f'{_attrs(data_from=stage.earliest.isoformat(), data_to=stage.latest.isoformat())}/>')
        out.append("</g>")
    out.append("</g>")
    return out


def _events(timeline: Timeline, box: Layout, colours: dict[str, str], link) -> list[str]:
    """Each event: a link to its page holding its bands (one per lane) and, where the layout
    made room, its short label after the band."""
    out = ['<g class="events">']
    for event in timeline.events:
        colour = colours[event.family]
        dates = _attrs(data_from=event.earliest.isoformat(), data_to=event.latest.isoformat())
        x0, x1 = box.scale.extent(event.earliest, event.latest)
        status = f" ({event.status})" if event.status else ""
        out.append(f'<a class="event-link" {_attrs(href=link(event.iri))} '
                   f'{_attrs(aria_label=f"{event.label}{status}; {event.kind_text}; {event.date_text}")}>'
                   f'<g class="event" {_attrs(data_event=event.iri, data_uncertain="yes" if event.uncertain else None, data_status=event.status)}>'
                   f'<title>{escape(event.label)}{escape(status)}\n{escape(event.kind_text)}\n'
                   f'{escape(event.date_text)}</title>')
        tops = [box.band_y[(event.iri, lane)] for lane in event.lanes]
        if len(tops) > 1:
            x = (x0 + x1) / 2
            out.append(f'<line class="link" {_attrs(x1=x, x2=x, y1=min(tops) + BAND, y2=max(tops))} '
                       f'{_attrs(stroke=colour, stroke_width=1, stroke_dasharray="2 2")} {dates}/>')
        style = band_style(event, colours)
        for lane, top in zip(event.lanes, tops):
            out.append(f'<rect class="band" {_attrs(x=x0, y=top, width=x1 - x0, height=BAND, rx=2)} '
                       f'{_attrs(**style)} {dates}/>')
            side = box.labelled.get((event.iri, lane))
            if side:
                at = x1 + LABEL_GAP if side == "after" else x0 - LABEL_GAP
                out.append(f'<text class="event-label" {_attrs(x=at, y=top + BAND - 3)} '
                           f'{_attrs(text_anchor="end" if side == "before" else None, data_anchor=side)} '
                           f'{dates}>{escape(event.mark_text)}</text>')
        out.append("</g></a>")
    out.append("</g>")
    return out


def cycle_details(timeline: Timeline) -> dict:
    """What the page shows for a life cycle on hover or click, keyed by measure IRI."""
    labels = {e.iri: e.label for e in timeline.events}
    return {span.iri: {
        "label": span.label, "summary": cycle_text(span),
        "stages": [{"stage": stage.label, "date": day_text(stage.earliest) if stage.earliest == stage.latest
                    else f"between {day_text(stage.earliest)} and {day_text(stage.latest)}",
                    "event": labels.get(stage.event, stage.event)} for stage in span.stages],
    } for span in timeline.lifecycles}


def details(timeline: Timeline) -> dict:
    """What the page shows for an event on hover or click, keyed by event IRI."""
    lanes = {lane.key: lane.label for lane in timeline.lanes}
    labels = {e.iri: e.label for e in timeline.events}
    return {e.iri: {
        "label": e.label, "kind": e.kind_text, "date": e.date_text, "confidence": e.confidence,
        "status": e.status, "uncertain": e.uncertain,
        "lanes": [lanes[key] for key in e.lanes],
        "lifecycle": labels.get(e.lifecycle) if e.lifecycle != e.iri else None,
        "sources": [{"title": s.title, "publisher": s.publisher, "url": s.url, "quotes": list(s.quotes),
                     "published": day_text(s.published) if s.published else None} for s in e.sources],
    } for e in timeline.events}


def _script_json(value) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' can end it early."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=None)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def render_html(timeline: Timeline, link=None) -> str:
    """A self-contained page: the SVG, zoom and pan, and event details on hover or click.

    Args:
        timeline: what to draw.
        link: event IRI -> the address of its page, for the marks (see :func:`render_svg`).
    """
    assets = Path(__file__).resolve().parent / "assets"
    css = (assets / "timeline.css").read_text(encoding="utf-8")
    script = (assets / "timeline.js").read_text(encoding="utf-8")
    scale = make_scale(timeline.events)
    config = {"events": details(timeline), "lifecycles": cycle_details(timeline),
              "tickSpacing": TICK_SPACING, "tickRoom": TICK_ROOM, "labelGap": LABEL_GAP,
              "pieces": [[p.start.isoformat(), p.end.isoformat(), p.u0, p.u1, p.gap]
                         for p in scale.pieces]}
    title = f"Timeline of the Japan-South Korea export-control dispute (dispute-kg {timeline.version})"
    return f"""<!DOCTYPE html>
<html lang="en" data-timeline="loading">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="dispute-kg {escape(timeline.version)}">
<title>{escape(title)}</title>
<style>
{css}</style>
<script>
{_ERROR_CAPTURE}</script>
</head>
<body>
<header>
<h1>{escape(title)}</h1>
<p>Each band spans the earliest to the latest day an event can have happened: solid where it
lasted that long, striped where it happened on one day somewhere in that range. Each bar over a
lane follows a measure from its announcement through its entry into force and easing to its
lifting. Hover over or focus an event for its dates, sources and quotes; click it for its page.
Scroll over the chart to zoom, drag to pan.</p>
<div class="controls"><button type="button" id="zoom-in">Zoom in</button>
<button type="button" id="zoom-out">Zoom out</button>
<button type="button" id="zoom-reset">Show all</button></div>
</header>
<main>
<figure id="chart">
{render_svg(timeline, link)}</figure>
<aside id="details" aria-live="polite"><p class="hint">Hover over or click an event or a measure.</p></aside>
</main>
<ol id="script-errors" hidden></ol>
<script type="application/json" id="timeline-data">{_script_json(config)}</script>
<script>
{script}</script>
</body>
</html>
"""


# Runs first, so that errors in the main script, blocked network loads and
# unhandled promise rejections all land in the DOM where a test can read them.
_ERROR_CAPTURE = """window.timelineErrors = [];
function timelineError(message) {
  window.timelineErrors.push(String(message));
  document.documentElement.setAttribute("data-timeline", "error");
  var list = document.getElementById("script-errors");
  if (list) {
    var item = document.createElement("li");
    item.textContent = String(message);
    list.appendChild(item);
    list.hidden = false;
  }
}
window.addEventListener("error", function (e) {
  timelineError(e.message + " (" + e.filename + ":" + e.lineno + ")");
});
window.addEventListener("unhandledrejection", function (e) { timelineError(e.reason); });
document.addEventListener("securitypolicyviolation", function (e) {
  timelineError("blocked by the page's security policy: " + e.violatedDirective + " " + e.blockedURI);
});
"""
