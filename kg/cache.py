"""Derived graphs cached on disk, keyed by the content of every input (facts, ontology and the
code that builds and infers), so a query after an unchanged build costs one N-Triples load.

Every entry is written with a sidecar holding its size and SHA-256; an entry that does not
match (a truncated write, a disk error, someone's edit) is deleted and rebuilt, never used.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from kg import resources

#: The subpackages whose code decides what a build of the facts contains.
CODE_DIRS = ("facts", "graph", "reason")


def cache_dir() -> Path:
    """Where derived graphs are cached: $DISPUTE_KG_CACHE, else ~/.cache/dispute-kg."""
    configured = os.environ.get("DISPUTE_KG_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "dispute-kg"


def inputs_digest(facts_dir: Path | None, reasoner: str) -> str:
    """A key for everything a build depends on: facts, ontology, and the code of the stages."""
    paths = resources.fact_files(facts_dir) + resources.ontology_files() + _code_files()
    return resources.digest(paths, extra=f"reasoner={reasoner}")


def closure_slot(facts_dir: Path | None, reasoner: str) -> str:
    """A key for the last closure of one facts folder (kg.reason.incremental): its place, the
    ontology and the code, but not the facts' content, which is what changes between runs."""
    folder = Path(facts_dir or resources.facts_dir()).resolve()
    return resources.digest(resources.ontology_files() + _code_files(), extra=f"reasoner={reasoner}\0{folder}")


def _code_files() -> list[Path]:
    """The code of the stages that decide what a build contains (:data:`CODE_DIRS`)."""
    return [path for name in CODE_DIRS for path in (resources.PACKAGE_DIR / name).rglob("*.py")]


def digest_of(*parts: bytes | str) -> str:
    """A key made of several byte strings (or texts), kept apart so no two splits collide."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(f"{len(data)}:".encode("ascii") + data)
    return h.hexdigest()


def validation_digest(facts_dir: Path | None, shapes: list[Path] | None, options: str) -> str:
    """A key for a whole ``validate`` run: every input it reads and all of the package's code.

    Messages name facts files relative to the working folder, so that folder is part of it.
    """
    queries = sorted((resources.queries_dir() / "checks").glob("*.rq"))
    code = sorted(resources.PACKAGE_DIR.rglob("*.py"))
    paths = (resources.fact_files(facts_dir) + resources.ontology_files()
             + list(shapes or resources.shapes_files()) + queries + code)
    return resources.digest(paths, extra=f"{options}\0{Path.cwd()}")


def _seal(data: bytes) -> bytes:
    return f"{len(data)} {hashlib.sha256(data).hexdigest()}\n".encode("ascii")


def read(name: str) -> bytes | None:
    """A cache entry's bytes if it is present and intact; a damaged entry is removed.

    Intact: the entry and its sidecar are regular files (read by kg.files.read_input, so
    a FIFO or device put in their place is refused, not waited on), the entry has the
    sealed size (checked before it is read) and the sealed SHA-256.
    """
    from kg.errors import InputFileError
    from kg.files import read_input

    path = cache_dir() / name
    seal = path.with_name(path.name + ".sha256")
    if not (os.path.lexists(path) or os.path.lexists(seal)):
        return None
    try:
        expected = read_input(seal, 200)
        size = expected.split(b" ")[0]
        if not (size.isdigit() and len(size) < 20):
            raise ValueError
        data = read_input(path, int(size))
        if _seal(data) != expected:
            raise ValueError
        return data
    except (InputFileError, ValueError):
        for stale in (path, seal):
            try:
                stale.unlink()
            except OSError:
                pass
        return None


def write(name: str, data: bytes) -> None:
    """Store an entry (best effort: a read-only home is no reason to fail a command)."""
    from kg.files import write_atomic

    path = cache_dir() / name
    try:
        write_atomic(path, data)
        write_atomic(path.with_name(path.name + ".sha256"), _seal(data))
    except OSError:
        pass
