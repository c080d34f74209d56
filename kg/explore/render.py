"""Search results and descriptions as text a person reads in a terminal.

Long values wrap to the terminal's width (by display width, so Japanese and Korean text lines
up); ``width=None`` keeps each value on one line. Every resource is shown as ``label (id)``,
the id being what the next command takes.
"""

from __future__ import annotations

from kg.query.table import display_width, layout, pad, wrap

FIELD = 16  # width of the field-name column
INDENT = "  "


def name(ref: dict | None) -> str:
    """``label (id)`` for a ref, or its id alone."""
    if not ref:
        return ""
    return f"{ref['label']} ({ref['id']})" if ref.get("label") else ref["id"]


def span(first: str | None, last: str | None) -> str:
    if not first:
        return ""
    return first if not last or last == first else f"{first} – {last}"


def search_text(found: dict, width: int | None) -> str:
    """A search's results as a table, or what the closest names are when nothing matched."""
    results = found["results"]
    of_type = f" among {found['type']}" if found["type"] else ""
    if not results:
        closest = "; ".join(f"{c['label']} ({c['id']})" for c in found["closest"])
        return (f"no resource matches {found['query']!r}{of_type}"
                + (f"; the closest: {closest}" if closest else "; nothing is close") + "\n")
    rows = []
    for r in results:
        matched, label = r["matched"], r["label"] or ""
        if matched["kind"] not in ("slug", "id") and matched["text"] != label:
            lang = f"{matched['lang']} " if matched["lang"] else ""
            label += f" [{lang}{matched['kind']}: {matched['text']}]"
        rows.append([r["id"], r["type_label"] or r["type"] or "", label, r["dates"], r["match"]])
    shown, total = len(results), found["total"]
    footer = f"({shown} of {total} matches; --limit {min(total, 500)} shows more)" if shown < total \
        else f"({total} match{'es' if total != 1 else ''})"
    head = ""
    if results[0]["match"] == "fuzzy":
        head = f"nothing is named {found['query']!r}{of_type}; the closest names:\n"
    return head + layout(["id", "type", "label", "dates", "match"], rows, width, footer)


class _Writer:
    """Lines of ``field  value`` with values wrapped under themselves."""

    def __init__(self, width: int | None):
        self.width = width
        self.lines: list[str] = []
        self.shown: set[str] = set()

    def _wrap(self, text: str, indent: int) -> list[str]:
        if self.width is None:
            return [text]
        return wrap(text, max(self.width - indent, 20), max_lines=None)

    def field(self, label: str, values: list[str] | str | None) -> None:
        if values is None or values == [] or values == "":
            return
        values = [values] if isinstance(values, str) else values
        first = True
        for value in values:
            for line in self._wrap(value, FIELD):
                self.lines.append(pad(label if first else "", FIELD - 1) + " " + line)
                first = False

    def item(self, text: str, depth: int = 1) -> None:
        prefix = INDENT * depth
        for number, line in enumerate(self._wrap(text, display_width(prefix) + 2)):
            self.lines.append(prefix + ("" if number == 0 else "  ") + line)

    def heading(self, text: str) -> None:
        self.lines += ["", text]

    def ref(self, ref: dict | None) -> str:
        if ref:
            self.shown.add(ref["id"])
        return name(ref)


def _agent(w: _Writer, agent: dict) -> str:
    text = w.ref(agent)
    posts = [f"{w.ref(p['post'])} [{p['basis']}]" for p in agent.get("posts", []) if p["post"]]
    return text + (", " + "; ".join(posts) if posts else "")


def _date(w: _Writer, date: dict) -> list[str]:
    out = [span(date["earliest"], date["latest"]) + (f" (precision: {date['precision']})"
                                                     if date["precision"] else "")]
    if date["phrase"]:
        against = date["resolved_against"]
        out.append(f"from the phrase \"{date['phrase']}\""
                   + (f", resolved against {w.ref(against)}" if against else ""))
    return out


