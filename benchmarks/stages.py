"""Time each pipeline stage on one facts folder, the fast way or the plain way, in this process.

Run by :mod:`benchmarks.run` in a fresh subprocess per (size, way), so the
peak memory it reports (``ru_maxrss``) is that of one way on one size. Prints
one JSON object: ``{"stages": {name: [seconds, ...]}, "skipped": {...}, "peak_mb": ...}``, with
the peak memory so far after each stage (``"peak_mb_after"``) and the number of rows each stored
query returned (``"rows"``: an answer's size explains its time, as for
``approvals-before-meetings``, every approval against every meeting).

The fast way loads the facts with an empty cache each run (what a new facts folder
costs: YAML read, checked, and its records cached); later runs would otherwise read the
cache, and a median over them would not be the load at all.

* fast: load facts (YAML) -> build (N-Triples lines) -> infer (reasonable,
  gate, validation view) -> validate (SHACL compiled to SPARQL on Oxigraph)
  -> each stored query (on the Oxigraph store the gate loaded, as a release
  does) -> export (sorted N-Triples and Turtle).
* plain: rdflib parses the asserted graph's Turtle -> owlrl closure ->
  pySHACL -> each stored query in rdflib -> rdflib Turtle. A stage that
  exceeds the timeout is stopped and recorded as skipped, with the stages that
  need its result.
"""

from __future__ import annotations

import argparse
import json
import resource
import signal
import statistics
import sys
import time
from pathlib import Path


class Timeout(Exception):
    """A plain-way stage ran past its time limit."""


def _alarm(signum, frame):
    raise Timeout()


#: Peak memory (MB) so far after each stage, filled in by :func:`timed`.
PEAKS: dict[str, float] = {}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(results: dict, name: str, fn, repeat: int, limit: float | None = None):
    """Run ``fn`` ``repeat`` times, record each duration, return its last value."""
    value = None
    for _ in range(repeat):
        if limit:
            signal.setitimer(signal.ITIMER_REAL, limit)
        start = time.perf_counter()
        try:
            value = fn()
        finally:
            if limit:
                signal.setitimer(signal.ITIMER_REAL, 0)
        results.setdefault(name, []).append(time.perf_counter() - start)
        PEAKS[name] = peak_mb()
        print(f"  {name}: {results[name][-1]:.3f} s", file=sys.stderr, flush=True)
    return value


def cold_load(facts_dir: Path):
    """The facts, read with an empty cache (see the module docstring)."""
    import os
    import tempfile

    from kg.facts.loader import load_facts

    before = os.environ.get("DISPUTE_KG_CACHE")
    with tempfile.TemporaryDirectory(prefix="dispute-kg-cold-") as cold:
        os.environ["DISPUTE_KG_CACHE"] = cold
        try:
            return load_facts(facts_dir)
        finally:
            if before is None:
                del os.environ["DISPUTE_KG_CACHE"]
            else:
                os.environ["DISPUTE_KG_CACHE"] = before


def fast(facts_dir: Path, repeat: int, turtle_out: Path | None) -> dict:
    from kg.graph.rdfio import turtle_from_ntriples
    from kg.memory import paused_gc
    from kg.query.catalogue import bind, catalogue
    from kg.query.engines import OxigraphEngine
    from kg.reason import closure as fastbuild
    from kg.shacl.validate import load_shapes, validate_graph

    stages: dict = {}
    with paused_gc():  # as kg.pipeline.build does
        facts = timed(stages, "load facts", lambda: cold_load(facts_dir), repeat)
        asserted = timed(stages, "build", lambda: fastbuild.asserted_lines(facts), repeat)
        graphs = timed(stages, "infer", lambda: fastbuild.infer_lines(asserted), repeat)
    del asserted  # as kg.pipeline.build keeps only the graphs
    shapes = load_shapes(check=False)
    report = timed(stages, "validate", lambda: validate_graph(graphs.view, shapes), repeat)
    # the store the consistency gate loaded the inferred graph into (timed in infer), which
    # kg.pipeline.release queries too; a second copy cost 3 s and 340 MB at 10^6
    engine = OxigraphEngine(graphs.store)
    rows = {}
    for query in catalogue().values():
        answer = timed(stages, f"query: {query.name}",
                       lambda q=query: engine.run(q.text, bind(q, {}), timeout=None), repeat)
        rows[query.name] = len(answer.rows)
        del answer
    timed(stages, "export", lambda: turtle_from_ntriples(graphs.inferred), repeat)
    if turtle_out:
        turtle_out.write_bytes(turtle_from_ntriples(graphs.asserted))
    return {"stages": stages, "skipped": {}, "triples": graphs.inferred_count,
            "asserted": graphs.asserted_count, "conforms": report.conforms,
            "problems": len(report.problems), "rows": rows}


def plain(turtle: Path, repeat: int, limit: float) -> dict:
    stages: dict = {}
    skipped: dict = {}
    import owlrl
    import pyshacl
    import rdflib

    from kg.query.catalogue import catalogue
    from kg.resources import shapes_files

    def parse():
        graph = rdflib.Graph()
        graph.parse(turtle, format="turtle")
        return graph

    graph = timed(stages, "load facts", parse, repeat)

    def closure():
        closed = rdflib.Graph()
        closed += graph
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
        return closed

    try:
        closed = timed(stages, "infer", closure, repeat, limit)
    except Timeout:
        skipped["infer"] = f"> {limit:.0f} s"
        closed = None
    shapes = rdflib.Graph()
    for path in shapes_files():
        shapes.parse(path, format="turtle")
    later = ["validate", *(f"query: {q}" for q in catalogue()), "export"]
    if closed is None:
        for name in later:
            skipped[name] = "needs infer"
        return {"stages": stages, "skipped": skipped}
    for name, fn in [("validate", lambda: pyshacl.validate(closed, shacl_graph=shapes, inference="none",
                                                            advanced=True, allow_warnings=True))]:
        try:
            timed(stages, name, fn, repeat, limit)
        except Timeout:
            skipped[name] = f"> {limit:.0f} s"
    rows = {}
    for query in catalogue().values():
        name = f"query: {query.name}"
        try:
            rows[query.name] = len(timed(stages, name, lambda q=query: list(closed.query(q.text)), repeat, limit))
        except Timeout:
            skipped[name] = f"> {limit:.0f} s"
    try:
        timed(stages, "export", lambda: closed.serialize(format="turtle"), repeat, limit)
    except Timeout:
        skipped["export"] = f"> {limit:.0f} s"
    return {"stages": stages, "skipped": skipped, "triples": len(closed), "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("way", choices=("fast", "plain"))
    parser.add_argument("--facts", type=Path, help="facts folder (fast way)")
    parser.add_argument("--turtle", type=Path, help="asserted graph: written by fast, read by plain")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300.0, help="per plain-way stage run, seconds")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGALRM, _alarm)
    start = time.perf_counter()
    if args.way == "fast":
        out = fast(args.facts, args.repeat, args.turtle)
    else:
        out = plain(args.turtle, args.repeat, args.timeout)
    out["medians"] = {name: statistics.median(times) for name, times in out["stages"].items()}
    out["peak_mb"] = peak_mb()
    out["peak_mb_after"] = PEAKS
    out["wall"] = time.perf_counter() - start
    out["repeat"] = args.repeat
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
