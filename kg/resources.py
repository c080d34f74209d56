"""Where the hand-edited inputs live, in a source checkout and in an installed wheel.

In a checkout the ontology, shapes and queries are top-level folders beside
``kg/``; a wheel carries copies under ``kg/_data/`` (see pyproject.toml).
The curated facts (``facts/``) are shipped the same way.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from kg.errors import FactsError, InputFileError
from kg.files import FACTS_FILE_LIMIT, RDF_FILE_LIMIT, check_input, kind_of, read_input

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
    """The ``*.yaml`` files of a facts folder, each checked to be a regular file within
    kg.files.FACTS_FILE_LIMIT before anything reads it.

    Raises:
        FactsError: the folder is missing or not a folder; an entry is a FIFO, a device,
            a folder, a symbolic link loop or too large.
    """
    folder = directory or facts_dir()
    try:
        info = os.stat(folder)
    except OSError as exc:
        raise FactsError(str(folder), f"cannot open the facts folder: {exc.strerror}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise FactsError(str(folder), f"is {kind_of(info.st_mode)}; the facts must be a folder of "
                         "*.yaml files")
    paths = sorted(folder.glob("*.yaml"))
    for path in paths:
        try:
            check_input(path, FACTS_FILE_LIMIT, "a facts file")
        except InputFileError as exc:
            raise FactsError(exc.path, exc.reason) from None
    return paths


def digest(paths: list[Path], extra: str = "") -> str:
    """A content hash of input files (names and bytes), used to key caches.

    Raises:
        InputFileError: a path is not a regular file within kg.files.RDF_FILE_LIMIT.
    """
    h = hashlib.sha256(extra.encode())
    for path in sorted(paths):
        h.update(path.name.encode() + b"\0")
        h.update(read_input(path, RDF_FILE_LIMIT, "an input file"))
        h.update(b"\0")
    return h.hexdigest()
