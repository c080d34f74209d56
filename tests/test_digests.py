"""A release's file digests are remembered by identity and times (kg.digests), never trusted
for a file that changed, however its times were set."""

from __future__ import annotations

import hashlib
import os

import pytest

from kg import digests as digests_module
from kg.digests import file_digests


def reader(log: list):
    def read(path):
        log.append(path.name)
        return path.read_bytes()

    return read


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """Three files whose digests may be remembered: the two seconds a fresh digest is not
    trusted are taken out (RACY_NS 0), so the tests need not wait them out."""
    for name in ("a.ttl", "b.html", "c.json"):
        (tmp_path / name).write_text(f"{name}\n", encoding="utf-8")
    monkeypatch.setattr(digests_module, "RACY_NS", 0)
    return tmp_path


def files(folder):
    return {p.name: p for p in sorted(folder.iterdir()) if p.is_file()}


def test_an_unchanged_file_is_hashed_once(folder):
    first, second = [], []
    digests = file_digests(folder, files(folder), reader(first))
    assert digests == {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files(folder).items()}
    assert file_digests(folder, files(folder), reader(second)) == digests
    assert sorted(first) == ["a.ttl", "b.html", "c.json"] and second == []


def test_an_edit_is_seen_even_with_the_same_size_and_modification_time(folder):
    file_digests(folder, files(folder), reader([]))
    path = folder / "b.html"
    before = os.stat(path)
    path.write_text("B.html\n", encoding="utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the change time moves all the same
    log = []
    digests = file_digests(folder, files(folder), reader(log))
    assert log == ["b.html"] and digests["b.html"] == hashlib.sha256(b"B.html\n").hexdigest()


def test_a_file_changed_just_now_is_hashed_every_time(tmp_path):
    (tmp_path / "new.ttl").write_text("x\n", encoding="utf-8")
    for _ in range(2):
        log = []
        file_digests(tmp_path, files(tmp_path), reader(log))
        assert log == ["new.ttl"]


def test_damaged_remembered_digests_are_not_used(folder):
    from kg.cache import cache_dir

    file_digests(folder, files(folder), reader([]))
    for entry in cache_dir().glob("digests-*.json"):
        entry.write_bytes(entry.read_bytes().replace(b'"', b"'", 1))
    log = []
    file_digests(folder, files(folder), reader(log))
    assert sorted(log) == ["a.ttl", "b.html", "c.json"]
