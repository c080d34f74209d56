// The timeline page's behaviour: event details on hover, focus or click, and zoom and pan.
// Layout comes drawn from Python (kg/publish/timeline_render.py); this script only rescales x.
// When it finishes without an exception it marks <html data-timeline="ready"> and
// counts the events it drew, which the browser test reads back from the DOM.
(function () {
  "use strict";
  var DAY = 86400000;
  var SVG_NS = "http://www.w3.org/2000/svg";
  var root = document.documentElement;
  var data = JSON.parse(document.getElementById("timeline-data").textContent);
  var svg = document.querySelector("svg.timeline");
  var panel = document.getElementById("details");
  var left = Number(svg.getAttribute("data-left"));
  var right = Number(svg.getAttribute("data-right"));
  var minWidth = Number(svg.getAttribute("data-min-width"));
  // The axis is piecewise linear (kg.timeline.Scale): each piece maps days [start, end) onto
  // axis shares [u0, u1]. Zoom and pan act on the shares: view is the visible [u, u].
  var pieces = data.pieces.map(function (p) {
    return { start: dayNumber(p[0]), end: dayNumber(p[1]), u0: p[2], u1: p[3], gap: p[4] };
  });
  var full = [0, 1];
  var view = full.slice();
  var pinned = null;

  function dayNumber(iso) { return Date.parse(iso + "T00:00:00Z") / DAY; }

  function share(day) {
    var p = pieces.filter(function (q) { return day < q.end; })[0] || pieces[pieces.length - 1];
    return p.u0 + (day - p.start) / (p.end - p.start) * (p.u1 - p.u0);
  }

  function ux(u) { return left + (u - view[0]) / (view[1] - view[0]) * (right - left); }

  function x(day) { return ux(share(day)); }

  function element(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  // --- details -------------------------------------------------------------
  function showCycle(iri) {
    var info = data.lifecycles[iri];
    panel.appendChild(element("h2", info.label));
    panel.appendChild(element("p", info.summary));
    var stages = element("ol", null, { "class": "stages" });
    info.stages.forEach(function (stage) {
      stages.appendChild(element("li", stage.date + ", " + stage.stage + ": " + stage.event));
    });
    panel.appendChild(stages);
    panel.appendChild(element("p", iri, { "class": "iri" }));
  }

  function show(group) {
    var cycle = group ? group.getAttribute("data-lifecycle") : null;
    var iri = group ? group.getAttribute("data-event") : null;
    var info = iri ? data.events[iri] : null;
    panel.textContent = "";
    if (cycle && data.lifecycles[cycle]) {
      showCycle(cycle);
      return;
    }
    if (!info) {
      panel.appendChild(element("p", "Hover over or click an event or a measure.", { "class": "hint" }));
      return;
    }
    panel.appendChild(element("h2", info.label));
    var link = group.parentNode && group.parentNode.getAttribute("href");
    if (link) { panel.appendChild(element("p", null, { "class": "page" })).appendChild(element("a", "Open its page", { href: link })); }
    var facts = element("dl");
    [["Kind", info.kind], ["When", info.date],
     ["Date", info.uncertain ? "one day somewhere in this range (striped band)" : null],
     ["Status", info.status ? info.status + ": no source reports it as having happened" : null],
     ["Involves", info.lanes.join(", ")],
     ["Measure", info.lifecycle], ["Confidence", info.confidence]].forEach(function (pair) {
      if (pair[1]) { facts.appendChild(element("dt", pair[0])); facts.appendChild(element("dd", pair[1])); }
    });
    panel.appendChild(facts);
    panel.appendChild(element("h3", info.sources.length === 1 ? "Source" : "Sources"));
    var list = element("ul", null, { "class": "sources" });
    info.sources.forEach(function (source) {
      var item = element("li");
      var title = /^https?:\/\//.test(source.url || "")
        ? element("a", source.title, { href: source.url, rel: "noopener noreferrer" })
        : element("span", source.title);
      item.appendChild(title);
      var by = [source.publisher, source.published].filter(Boolean).join(", ");
      if (by) { item.appendChild(document.createTextNode(" (" + by + ")")); }
      source.quotes.forEach(function (quote) { item.appendChild(element("blockquote", quote)); });
      list.appendChild(item);
    });
    panel.appendChild(list);
    panel.appendChild(element("p", iri, { "class": "iri" }));
  }

  function select(group) {
    if (pinned) { pinned.classList.remove("selected"); }
    pinned = group;
    if (group) {
      group.classList.add("selected");
      var cycle = group.getAttribute("data-lifecycle");
      history.replaceState(null, "", cycle ? "#measure=" + encodeURIComponent(cycle)
                                           : "#event=" + encodeURIComponent(group.getAttribute("data-event")));
    }
    show(group);
  }

  var groups = Array.prototype.slice.call(svg.querySelectorAll("g.event"));
  var cycles = Array.prototype.slice.call(svg.querySelectorAll("g.lifecycle"));
  // An event's mark is a link to its page: hovering or focusing it shows its details, following
  // it opens the page. A life cycle is selected by click or keyboard.
  groups.concat(cycles).forEach(function (group) {
    group.addEventListener("mouseenter", function () { show(group); });
    group.addEventListener("mouseleave", function () { show(pinned); });
    group.addEventListener("focusin", function () { show(group); });
  });
  cycles.forEach(function (group) {
    group.addEventListener("focus", function () { show(group); });
    group.addEventListener("click", function (e) { e.stopPropagation(); select(group); });
    group.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); select(group); }
    });
  });

  // --- zoom and pan ----------------------------------------------------------
  var axis = svg.querySelector("g.axis");
  var axisTop = Number(axis.getAttribute("data-top"));
  var axisBottom = Number(axis.getAttribute("data-bottom"));
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  // The same calendar ticks as kg.timeline.ticks: coarse to fine, a candidate is kept when it is
  // tickSpacing from every tick kept so far and leaves tickRoom before the end of its stretch.
  var LEVELS = [["quarter", 3, [1]], ["month", 1, [1]], ["week", 1, [8, 15, 22]], ["day", 0, []]];
  var stretches = [];
  pieces.concat([{ gap: true }]).forEach(function (p) {
    var last = stretches[stretches.length - 1];
    if (!p.gap && last && last.open) { last.end = p.end; }
    else if (!p.gap) { stretches.push({ start: p.start, end: p.end, open: true }); }
    else if (last) { last.open = false; }
  });

  function candidates(start, end, months, days) {
    var out = [];
    if (months === 0) {
      for (var d = start; d < end; d++) { out.push(d); }
      return out;
    }
    var first = new Date(start * DAY);
    var total = first.getUTCFullYear() * 12 + first.getUTCMonth();
    total -= total % months;
    for (;; total += months) {
      var month = Date.UTC(Math.floor(total / 12), total % 12, 1) / DAY;
      if (month >= end) { return out; }
      days.forEach(function (n) {
        var candidate = month + n - 1;
        if (candidate >= start && candidate < end) { out.push(candidate); }
      });
    }
  }

  function tickLabel(level, day) {
    var d = new Date(day * DAY);
    if (level === "quarter" || level === "month") { return MONTHS[d.getUTCMonth()]; }
    return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()];
  }

  // The axis's second tier, as kg.timeline.years: each year's part of each stretch, cut to the plot.
  function years() {
    var found = [];
    stretches.forEach(function (stretch) {
      var year = new Date(stretch.start * DAY).getUTCFullYear();
      for (;; year++) {
        var first = Date.UTC(year, 0, 1) / DAY, next = Date.UTC(year + 1, 0, 1) / DAY;
        if (first >= stretch.end) { return; }
        var x0 = Math.max(x(Math.max(stretch.start, first)), left);
        var x1 = Math.min(x(Math.min(stretch.end, next)), right);
        if (x1 > x0) { found.push([year, x0, x1]); }
      }
    });
    return found;
  }

  var yearTier = svg.querySelector("g.years");
  var yearY = Number(yearTier.getAttribute("data-y"));
  function drawYears() {
    while (yearTier.firstChild) { yearTier.removeChild(yearTier.firstChild); }
    years().forEach(function (year) {
      var cell = document.createElementNS(SVG_NS, "rect");
      [["x", year[1]], ["y", yearY], ["width", year[2] - year[1]], ["height", 18],
       ["fill", year[0] % 2 ? "#e3e8ee" : "#f4f6f8"]].forEach(function (a) { cell.setAttribute(a[0], a[1]); });
      yearTier.appendChild(cell);
      if (year[2] - year[1] >= 40) {
        var label = document.createElementNS(SVG_NS, "text");
        label.setAttribute("x", year[1] + 4);
        label.setAttribute("y", yearY + 14);
        label.textContent = String(year[0]);
        yearTier.appendChild(label);
      }
    });
  }

  function ticks() {
    var kept = [];
    LEVELS.forEach(function (level) {
      stretches.forEach(function (stretch) {
        var limit = Math.min(right, x(stretch.end)) - data.tickRoom;
        candidates(stretch.start, stretch.end, level[1], level[2]).forEach(function (day) {
          var at = x(day);
          if (at < left || at > limit) { return; }
          for (var i = 0; i < kept.length; i++) {
            if (Math.abs(at - kept[i][2]) < data.tickSpacing) { return; }
          }
          kept.push([day, tickLabel(level[0], day), at]);
        });
      });
    });
    return kept.sort(function (a, b) { return a[0] - b[0]; });
  }

  function drawAxis() {
    while (axis.firstChild) { axis.removeChild(axis.firstChild); }
    ticks().forEach(function (tick) {
      var line = document.createElementNS(SVG_NS, "line");
      [["x1", tick[2]], ["x2", tick[2]], ["y1", axisTop], ["y2", axisBottom], ["stroke", "#c8ccd0"]]
        .forEach(function (a) { line.setAttribute(a[0], a[1]); });
      var label = document.createElementNS(SVG_NS, "text");
      label.setAttribute("x", tick[2] + 3);
      label.setAttribute("y", axisBottom + 16);
      label.textContent = tick[1];
      axis.appendChild(line);
      axis.appendChild(label);
    });
  }

  var dated = Array.prototype.slice.call(svg.querySelectorAll("[data-from]"));
  function redraw() {
    dated.forEach(function (node) {
      var x0 = x(dayNumber(node.getAttribute("data-from")));
      var x1 = Math.max(x(dayNumber(node.getAttribute("data-to")) + 1), x0 + minWidth);
      if (node.tagName === "line") {
        node.setAttribute("x1", (x0 + x1) / 2);
        node.setAttribute("x2", (x0 + x1) / 2);
      } else if (node.tagName === "text" && node.getAttribute("data-anchor") === "start") {
        node.setAttribute("x", Math.max(x0, left) + 2);   // a life cycle's label stays in view
      } else if (node.tagName === "text" && node.getAttribute("data-anchor") === "after") {
        node.setAttribute("x", x1 + data.labelGap);       // an event's label follows its band
      } else if (node.tagName === "text" && node.getAttribute("data-anchor") === "before") {
        node.setAttribute("x", x0 - data.labelGap);       // ... or comes before it, right-aligned
      } else if (node.tagName === "text") {
        node.setAttribute("x", (x0 + x1) / 2);
      } else {
        node.setAttribute("x", x0);
        node.setAttribute("width", x1 - x0);
      }
    });
    drawAxis();
    drawYears();
  }

  // Never wider than the whole axis: labels laid out for the whole axis keep their room.
  function zoom(factor, centre) {
    var span = Math.min(Math.max((view[1] - view[0]) * factor, 0.002), 1);
    var at = centre === undefined ? (view[0] + view[1]) / 2 : centre;
    var share = (at - view[0]) / (view[1] - view[0]);
    view = [at - share * span, at - share * span + span];
    redraw();
  }

  function svgX(clientX) {
    var point = svg.createSVGPoint();
    point.x = clientX;
    return point.matrixTransform(svg.getScreenCTM().inverse()).x;
  }

  function shareAt(clientX) { return view[0] + (svgX(clientX) - left) / (right - left) * (view[1] - view[0]); }

  svg.addEventListener("wheel", function (e) {
    e.preventDefault();
    zoom(e.deltaY > 0 ? 1.25 : 0.8, shareAt(e.clientX));
  }, { passive: false });

  var drag = null;
  svg.addEventListener("pointerdown", function (e) {
    drag = { x: svgX(e.clientX), view: view.slice() };
    svg.classList.add("dragging");
  });
  svg.addEventListener("pointermove", function (e) {
    if (!drag) { return; }
    var shift = (svgX(e.clientX) - drag.x) / (right - left) * (drag.view[1] - drag.view[0]);
    var span = drag.view[1] - drag.view[0];
    var start = Math.min(Math.max(drag.view[0] - shift, -span / 2), 1 - span / 2);
    view = [start, start + span];
    redraw();
  });
  ["pointerup", "pointerleave"].forEach(function (name) {
    svg.addEventListener(name, function () { drag = null; svg.classList.remove("dragging"); });
  });
  document.getElementById("zoom-in").addEventListener("click", function () { zoom(0.5); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoom(2); });
  document.getElementById("zoom-reset").addEventListener("click", function () {
    view = full.slice();
    redraw();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "+" || e.key === "=") { zoom(0.5); }
    else if (e.key === "-") { zoom(2); }
    else if (e.key === "0") { view = full.slice(); redraw(); }
    else if (e.key === "Escape") { select(null); }
  });

  // --- start ------------------------------------------------------------------
  redraw();
  var wanted = /^#(event|measure)=(.+)$/.exec(location.hash);
  if (wanted) {
    var iri = decodeURIComponent(wanted[2]);
    var attribute = wanted[1] === "event" ? "data-event" : "data-lifecycle";
    select(groups.concat(cycles).filter(function (g) { return g.getAttribute(attribute) === iri; })[0] || null);
  }
  root.setAttribute("data-drawn-events", String(groups.length));
  root.setAttribute("data-drawn-lifecycles", String(cycles.length));
  root.setAttribute("data-known-events", String(Object.keys(data.events).length));
  if (window.timelineErrors.length === 0) { root.setAttribute("data-timeline", "ready"); }
}());
