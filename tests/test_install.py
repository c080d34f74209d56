"""A non-editable install, used from another directory, carries everything it needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # installs the package; `make test-fast` leaves it out

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_install_works_from_another_directory(tmp_path):
    wheels = tmp_path / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, ROOT],
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    wheel = next(wheels.glob("dispute_kg-*.whl"))
    target = tmp_path / "site"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", target,
                              wheel], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "DISPUTE_KG_CACHE": str(tmp_path / "cache")}
    probe = subprocess.run(
        [sys.executable, "-c", "import kg, kg.resources as r; print(kg.__file__); "
         "print(r.ontology_dir()); print(r.shapes_dir()); print(r.queries_dir())"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert probe.returncode == 0, probe.stderr
    for line in probe.stdout.splitlines():
        assert line.startswith(str(target)), f"not loaded from the installed wheel: {line}"
    run = subprocess.run([sys.executable, "-m", "kg", "build", "--out", "release"], cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "conforms: yes" in run.stdout
    assert (elsewhere / "release" / "dispute-kg-inferred.ttl").stat().st_size > 0
