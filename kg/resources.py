"""Where the hand-edited inputs live, in a source checkout and in an installed wheel.

In a checkout the ontology, shapes and queries are top-level folders beside
``kg/``; a wheel carries copies under ``kg/_data/`` (see pyproject.toml).
The curated facts (``facts/``) are shipped the same way.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    installed = PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    checkout = PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"cannot find the {name}/ folder (looked in {installed} and {checkout})")


def ontology_dir() -> Path:
    return _data_dir("ontology")


def shapes_dir() -> Path:
    return _data_dir("shapes")


def queries_dir() -> Path:
    return _data_dir("queries")


def facts_dir() -> Path:
    return _data_dir("facts")


def ontology_files() -> list[Path]:
    return sorted(ontology_dir().glob("*.ttl"))


def shapes_files() -> list[Path]:
    return sorted(shapes_dir().glob("*.ttl"))


def fact_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or facts_dir()).glob("*.yaml"))


def digest(paths: list[Path], extra: str = "") -> str:
    """A content hash of input files (names and bytes), used to key caches."""
    h = hashlib.sha256(extra.encode())
    for path in sorted(paths):
        h.update(path.name.encode() + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()
