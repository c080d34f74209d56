"""The loader turns every kind of bad input into one precise message."""

from __future__ import annotations

import re

import pytest

from kg.errors import FactsError
from kg.facts.loader import load_facts


def replace(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def load_error(directory) -> FactsError:
    with pytest.raises(FactsError) as info:
        load_facts(directory)
    return info.value


def test_curated_facts_load():
    facts = load_facts()
    assert facts.events and facts.sources and facts.tenures and facts.statements
    ids = [e.id for e in facts.events]
    assert "second-photoresist-approval" in ids


def test_yaml_syntax_error_names_file_and_line(facts_copy):
    replace(facts_copy / "events.yaml", "    type: ExportApproval\n", "    type: [ExportApproval\n")
    error = load_error(facts_copy)
    assert error.file.endswith("events.yaml")
    assert error.line is not None and error.line > 1
    assert "YAML syntax error" in str(error)


def test_missing_required_field(facts_copy):
    replace(facts_copy / "events.yaml",
            "    label: Japan's second approval of photoresist exports to South Korea under the new controls\n", "")
    error = load_error(facts_copy)
    assert (error.entry, error.field) == ("event 'second-photoresist-approval'", "label")
    assert "is required" in str(error)
    assert re.search(r"events\.yaml:\d+: event 'second-photoresist-approval': field 'label'", str(error))


def test_unknown_reference(facts_copy):
    replace(facts_copy / "events.yaml", "    end_user: [samsung-electronics]\n", "    end_user: [samsung]\n")
    error = load_error(facts_copy)
    assert (error.entry, error.field) == ("event 'first-photoresist-approval'", "end_user")
    assert "unknown agent 'samsung'" in str(error)


def test_reference_of_the_wrong_kind(facts_copy):
    replace(facts_copy / "events.yaml", "    end_user: [samsung-electronics]\n", "    end_user: [japan]\n")
    error = load_error(facts_copy)
    assert error.field == "end_user" and "is a State; expected Firm" in str(error)


def test_malformed_date(facts_copy):
    replace(facts_copy / "events.yaml", "      earliest: 2019-07-01\n", "      earliest: 2019-13-01\n")
    error = load_error(facts_copy)
    assert (error.entry, error.field) == ("event 'japan-tightens-export-controls-july-2019'",
                                          "date.earliest")
    assert "not a real date" in str(error)


def test_date_in_the_wrong_format(facts_copy):
    replace(facts_copy / "events.yaml", "      earliest: 2019-07-01\n", "      earliest: 1 July 2019\n")
    assert "YYYY-MM-DD" in str(load_error(facts_copy))


def test_duplicate_id(facts_copy):
    replace(facts_copy / "events.yaml", "  - id: second-photoresist-approval\n",
            "  - id: first-photoresist-approval\n")
    error = load_error(facts_copy)
    assert error.field == "id" and "duplicate id" in str(error)
    assert "already defined at" in str(error)


def test_earliest_after_latest(facts_copy):
    replace(facts_copy / "events.yaml", "      latest: 2019-07-10\n", "      latest: 2019-06-10\n")
    error = load_error(facts_copy)
    assert error.field == "date.earliest" and "is after latest" in str(error)


def test_unknown_source(facts_copy):
    replace(facts_copy / "statements.yaml",
            "      - source: reuters-2019-08-20-second-photoresist-approval\n        quote: '\"I believe",
            "      - source: reuters-2019-08-21-nonexistent\n        quote: '\"I believe")
    error = load_error(facts_copy)
    assert error.field == "sources" and "unknown source 'reuters-2019-08-21-nonexistent'" in str(error)


def test_post_ending_before_it_starts(facts_copy):
    replace(facts_copy / "posts.yaml", "    start: 2017-08-03\n    end: 2019-09-11\n",
            "    start: 2019-09-11\n    end: 2017-08-03\n", 1)
    error = load_error(facts_copy)
    assert error.field == "end" and "is before start" in str(error)


def test_event_dated_after_a_source_reporting_it_as_past(facts_copy):
    replace(facts_copy / "events.yaml", "      earliest: 2019-07-01\n      latest: 2019-07-10\n",
            "      earliest: 2019-09-01\n      latest: 2019-09-10\n")
    error = load_error(facts_copy)
    assert error.field == "date.earliest" and "reported it as past" in str(error)


def test_duplicated_event(facts_copy):
    text = (facts_copy / "events.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: kono-kang-meeting-beijing-2019-08-21")
    end = text.index("  - id: china-japan-south-korea-foreign-ministers-meeting-2019-08")
    copy = text[start:end].replace("kono-kang-meeting-beijing-2019-08-21", "kono-kang-talks-beijing")
    (facts_copy / "events.yaml").write_text(text + copy, encoding="utf-8")
    error = load_error(facts_copy)
    assert error.entry == "event 'kono-kang-talks-beijing'"
    assert "duplicates event 'kono-kang-meeting-beijing-2019-08-21'" in str(error)


def test_unknown_key_is_rejected(facts_copy):
    replace(facts_copy / "events.yaml", "    ordinal: 2\n", "    ordinal: 2\n    ordinl: 3\n")
    error = load_error(facts_copy)
    assert error.field == "ordinl" and "unknown key" in str(error)


def test_unknown_section(facts_copy):
    (facts_copy / "extra.yaml").write_text("happenings: []\n", encoding="utf-8")
    assert "unknown section 'happenings'" in str(load_error(facts_copy))


def test_missing_english_label(facts_copy):
    replace(facts_copy / "agents.yaml", "label: {en: Japan, ja: 日本, ko: 일본}", "label: {ja: 日本}")
    error = load_error(facts_copy)
    assert error.entry == "agent 'japan'" and "English label" in str(error)


def test_bad_slug(facts_copy):
    replace(facts_copy / "agents.yaml", "  - id: japan\n", "  - id: Japan Government\n")
    error = load_error(facts_copy)
    assert error.field == "id" and "slug" in str(error)


def test_not_utf8(facts_copy):
    (facts_copy / "events.yaml").write_bytes(b"events:\n  - id: \xff\xfe\n")
    assert "not UTF-8" in str(load_error(facts_copy))
