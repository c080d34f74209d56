"""Each facts file's records are cached by the file's content: an edit re-reads that file only,
and what comes from the cache is exactly what the loader makes."""

from __future__ import annotations

import shutil

from kg.facts import loader
from kg.facts import records as R
from kg.facts.loader import load_facts


def test_records_round_trip_through_the_cache_format():
    facts = load_facts()
    for name in R.SECTIONS:
        for record in facts.section(name):
            assert R.from_json(R.to_json(record)) == record


def test_an_edit_re_reads_only_the_edited_file(tmp_path, monkeypatch, isolated_cache):
    from tests.conftest import DATA

    folder = tmp_path / "facts"
    shutil.copytree(DATA / "seed-facts", folder)
    first = load_facts(folder)
    parsed = []
    original = loader._parse_file
    monkeypatch.setattr(loader, "_parse_file", lambda name, raw: parsed.append(name) or original(name, raw))
    assert load_facts(folder) == first and parsed == []
    events = folder / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "Japan's first approval of photoresist", "Japan's first approval of photoresists", 1), encoding="utf-8")
    edited = load_facts(folder)
    assert [name.rsplit("/", 1)[-1] for name in parsed] == ["events.yaml"]
    assert any(e.label.en.startswith("Japan's first approval of photoresists ") for e in edited.events)


def test_a_tampered_cache_entry_is_not_believed(tmp_path, isolated_cache):
    from tests.conftest import DATA

    folder = tmp_path / "facts"
    shutil.copytree(DATA / "seed-facts", folder)
    first = load_facts(folder)
    for entry in isolated_cache.glob("facts-*.json"):
        entry.write_bytes(entry.read_bytes().replace(b"Reuters", b"Forged"))
    assert load_facts(folder) == first
