"""The catalogue of bad inputs (tests/data/bad-inputs.yaml): each case gives a clean
error with the right exit code and a message that says what and where."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

CATALOGUES = sorted((Path(__file__).parent / "data").glob("bad-inputs*.yaml"))
CASES = [case for path in CATALOGUES
         for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]]


def test_catalogue_has_at_least_30_distinct_cases():
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)) and len(names) >= 30


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_bad_input(case, facts_copy, tmp_path, cli):
    if "file" in case:
        path = facts_copy / case["file"]
        text = path.read_text(encoding="utf-8")
        pairs = case["replace"] if isinstance(case["replace"][0], list) else [case["replace"]]
        for old, new in pairs:
            if "huge" in case:
                new = new.replace(case["huge"], "x" * 25000)
            assert old in text, f"the case no longer applies: {old!r} not in {case['file']}"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    for name, content in case.get("write", {}).items():
        target = facts_copy / name[len("facts/"):] if name.startswith("facts/") else tmp_path / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    args = [str(a).replace("{facts}", str(facts_copy)).replace("{work}", str(tmp_path))
            for a in case.get("args", ["validate", "--facts", "{facts}"])]
    code, out, err = cli(*args)
    assert code == case.get("exit", 2), f"exit {code}\n{out}\n{err}"
    assert re.search(case["message"], err), f"message not matched:\n{err}"
    assert "Traceback" not in err
