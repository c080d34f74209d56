"""What the researcher files cost: tables, CSVW metadata, PLOVER lines, examples, citation, DCAT
and CHANGES.md added to a build, and `dispute-kg diff` of two curated releases against
`python -c "import rdflib"`, in one run (medians).

    python -m benchmarks.researcher [--repeat 7]

Writes benchmarks/results/researcher.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.report import publish
from benchmarks.report import timed_command as timed
from kg.digests import RACY_NS


def in_process_cost(previous: Path, repeat: int) -> tuple[float, float]:
    """Median seconds of the researcher files without and with a previous release to diff against."""
    from kg.graph.ontology import load_ontology
    from kg.pipeline import build
    from kg.publish.release import ASSERTED, researcher_files
    from kg.query.engines import OxigraphEngine

    built = build()
    engine = OxigraphEngine(built.ntriples("inferred"))
    files = {ASSERTED + ".nt": (previous / (ASSERTED + ".nt")).read_bytes()}
    ontology = load_ontology()
    out = []
    for prev in (None, previous):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            researcher_files(built.facts, engine, ontology, None, files, prev)
            times.append(time.perf_counter() - start)
        out.append(statistics.median(times))
    return out[0], out[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    exe = str(Path(sys.executable).with_name("dispute-kg"))
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DISPUTE_KG_CACHE": str(Path(tmp) / "cache")}
        old, new = Path(tmp) / "old", Path(tmp) / "new"
        for out in (old, new):
            subprocess.run([exe, "build", "--out", str(out)], env=env, check=True, capture_output=True)
        # releases a curator compares were written earlier: digests taken within two seconds
        # of a file's last change are never reused (kg.digests), so the first diff waits that out
        time.sleep(RACY_NS / 1e9)
        timed([exe, "diff", str(old), str(new)], env)  # warm the file cache and remember digests
        diff, rdflib = [], []
        for _ in range(args.repeat):  # interleaved, so both see the same machine load
            diff.append(timed([exe, "diff", str(old), str(new)], env))
            rdflib.append(timed([sys.executable, "-c", "import rdflib"], env))
        without, with_previous = in_process_cost(old, args.repeat)
    diff_s, rdflib_s = statistics.median(diff), statistics.median(rdflib)
    lines = [
        f"Machine: {os.uname().machine}, {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
        f"medians of {args.repeat} runs; load average {os.getloadavg()[0]:.1f} at the end.",
        "",
        "| what | measured | target | met? |",
        "|---|---|---|---|",
        f"| tables, CSVW metadata, PLOVER lines, examples, citation, DCAT and schema.org added to a build "
        f"| {without:.3f} s | at most 0.2 s | {'yes' if without <= 0.2 else 'no'} |",
        f"| ... with `--previous` (CHANGES.md: the previous release checked and read) "
        f"| {with_previous:.3f} s | at most 0.2 s | {'yes' if with_previous <= 0.2 else 'no'} |",
        f"| `dispute-kg diff OLD NEW` of two curated releases vs `python -c \"import rdflib\"` "
        f"| {diff_s:.3f} s vs {rdflib_s:.3f} s = {diff_s / rdflib_s:.2f}x | within 2x "
        f"| {'yes' if diff_s <= 2 * rdflib_s else 'no'} |",
    ]
    publish("researcher.md", lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
