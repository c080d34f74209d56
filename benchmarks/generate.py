"""Synthetic disputes for the scale runs, written as facts files the real loader reads.

Each synthetic dispute is a small trade row between two generated states, shaped
like the curated one: foreign and trade ministers with successive tenures, an
export-control tightening on a few materials, numbered approvals under it for
named firms, bilateral and trilateral meetings of the ministers in office,
statements in their capacity, a development in relations the tightening
responds to, and news reports and official documents citing all of it. Every
record conforms to the shapes, so the scale runs exercise the pipeline as
curated data does. The same seed and size always give the same bytes.

Usage::

    python -m benchmarks.generate --triples 100000 --out /tmp/facts-1e5
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

from kg.facts.schema import SECTIONS

#: Inferred triples one synthetic dispute gives, and the ontology plus shared states (measured).
TRIPLES_PER_DISPUTE = 2510
SHARED_TRIPLES = 1437
#: Disputes per facts file: keeps each file about a megabyte, as a curator's files might be.
DISPUTES_PER_FILE = 20
STATES = 60
START = date(2015, 1, 1)

MATERIALS = ("photoresist", "hydrogen fluoride", "fluorinated polyimide", "rare earth magnets",
             "gallium", "germanium", "graphite anode", "lithium hydroxide", "silicon wafers",
             "neon gas", "tungsten", "cobalt sulphate")
USES = ("chips and displays", "batteries", "solar panels", "precision optics", "steelmaking")
PRECISIONS = (("day", 0), ("week", 6), ("month", 27))


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


class Writer:
    """Collects YAML entries by section and writes them as one facts file.

    Every entry is checked against the facts schema (kg.facts.schema) and written in its
    field order: a field renamed or made required there changes what is generated here, or
    fails loudly, rather than producing facts the loader refuses.
    """

    def __init__(self):
        self.sections: dict[str, list[str]] = {}

    def add(self, section: str, fields: list[tuple[str, object]]) -> None:
        kind = SECTIONS[section]
        order = ["id"] + [field.key for field in kind.fields]
        given = [key for key, _ in fields]
        unknown = sorted(set(given) - set(order))
        missing = [field.key for field in kind.fields if field.required and field.key not in given]
        if unknown or missing or "id" not in given:
            raise ValueError(f"{section} entry {fields[0]}: unknown keys {unknown}, missing {missing}")
        fields = sorted(fields, key=lambda item: order.index(item[0]))
        lines = []
        for index, (key, value) in enumerate(fields):
            lead = "  - " if index == 0 else "    "
            lines.append(f"{lead}{key}: {self._value(value)}")
        self.sections.setdefault(section, []).append("\n".join(lines))

    def _value(self, value) -> str:
        if isinstance(value, str):
            return value if value.replace("-", "").isalnum() and value.isascii() \
                and not value[0].isdigit() else q(value)
        if isinstance(value, int):
            return str(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k}: {self._value(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            if value and isinstance(value[0], dict):
                return "[" + ", ".join(self._value(v) for v in value) + "]"
            return "[" + ", ".join(self._value(v) for v in value) + "]"
        raise TypeError(value)

    def text(self) -> str:
        parts = ["# Synthetic facts for benchmarks (benchmarks/generate.py); not real events."]
        for section in SECTIONS:
            if section in self.sections:
                parts.append(f"{section}:\n" + "\n".join(self.sections[section]))
        return "\n".join(parts) + "\n"


def when(earliest: date, precision: str = "day", span: int = 0) -> dict:
    return {"earliest": earliest, "latest": earliest + timedelta(days=span), "precision": precision}


def states(out: Writer) -> None:
    """The shared pool of states and their capitals."""
    for n in range(STATES):
        out.add("agents", [("id", f"state-{n}"), ("type", "State"),
                           ("label", {"en": f"State {n}", "ja": f"国家{n}", "ko": f"국가 {n}"})])
        out.add("places", [("id", f"capital-{n}"),
                           ("label", {"en": f"Capital of State {n}", "ja": f"国家{n}の首都"}),
                           ("country", f"state-{n}")])
    for name in ("wire-service", "business-daily"):
        out.add("agents", [("id", name), ("type", "NewsOrganisation"),
                           ("label", {"en": name.replace("-", " ").title()})])


def dispute(out: Writer, d: int, rng: random.Random) -> None:
    """One synthetic dispute between two states, with a third at a trilateral meeting."""
    a, b, c = rng.sample(range(STATES), 3)
    p = f"d{d}"
    begin = START + timedelta(days=rng.randrange(0, 5 * 365))
    day = lambda offset: begin + timedelta(days=offset)  # noqa: E731

    # Agents: ministries, firms, ministers, an anonymous source.
    for s in (a, b):
        out.add("agents", [("id", f"{p}-trade-ministry-{s}"), ("type", "GovernmentBody"),
                           ("label", {"en": f"Trade ministry of State {s} ({p})"}),
                           ("country", f"state-{s}")])
    firms = [f"{p}-firm-{k}" for k in range(3)]
    for k, firm in enumerate(firms):
        out.add("agents", [("id", firm), ("type", "Firm"),
                           ("label", {"en": f"Firm {k} of dispute {d}", "ko": f"기업 {k}"}),
                           ("country", f"state-{b}"),
                           ("description", "A synthetic manufacturer that imports the controlled materials.")])
    out.add("agents", [("id", f"{p}-officials"), ("type", "AnonymousSource"),
                       ("label", {"en": "government officials"})])

    # Sources: one report a month over about three years.
    sources = []
    for k in range(36):
        sid = f"{p}-report-{k}"
        official = k % 6 == 5
        publisher = f"{p}-trade-ministry-{a}" if official else rng.choice(("wire-service", "business-daily"))
        fields = [("id", sid), ("type", "OfficialDocument" if official else "NewsReport"),
                  ("title", f"Report {k} on the dispute between State {a} and State {b}"),
                  ("publisher", publisher), ("published", day(30 * k + 29)),
                  ("url", f"https://news.example.org/{p}/report-{k}")]
        out.add("sources", fields)
        sources.append((sid, day(30 * k + 29)))

    def cite(first: date, quote: str, future: bool = False) -> list[dict]:
        """Two sources published after ``first`` (or before it, for a claim of the future)."""
        if future:
            pool = [s for s, pub in sources if pub <= first] or [sources[0][0]]
            chosen = pool[-2:]
            return [{"source": s, "reported_as": "future", "quote": quote} for s in chosen]
        pool = [s for s, pub in sources if pub >= first]
        chosen = pool[:2] if len(pool) >= 2 else [sources[-1][0]]
        cites = [{"source": chosen[0], "quote": quote}]
        cites += [{"source": s, "attributed_to": f"{p}-officials"} for s in chosen[1:]]
        return cites

    # Materials.
    names = rng.sample(MATERIALS, 4)
    materials = []
    for k, name in enumerate(names):
        mid = f"{p}-material-{k}"
        out.add("materials", [("id", mid), ("label", {"en": f"{name} ({p})"}),
                              ("used_in", rng.choice(USES)),
                              ("sources", [{"source": sources[0][0]}])])
        materials.append(mid)

    # Posts and tenures: three successive ministers per post.
    holders: dict[str, list[tuple[str, date, date]]] = {}
    for s in (a, b):
        for office in ("foreign-minister", "trade-minister"):
            post = f"{p}-{office}-{s}"
            title = office.replace("-", " ")
            out.add("posts", [("id", post), ("label", {"en": f"{title.capitalize()} of State {s}"}),
                              ("post_in", f"state-{s}")])
            holders[post] = []
            for k in range(3):
                person = f"{p}-{office}-{s}-{k}"
                start, end = day(365 * k), day(365 * k + 364)
                out.add("agents", [("id", person), ("type", "Person"),
                                   ("label", {"en": f"Minister {k} ({title}, State {s}, {p})"}),
                                   ("country", f"state-{s}")])
                tenure = [("id", f"{person}-tenure"), ("post", post), ("holder", person),
                          ("start", start)]
                if k < 2:
                    tenure.append(("end", end))
                tenure.append(("sources", [{"source": sources[min(12 * k, 35)][0]}]))
                out.add("tenures", tenure)
                holders[post].append((person, start, end))

    def in_office(post: str, at: date) -> str:
        return next(person for person, start, end in holders[post] if start <= at <= end)

    # Events.
    trigger = f"{p}-relations-worsen"
    out.add("events", [("id", trigger), ("type", "RelationsDevelopment"),
                       ("label", f"Relations between State {a} and State {b} worsen ({p})"),
                       ("actor", [f"state-{a}", f"state-{b}"]), ("confidence", "medium"),
                       ("date", when(day(10), "month", 20)),
                       ("sources", cite(day(10), "Relations worsened over a court ruling."))])
    measure = f"{p}-tightening"
    controlled = materials[:3]
    out.add("events", [("id", measure), ("type", "ExportControlTightening"),
                       ("label", f"State {a} tightens export controls on State {b} ({p})"),
                       ("actor", [f"state-{a}"]), ("target", [f"state-{b}"]),
                       ("material", controlled), ("material_count", 3),
                       ("responds_to", [trigger]), ("date", when(day(60), "week", 6)),
                       ("sources", cite(day(60), "The government tightened controls on three materials."))])
    for k in range(4):
        first = day(90 + 90 * k)
        precision, span = PRECISIONS[k % 3]
        out.add("events", [("id", f"{p}-approval-{k + 1}"), ("type", "ExportApproval"),
                           ("label", f"Approval {k + 1} of exports to State {b} under the controls ({p})"),
                           ("actor", [f"state-{a}"]), ("target", [f"state-{b}"]),
                           ("material", [controlled[k % 3]]), ("end_user", [firms[k % 3]]),
                           ("under_measure", measure), ("ordinal", k + 1),
                           ("date", when(first, precision, span)),
                           ("sources", cite(first + timedelta(days=span), "Exports were approved."))])
    meetings = []
    for k in range(3):
        first = day(100 + 300 * k)
        fa, fb = f"{p}-foreign-minister-{a}", f"{p}-foreign-minister-{b}"
        trilateral = k == 2
        mid = f"{p}-meeting-{k}"
        meeting = [("id", mid), ("type", "TrilateralMeeting" if trilateral else "BilateralMeeting"),
                   ("label", f"Foreign ministers' meeting {k} ({p})"),
                   ("participant", [in_office(fa, first), in_office(fb, first)]),
                   ("representing", [f"state-{a}", f"state-{b}"] + ([f"state-{c}"] if trilateral else [])),
                   ("place", f"capital-{rng.choice((a, b, c))}"),
                   ("date", when(first, "day"))]
        future = k % 2 == 1
        meeting.append(("sources", cite(first, "The ministers will meet." if future else "The ministers met.",
                                        future=future)))
        out.add("events", meeting)
        meetings.append((mid, first))

    # Statements by ministers in office, about the meetings and the tightening.
    for k in range(30):
        first = day(95 + 30 * k)
        post = f"{p}-trade-minister-{b if k % 2 else a}"
        speaker = in_office(post, first)
        about = [measure] + [m for m, at in meetings if at <= first][-1:]
        out.add("statements", [("id", f"{p}-statement-{k}"), ("type", "Statement"),
                               ("label", f"Trade minister comments on the controls ({p}, {k})"),
                               ("speaker", speaker), ("in_capacity_of", post),
                               ("text", "We regret the measure and call for dialogue."),
                               ("about", about), ("date", when(first)),
                               ("sources", cite(first, "The minister said so on Tuesday."))])
    out.add("statements", [("id", f"{p}-firm-declines"), ("type", "DeclinedComment"),
                           ("label", f"A firm declines to comment ({p})"), ("speaker", firms[0]),
                           ("about", [measure]), ("date", when(day(62))),
                           ("sources", cite(day(62), "A spokeswoman declined to comment."))])


def disputes_for(triples: int) -> int:
    """How many disputes give about ``triples`` inferred triples."""
    return max(1, round((triples - SHARED_TRIPLES) / TRIPLES_PER_DISPUTE))


def generate(out_dir: Path, triples: int, seed: int = 1, progress: bool = False) -> list[Path]:
    """Write facts files for about ``triples`` inferred triples into ``out_dir``.

    Args:
        out_dir: folder to write ``*.yaml`` into (created; old ``*.yaml`` removed).
        triples: the size to aim at, in triples after inference.
        seed: random seed; the same seed and size give the same bytes.
        progress: report progress on stderr.

    Returns:
        The files written, in order.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.yaml"):
        old.unlink()
    rng = random.Random(seed)
    count = disputes_for(triples)
    shared = Writer()
    states(shared)
    paths = [out_dir / "states.yaml"]
    paths[0].write_text(shared.text(), encoding="utf-8")
    for first in range(0, count, DISPUTES_PER_FILE):
        batch = Writer()
        for d in range(first, min(count, first + DISPUTES_PER_FILE)):
            dispute(batch, d, rng)
        path = out_dir / f"disputes-{first // DISPUTES_PER_FILE:04d}.yaml"
        path.write_text(batch.text(), encoding="utf-8")
        paths.append(path)
        if progress:
            done = min(count, first + DISPUTES_PER_FILE)
            print(f"\rgenerate: {done}/{count} disputes", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help="about how many inferred triples")
    parser.add_argument("--out", type=Path, required=True, help="facts folder to write")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    paths = generate(args.out, args.triples, args.seed, progress=True)
    print(f"wrote {len(paths)} facts files to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
