"""Shared fixtures: an isolated cache, the curated build, a CLI runner, and golden refresh."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite the expected results of stored queries from the current graph")


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory):
    """Tests never read or write the user's cache."""
    path = tmp_path_factory.mktemp("cache")
    old = os.environ.get("DISPUTE_KG_CACHE")
    os.environ["DISPUTE_KG_CACHE"] = str(path)
    yield path
    if old is None:
        os.environ.pop("DISPUTE_KG_CACHE", None)
    else:
        os.environ["DISPUTE_KG_CACHE"] = old


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory):
    """A release of the curated facts, built once per run (shared by pytest-xdist's workers,
    the first one builds it under a lock); tests that change it work on a copy."""
    import fcntl

    from kg.pipeline import release

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        out = tmp_path_factory.mktemp("dist")
        assert release(out).conforms
        return out
    shared = tmp_path_factory.getbasetemp().parent
    out, done = shared / "shared-dist", shared / "shared-dist.done"
    with open(shared / "shared-dist.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            assert release(out).conforms
            done.touch()
    return out


@pytest.fixture(scope="session")
def built():
    from kg.pipeline import build

    return build()


@pytest.fixture(scope="session")
def seed_built():
    """A build of the small seed story: for the reference engines (owlrl, rdflib), which
    only need to prove a point and take a minute on the whole curated graph."""
    from kg.pipeline import build

    return build(DATA / "seed-facts")


@pytest.fixture(autouse=True)
def no_terminal_width(monkeypatch):
    """Tables fit the terminal; under pytest-xdist the workers inherit the caller's
    COLUMNS and LINES, which would make output depend on the window tests ran in."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


@pytest.fixture
def facts_copy(tmp_path):
    """A writable copy of a small, stable facts folder (the seed story), for tests
    that break facts on purpose: the curated facts keep growing and moving
    between files, these do not."""
    target = tmp_path / "facts"
    shutil.copytree(DATA / "seed-facts", target)
    return target


@pytest.fixture
def curated_copy(tmp_path):
    """A writable copy of the whole curated facts, for tests about particular curated records."""
    from kg.resources import facts_dir

    target = tmp_path / "curated"
    shutil.copytree(facts_dir(), target)
    return target


@pytest.fixture
def ontology_copy(tmp_path, monkeypatch):
    """A writable copy of the ontology that the pipeline uses instead of the packaged one."""
    from kg import resources

    copy = tmp_path / "ontology" / "dispute-kg.ttl"
    copy.parent.mkdir()
    shutil.copy(resources.ontology_files()[0], copy)
    monkeypatch.setattr(resources, "ontology_files", lambda: [copy])
    return copy


@pytest.fixture
def cli(capsys):
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""
    from kg.cli import main

    def run(*args):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def _console_script() -> list[str]:
    exe = Path(sys.executable).with_name("dispute-kg")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "kg"]


def run_command(*args, cwd=None, env=None, timeout=300):
    """Run the installed console script in a subprocess."""
    return subprocess.run(_console_script() + [str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def start_serve(port: int) -> subprocess.Popen:
    """``dispute-kg serve --port PORT`` in the background, its output readable as text."""
    return subprocess.Popen(_console_script() + ["serve", "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def require_program(name: str, how: str) -> str:
    """Path of an outside program; skip with a reason, but fail under CI=true.

    A program pip installed into this interpreter's environment (like
    ``oxigraph``) sits beside the interpreter, which need not be on PATH.
    """
    beside = Path(sys.executable).with_name(name)
    if beside.is_file():
        return str(beside)
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed ({how})"
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; CI must install it")
    pytest.skip(message)


def every_file(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (a release with its site), by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