def _citation(w: _Writer, number: int, c: dict, about: bool, in_source: bool) -> None:
    source = c["source"] or {}
    w.ref(source)
    if not in_source:
        head = f"{number}. " + (f"on {w.ref(c['subject'])}, in " if about else "")
        w.item(head + name(source))
        details = ", ".join(x for x in (source.get("publisher"), source.get("published")) if x)
        if details:
            w.item(details, 2)
        if source.get("url"):
            w.item(source["url"], 2)
    else:
        w.item(f"{number}. on {w.ref(c['subject'])}")
    if c["quote"]:
        w.item(f"quote: \"{c['quote']['text']}\"", 2)
    facts = []
    if c["attributed_to"]:
        facts.append(f"attributed to {_agent(w, c['attributed_to'])}")
    if c["reported_as"]:
        facts.append(f"reported as {c['reported_as']}")
    if c["followed"] is not None:
        facts.append("the record follows this claim" if c["followed"]
                     else "the record does not follow this claim")
    if c["claimed_dates"]:
        facts.append("claims " + span(c["claimed_dates"]["earliest"], c["claimed_dates"]["latest"]))
    if c["claimed_count"] is not None:
        facts.append(f"claims a count of {c['claimed_count']}")
    if facts:
        w.item("; ".join(facts), 2)


def _citations(w: _Writer, title: str, citations: list[dict], about: bool = False,
               in_source: bool = False) -> None:
    if citations:
        w.heading(f"{title} ({len(citations)})")
        for number, c in enumerate(citations, 1):
            _citation(w, number, c, about, in_source)


def _tenure_span(t: dict) -> str:
    if t["start"] or t["end"]:
        text = span(t["start"] or "start not recorded", t["end"] or "no recorded end")
    else:
        text = "attested " + ", ".join(t["attested"]) if t["attested"] else "dates unknown"
    if t.get("in_office_as_of"):
        text += f" (in office as of {t['in_office_as_of']})"
    return text


