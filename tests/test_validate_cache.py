"""`dispute-kg validate` answers from the cache while nothing it reads has changed, and only then."""

from __future__ import annotations

import pytest


def _no_build(*args, **kwargs):
    pytest.fail("validate rebuilt the graph although nothing changed")


def test_an_unchanged_validation_is_answered_from_the_cache(cli, facts_copy, monkeypatch):
    first = cli("validate", "--facts", facts_copy)
    assert first[0] == 0 and "conforms: yes" in first[1]
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "build", _no_build)
    assert cli("validate", "--facts", facts_copy) == first


def test_an_edit_is_seen_at_once(cli, facts_copy):
    assert cli("validate", "--facts", facts_copy)[0] == 0
    events = facts_copy / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("    ordinal: 1\n", "    ordinal: 0\n", 1),
                      encoding="utf-8")
    code, _, err = cli("validate", "--facts", facts_copy)
    assert code == 2 and "field 'ordinal': must be a whole number of at least 1" in err


def test_other_shapes_are_another_validation(cli, facts_copy, tmp_path):
    from kg.resources import shapes_files

    assert cli("validate", "--facts", facts_copy)[0] == 0
    strict = tmp_path / "strict.ttl"
    strict.write_text(shapes_files()[0].read_text(encoding="utf-8") + """
dksh:EveryEventNeedsANote a sh:NodeShape ;
    sh:targetClass dkg:Event ;
    sh:property [ sh:path skos:note ; sh:minCount 1 ; sh:message "Every event needs a note." ] .
""", encoding="utf-8")
    code, out, _ = cli("validate", "--facts", facts_copy, "--shapes", strict)
    assert code == 1 and "Every event needs a note." in out


def test_a_damaged_cache_entry_is_recomputed(cli, facts_copy, isolated_cache):
    first = cli("validate", "--facts", facts_copy)
    for entry in isolated_cache.glob("validate-*.json"):
        entry.write_bytes(b'{"out": "forged", "err": "", "code": 0}')
    assert cli("validate", "--facts", facts_copy) == first
