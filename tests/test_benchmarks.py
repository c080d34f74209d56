"""The benchmarks still run: each way's stages, on the small seed story, give their numbers.

Benchmarks are not part of the test run (``make bench`` takes a quarter of an hour), so a
change to the package could break them unnoticed; this runs their smallest case.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import DATA, ROOT

pytestmark = pytest.mark.slow  # two subprocesses with the reference engines; `make test-fast` leaves it out


def stages(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.stages", *args, "--repeat", "1"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_both_ways_time_every_stage_on_the_seed_story(tmp_path):
    turtle = tmp_path / "asserted.ttl"
    fast = stages("fast", "--facts", str(DATA / "seed-facts"), "--turtle", str(turtle))
    assert fast["conforms"] and fast["triples"] > fast["asserted"] > 0
    assert {"load facts", "build", "infer", "validate", "export"} <= set(fast["medians"])
    assert fast["rows"]["approvals-before-meetings"] > 0 and set(fast["rows"]) == {
        name[7:] for name in fast["medians"] if name.startswith("query: ")}
    plain = stages("plain", "--turtle", str(turtle))
    assert plain["skipped"] == {} and {"load facts", "infer", "validate", "export"} <= set(plain["medians"])
    assert plain["triples"] >= fast["triples"], "owlrl keeps what the cleaned closure drops"


def test_the_curators_loop_edits_one_line_each_run(tmp_path):
    from benchmarks.loop import EDITED_FILE, edit
    from kg.resources import facts_dir

    (tmp_path / EDITED_FILE).write_text((facts_dir() / EDITED_FILE).read_text(encoding="utf-8"), encoding="utf-8")
    before = (tmp_path / EDITED_FILE).read_text(encoding="utf-8").splitlines()
    edit(tmp_path, 0)
    edit(tmp_path, 1)
    after = (tmp_path / EDITED_FILE).read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and len(changed) == 1
    assert "en: Bangkok (1)," in changed[0][1]