def describe_text(d: dict, width: int | None) -> str:
    """A description (kg/explore/describe.py) as text."""
    w = _Writer(width)
    w.shown.add(d["id"])
    w.lines.append(d["id"])
    if d["label"]:
        w.item(d["label"], 1)
    w.lines.append("")
    w.field("type", [name(t) for t in d["types"]])
    w.field("labels", [f"{lang or '-'}  {text}" for lang, text in d["labels"].items()])
    w.field("short label", d["short_label"])
    w.field("ids", [f"{x['scheme']}: {x['id']}" for x in d["external_ids"]])
    w.field("note", d["note"])
    w.field("definition", d.get("definition"))
    w.field("comment", d.get("comment"))
    if "instances" in d:
        w.field("instances", str(d["instances"]))
    if d.get("date"):
        _event(w, d)
    kind = d["kind"]
    if kind == "tenure":
        w.field("post", w.ref(d["post"]))
        w.field("holder", w.ref(d["holder"]))
        w.field("dates", _tenure_span(d))
        w.field("attested", ", ".join(d["attested"]))
    if kind == "source":
        w.field("title", d["title"])
        w.field("publisher", w.ref(d["publisher"]))
        w.field("republished by", w.ref(d["republished_by"]))
        w.field("published", d["published"])
        w.field("url", d["url"])
        w.field("language", d["language"])
    if kind == "claim":
        w.field("about", w.ref(d["subject"]))
        _citations(w, "cited in", [{**d, "claim": None}])
    if kind == "post":
        w.field("post in", w.ref(d["post_in"]))
        if d["holders"]:
            w.heading(f"holders, in order ({len(d['holders'])})")
            for t in d["holders"]:
                w.item(f"{_tenure_span(t)}  {w.ref(t['holder'])}  [{w.ref(t['tenure']) and t['tenure']['id']}]")
    if d.get("steps"):
        w.heading(f"steps ({len(d['steps'])})")
        for s in d["steps"]:
            kind_label = f"{s['kind']['label']}: " if s.get("kind") else ""
            w.item(f"{span(s['date']['earliest'], s['date']['latest']) if s['date'] else ''}  "
                   f"{kind_label}{w.ref(s['event'])}")
    if kind == "person":
        if d["tenures"]:
            w.heading(f"tenures ({len(d['tenures'])})")
            for t in d["tenures"]:
                w.item(f"{w.ref(t['post'])}: {_tenure_span(t)}  [{w.ref(t['tenure']) and t['tenure']['id']}]")
                cited = ", ".join(f"{c['source']['publisher']} {c['source']['published']} "
                                  f"({c['source']['id']})" for c in t["sources"] if c["source"])
                if cited:
                    w.item(f"sources: {cited}", 2)
    if d.get("involved_in"):
        w.heading(f"took part in ({len(d['involved_in'])})")
        for x in d["involved_in"]:
            when = span(x["date"]["earliest"], x["date"]["latest"]) if x["date"] else ""
            w.item(f"{when}  as {x['role']['label'] or x['role']['id']}: {w.ref(x['event'])}")
    _citations(w, "sources", d["sources"])
    if kind == "source":
        _citations(w, "claims made in it", d["claims"], about=True, in_source=True)
    if kind == "person":
        _citations(w, "claims sources attribute to them", d["attributed"], about=True)
    if d["properties"]:
        w.heading("other facts")
        for p in d["properties"]:
            value = p["value"]
            text = w.ref(value) if "iri" in value else value["value"] + (
                f"@{value['lang']}" if value.get("lang") else "")
            w.item(f"{p['property']['label'] or p['property']['id']}: {text}")
    pointing = [r for r in d["referenced_by"] if r["resource"]["id"] not in w.shown]
    if pointing:
        w.heading(f"also pointed to by ({len(pointing)})")
        for r in pointing:
            w.item(f"{name(r['resource'])}, through {r['property']['label'] or r['property']['id']}")
    return "\n".join(w.lines).rstrip() + "\n"


def _dated(w: _Writer, ref: dict) -> str:
    date = ref.get("date")
    return (span(date["earliest"], date["latest"]) + " " if date else "") + w.ref(ref)


def _event(w: _Writer, d: dict) -> None:
    w.field("date", _date(w, d["date"]))
    w.field("status", w.ref(d["status"]))
    w.field("confidence", d["confidence"])
    w.field("speaker", _agent(w, d["speaker"]) if d["speaker"] else None)
    w.field("in capacity of", w.ref(d["in_capacity_of"]))
    w.field("words", f"\"{d['text']['text']}\"" if d["text"] else None)
    for label, field in (("actors", "actors"), ("participants", "participants"),
                         ("targets", "targets")):
        w.field(label, [_agent(w, a) for a in d[field]])
    for label, field in (("representing", "representing"), ("materials", "materials"),
                         ("end users", "end_users"), ("agreements", "agreements"),
                         ("about", "about")):
        w.field(label, [w.ref(r) for r in d[field]])
    for label, field in (("under measure", "under_measure"), ("step of", "step_of"),
                         ("step kind", "step_kind"), ("case", "case"), ("place", "place"),
                         ("amends", "amends")):
        w.field(label, w.ref(d[field]))
    w.field("responds to", [_dated(w, r) for r in d["responds_to"]])
    for label, field in (("ordinal", "ordinal"), ("material count", "material_count"),
                         ("approval count", "approval_count")):
        w.field(label, str(d[field]) if d[field] is not None else None)
    w.field("amended by", [_dated(w, r) for r in d["amended_by"]])
    w.field("responded to by", [_dated(w, r) for r in d["responded_to_by"]])
    w.field("statements", [_dated(w, r) for r in d["statements"]])
    w.field("curation note", d["curation_note"])
