"""Turn benchmark results into a Markdown table and a log-log plot of time against size."""

from __future__ import annotations

import json
import sys
from pathlib import Path

GROUPS = ("load facts", "build", "infer", "validate", "queries", "export")
RESULTS = Path(__file__).resolve().parent / "results"


def publish(name: str, lines: list[str]) -> None:
    """Write a result table to ``benchmarks/results/NAME`` and show it."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def as_installed(env: dict) -> dict:
    """The environment of an installed copy: pip compiles a package to bytecode when it installs
    it (rdflib's is), so ours is compiled too, and PYTHONDONTWRITEBYTECODE (set in some shells
    and containers) is left out, so the interpreter keeps what it compiles."""
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "kg"), quiet=1)
    return {key: value for key, value in env.items() if key != "PYTHONDONTWRITEBYTECODE"}


def timed_command(command: list[str], env: dict) -> float:
    """Wall seconds of one run of a command, which must succeed (its output is not shown);
    run as installed (:func:`as_installed`)."""
    import subprocess
    import time

    env = as_installed(env)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return elapsed


def grouped(way: dict) -> dict[str, float | None]:
    """Stage medians, with the stored queries summed (None where a stage did not finish)."""
    medians = way.get("medians", {})
    out = {name: medians.get(name) for name in GROUPS if name != "queries"}
    queries = [v for k, v in medians.items() if k.startswith("query: ")]
    skipped = any(k.startswith("query: ") for k in way.get("skipped", {}))
    out["queries"] = None if skipped or not queries else sum(queries)
    return out


def cell(seconds: float | None, skipped: str | None = None) -> str:
    if seconds is None:
        return skipped or "–"
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def ratio(plain: float | None, fast: float | None) -> str:
    if plain is None or not fast:
        return "–"
    return f"{plain / fast:.0f}×" if plain / fast >= 10 else f"{plain / fast:.1f}×"


def write(results: dict, out: Path, plot: bool = True) -> None:
    lines = ["# Benchmark results", "",
             f"Machine: {results['machine']}. Medians of the runs shown; plain-way stages stop after "
             f"{results['timeout']:.0f} s (\"> N s\"), and the stages that need their result are "
             "not run (\"needs infer\"). The fast way loads the facts with an empty cache each run "
             "(a new facts folder: read, checked and cached).", ""]
    lines += ["## Stages (seconds)", "",
              "| size | triples | way | runs | load/parse | build | infer | validate | queries | export | "
              "total | peak MB |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for size, ways in results["sizes"].items():
        triples = ways["fast"]["triples"]
        for name in ("fast", "plain"):
            way = ways[name]
            stages = grouped(way)
            skipped = way.get("skipped", {})
            shown = []
            for group in GROUPS:
                reason = skipped.get(group) or (next((v for k, v in skipped.items() if k.startswith("query: ")),
                                                     None) if group == "queries" else None)
                shown.append(cell(stages[group], reason if stages[group] is None else None))
            done = [v for v in stages.values() if v is not None]
            total = cell(sum(done)) if len(done) == len([g for g in GROUPS if g != "build" or name == "fast"]) \
                else "–"
            lines.append(f"| {size} | {triples} | {name} | {way['repeat']} | " + " | ".join(shown)
                         + f" | {total} | {way['peak_mb']:.0f} |")
        fast, plain = grouped(ways["fast"]), grouped(ways["plain"])
        fast_load = (fast["load facts"] or 0) + (fast["build"] or 0)
        lines.append(f"| {size} | | plain ÷ fast | | {ratio(plain['load facts'], fast_load)} | | "
                     f"{ratio(plain['infer'], fast['infer'])} | {ratio(plain['validate'], fast['validate'])} | "
                     f"{ratio(plain['queries'], fast['queries'])} | {ratio(plain['export'], fast['export'])} | | |")
    lines += ["", "## Stored queries (seconds)", "",
              "`rows` is the size of the fast way's answer, its parameters bound as `dispute-kg query` binds "
              "them when none is given (the plain way runs the query text as it is). A query whose answer grows faster than the data takes longer for that reason: "
              "`approvals-before-meetings` pairs every approval with every meeting it may have preceded, "
              "across all the generated disputes.", "",
              "| size | query | rows | fast (Oxigraph) | plain (rdflib) | plain ÷ fast |",
              "|---|---|---|---|---|---|"]
    for size, ways in results["sizes"].items():
        fast, plain = ways["fast"]["medians"], ways["plain"].get("medians", {})
        rows = ways["fast"].get("rows", {})
        for name in sorted(k for k in fast if k.startswith("query: ")):
            reason = ways["plain"].get("skipped", {}).get(name)
            count = rows.get(name[7:])
            lines.append(f"| {size} | {name[7:]} | {'–' if count is None else count} | {cell(fast[name])} | "
                         f"{cell(plain.get(name), reason)} | {ratio(plain.get(name), fast[name])} |")
    commands = results.get("commands") or {}
    if commands:
        lines += ["", "## Whole commands (seconds, with interpreter start-up)", "",
                  "| command | fast | plain / reference | ratio |", "|---|---|---|---|",
                  f"| `dispute-kg build` on the curated facts vs the plain way (`benchmarks/plain.py`) | "
                  f"{commands['build']:.2f} | {commands['build_plain']:.2f} | "
                  f"{commands['build_plain'] / commands['build']:.1f}× faster |",
                  *([f"| ... the same with an empty cache (shapes checked against SHACL-SHACL, ontology page rendered) | "
                     f"{commands['build_cold']:.2f} | {commands['build_plain']:.2f} | "
                     f"{commands['build_plain'] / commands['build_cold']:.1f}× faster |"]
                    if "build_cold" in commands else []),
                  *([f"| `dispute-kg build --facts` 10^4 generated triples vs the plain way on them | "
                     f"{commands['build_1e4']:.2f} | {commands['build_plain_1e4']:.2f} | "
                     f"{commands['build_plain_1e4'] / commands['build_1e4']:.1f}× faster |"]
                    if "build_1e4" in commands else []),
                  f"| `dispute-kg query who-held-post` vs `python -c \"import rdflib\"` | "
                  f"{commands['query']:.3f} | {commands['import_rdflib']:.3f} | "
                  f"{commands['query'] / commands['import_rdflib']:.2f}× the import |",
                  *[f"| `dispute-kg {EXPLORE[key]}` vs `python -c \"import rdflib\"` | "
                    f"{commands[key]:.3f} | {commands['import_rdflib']:.3f} | "
                    f"{commands[key] / commands['import_rdflib']:.2f}× the import |"
                    for key in EXPLORE if key in commands]]
    (out / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if plot:
        draw(results, out / "scaling.png")


#: The explore commands timed (benchmarks/run.py), by results key.
EXPLORE = {"search": "search 세코", "search_fuzzy": "search Sekko",
           "describe": "describe event:kono-kang-meeting-beijing-2019-08-21",
           "describe_label": "describe \"Hiroshige Seko\""}


def draw(results: dict, path: Path) -> None:
    """Time of each stage (and the whole pipeline) against triples, fast and plain, log-log."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = list(results["sizes"].values())
    figure, axes = plt.subplots(figsize=(8, 5.5))
    for group, colour in zip(("infer", "validate", "queries", "total"),
                             ("tab:blue", "tab:orange", "tab:green", "black")):
        for name, style in (("fast", "-o"), ("plain", "--s")):
            xs, ys = [], []
            for ways in sorted(sizes, key=lambda w: w["fast"]["triples"]):
                stages = grouped(ways[name])
                value = sum(v for v in stages.values() if v is not None) if group == "total" \
                    and all(stages[g] is not None for g in GROUPS if g != "build" or name == "fast") \
                    else stages.get(group)
                if value:
                    xs.append(ways["fast"]["triples"])
                    ys.append(value)
            if xs:
                axes.plot(xs, ys, style, color=colour, label=f"{group} ({name})")
    fast_totals = sorted((w["fast"]["triples"], sum(v for v in grouped(w["fast"]).values() if v))
                         for w in sizes)
    if len(fast_totals) > 1:
        (x0, y0), x1 = fast_totals[0], fast_totals[-1][0]
        axes.plot([x0, x1], [y0, y0 * x1 / x0], ":", color="grey", label="linear growth from the first total")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("triples after inference")
    axes.set_ylabel("seconds (median)")
    axes.set_title("dispute-kg: fast pipeline vs the plain rdflib + owlrl + pySHACL way")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8, ncol=2)
    figure.tight_layout()
    figure.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(figure)


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "results"
    write(json.loads((folder / "results.json").read_text()), folder)
