"""Benchmarks: every pipeline stage, the fast way next to the plain way, from 10^3 to 10^6 triples.

    python -m benchmarks.run                 # all sizes; writes benchmarks/results/
    python -m benchmarks.run --sizes curated 1e4 --repeat 3
    python -m benchmarks.run --explore-only  # search and describe only, merged into the last run

For each size (the curated facts, then generated disputes of about 10^4, 10^5
and 10^6 inferred triples) it runs :mod:`benchmarks.stages` once for the fast
way and once for the plain way, each in a fresh process (so the peak memory
is that of one way), and takes the median of ``--repeat`` runs per stage. The
plain way starts from the asserted graph as Turtle; a plain stage that runs
past ``--timeout`` is stopped and shown as such. Then it times whole commands:
``dispute-kg build`` on the curated facts against the plain way as one script,
and one stored query, ``search`` and ``describe`` from the command line against
``python -c "import rdflib"``.
Results: ``benchmarks/results/results.md``, ``results.json`` and ``scaling.png``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
SIZES = {"curated": None, "1e4": 10_000, "1e5": 100_000, "1e6": 1_000_000}


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_stages(way: str, args: list[str], env: dict) -> dict:
    command = [sys.executable, "-m", "benchmarks.stages", way, *args]
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit code {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def command_median(command: list[str], repeat: int, env: dict) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def commands(work: Path, repeat: int, env: dict) -> dict:
    """Whole commands as a user runs them, with interpreter start-up."""
    exe = Path(sys.executable).with_name("dispute-kg")
    out = {}
    progress("command: dispute-kg build on the curated facts")
    out["build"] = command_median([str(exe), "build", "--out", str(work / "dist")], repeat, env)
    progress("command: dispute-kg build on the curated facts, each run with an empty cache")
    out["build_cold"] = statistics.median(
        command_median([str(exe), "build", "--out", str(work / "dist")], 1,
                       {**env, "DISPUTE_KG_CACHE": str(work / f"cold-cache-{run}")}) for run in range(repeat))
    progress("command: the plain way on the curated facts")
    out["build_plain"] = command_median(
        [sys.executable, "-m", "benchmarks.plain", str(work / "dist" / "dispute-kg.ttl")], repeat, env)
    if (work / "facts-1e4").is_dir():
        progress("command: dispute-kg build on 10^4 generated triples, and the plain way")
        out["build_1e4"] = command_median([str(exe), "build", "--facts", str(work / "facts-1e4"),
                                           "--out", str(work / "dist-1e4")], repeat, env)
        out["build_plain_1e4"] = command_median(
            [sys.executable, "-m", "benchmarks.plain", str(work / "asserted-1e4.ttl")], repeat, env)
    progress("command: one stored query (warm cache) and python -c 'import rdflib'")
    out["query"] = command_median([str(exe), "query", "who-held-post"], 10, env)
    out["import_rdflib"] = command_median([sys.executable, "-c", "import rdflib"], 10, env)
    out.update(explore_commands(exe, env))
    return out


def explore_commands(exe: Path, env: dict, repeat: int = 10) -> dict:
    """search and describe from the command line (warm cache), as benchmarks/report.py lists them."""
    import shlex

    from benchmarks.report import EXPLORE

    progress("command: search and describe (warm cache)")
    subprocess.run([str(exe), "search", "warm"], env=env, stdout=subprocess.DEVNULL, check=True)
    return {key: command_median([str(exe), *shlex.split(args)], repeat, env) for key, args in EXPLORE.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage (median); 1 at 10^6")
    parser.add_argument("--timeout", type=float, default=300.0, help="per plain-way stage run, seconds")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--explore-only", action="store_true",
                        help="time only search and describe against the rdflib import, and merge them "
                             "into the last full run's results.json and results.md (a minute)")
    args = parser.parse_args(argv)
    from benchmarks.generate import generate
    from benchmarks.report import write

    work = Path(tempfile.mkdtemp(prefix="dispute-kg-bench-"))
    env = {**os.environ, "DISPUTE_KG_CACHE": str(work / "cache")}
    if args.explore_only:
        return explore_only(args.out, env)
    results = {"sizes": {}, "timeout": args.timeout, "machine": machine()}
    for size in args.sizes:
        facts = None
        if SIZES[size]:
            facts = work / f"facts-{size}"
            progress(f"{size}: generating facts")
            generate(facts, SIZES[size], seed=1, progress=True)
        repeat = 1 if size == "1e6" else args.repeat
        turtle = work / f"asserted-{size}.ttl"
        progress(f"{size}: fast way")
        fast_args = ["--repeat", str(repeat), "--turtle", str(turtle)]
        fast_args += ["--facts", str(facts)] if facts else ["--facts", str(ROOT / "facts")]
        fast = run_stages("fast", fast_args, env)
        progress(f"{size}: plain way ({fast['triples']} triples; each stage stops after {args.timeout:.0f} s)")
        plain_repeat = repeat if SIZES[size] is None or SIZES[size] <= 10_000 else 1
        plain = run_stages("plain", ["--turtle", str(turtle), "--repeat", str(plain_repeat),
                                     "--timeout", str(args.timeout)], env)
        results["sizes"][size] = {"fast": fast, "plain": plain}
    results["commands"] = commands(work, args.repeat, env) if "curated" in args.sizes else {}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    write(results, args.out)
    progress(f"wrote {args.out}/results.md, results.json and scaling.png")
    return 0


def explore_only(out: Path, env: dict) -> int:
    """Re-time search, describe and the rdflib import; keep every other number of the last run."""
    from benchmarks.report import write

    results = json.loads((out / "results.json").read_text())
    exe = Path(sys.executable).with_name("dispute-kg")
    progress("command: python -c 'import rdflib' and one stored query")
    subprocess.run([str(exe), "query", "who-held-post"], env=env, stdout=subprocess.DEVNULL, check=True)
    results["commands"]["query"] = command_median([str(exe), "query", "who-held-post"], 10, env)
    results["commands"]["import_rdflib"] = command_median([sys.executable, "-c", "import rdflib"], 10, env)
    results["commands"].update(explore_commands(exe, env))
    (out / "results.json").write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    write(results, out, plot=False)
    progress(f"wrote {out}/results.md and results.json (scaling.png unchanged)")
    return 0


def machine() -> str:
    import platform

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


if __name__ == "__main__":
    sys.exit(main())
