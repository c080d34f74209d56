"""What the web site adds to a build of the curated facts.

    python -m benchmarks.site [--repeat 7]

The site's share of ``dispute-kg build`` is its own work: rendering every page and description
(``kg.publish.release.site``) and writing and re-reading those files in the release folder
(``kg.files.publish_directory`` with the release's check). Both are timed here, in one process
after one build, as the median of ``--repeat`` runs, in wall-clock and CPU seconds (CPU time is
what the machine's other load does not inflate). Writes ``benchmarks/results/site.md``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.report import publish
from benchmarks.run import progress


def timed(work, repeat: int) -> tuple[float, float, object]:
    """Median wall and CPU seconds of ``work()`` over ``repeat`` runs, and its last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def places() -> list[tuple[str, str | None]]:
    """Where the release folder is written: beside the repository's disk, and in memory if the
    machine has /dev/shm."""
    found = [("on disk", str(Path(__file__).resolve().parent / ".work"))]
    if Path("/dev/shm").is_dir() and os.access("/dev/shm", os.W_OK):
        found.append(("in memory (tmpfs)", "/dev/shm"))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)

    from kg import __version__
    from kg.files import publish_directory
    from kg.pipeline import build
    from kg.graph.ontology import load_ontology
    from kg.publish.docs import cached_ontology_html
    from kg.publish.release import ASSERTED, site, verify_release_file
    from kg.publish.timeline import timeline_from_engine
    from kg.query.engines import OxigraphEngine

    progress("building the curated facts")
    built = build()
    engine = OxigraphEngine(built.ntriples("inferred"))
    timeline = timeline_from_engine(engine, __version__)
    files = {ASSERTED + ".nt": built.ntriples("asserted"), "ontology.html": cached_ontology_html(load_ontology())}
    progress(f"rendering the site {args.repeat} times")
    render_wall, render_cpu, pages = timed(lambda: site(files, timeline), args.repeat)
    rows = [("render pages and descriptions", render_wall, render_cpu)]
    for place, base in places():
        Path(base).mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=base) as folder:
            out = Path(folder) / "dist"
            progress(f"writing and re-reading its {len(pages)} files {args.repeat} times ({place})")
            write_wall, write_cpu, _ = timed(
                lambda: publish_directory(out, pages, verify=verify_release_file, force=True), args.repeat)
        rows += [(f"write and re-read them (publish_directory), {place}", write_wall, write_cpu),
                 (f"the site in all, {place}", render_wall + write_wall, render_cpu + write_cpu)]
    lines = [f"Site of the curated facts: {len(pages)} files; medians of {args.repeat} runs "
             "(`python -m benchmarks.site`). Creating a file costs what the file system makes it "
             "cost, so the files are written both to a disk folder and to memory (tmpfs), "
             "which is what the code itself costs.", "",
             "| step | wall s | CPU s |", "|---|---|---|"]
    lines += [f"| {name} | {wall:.3f} | {cpu:.3f} |" for name, wall, cpu in rows]
    publish("site.md", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
