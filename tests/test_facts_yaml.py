"""YAML scalars are typed by the schema: text stays exactly the text a curator wrote (no YAML 1.1
sexagesimal, octal, underscore or yes/no reading), numbers and flags follow YAML 1.2's core
schema and only from unquoted scalars."""

from __future__ import annotations

import json
import unicodedata

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kg.errors import FactsError
from kg.facts.loader import load_facts

PUBLISHER = "agents:\n  - id: wire\n    type: NewsOrganisation\n    label: Wire\n"


def _source_with_title(folder, written: str):
    (folder / "facts.yaml").write_text(
        PUBLISHER + "sources:\n  - id: s\n    type: NewsReport\n"
        f"    title: {written}\n    publisher: wire\n    published: 2019-08-20\n", encoding="utf-8")
    return load_facts(folder).sources[0].title


@pytest.mark.parametrize("written", ["10:30", "0777", "1_000.50", "yes", "on", "off", "0x1F", "1e3",
                                     ".inf", ".nan", "2019-08-20", "0o17", "+12", "true", "12.0"])
def test_text_that_looks_like_a_number_stays_text(tmp_path, written):
    assert _source_with_title(tmp_path, written) == written


def test_an_empty_plain_value_is_missing(tmp_path):
    with pytest.raises(FactsError, match="field 'title': is required"):
        _source_with_title(tmp_path, "~")


PLAIN_ALPHABET = "abcXYZ019 :._-+/@'()"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=PLAIN_ALPHABET, min_size=1, max_size=30))
def test_any_plain_text_comes_back_unchanged(tmp_path, text):
    try:
        node = yaml.compose(f"title: {text}\n")
    except yaml.YAMLError:
        assume(False)
    value = node.value[0][1] if node is not None and node.value else None
    assume(isinstance(value, yaml.ScalarNode) and value.style is None and value.value == text.strip())
    assume(text.strip() not in ("", "~", "null", "Null", "NULL"))
    assert _source_with_title(tmp_path, text) == text.strip()


def _visible(text: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LNPS" for ch in text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp", "Cf")),
               min_size=1, max_size=40))
def test_any_quoted_text_comes_back_unchanged(tmp_path, text):
    assume(_visible(text))
    assert _source_with_title(tmp_path, json.dumps(text, ensure_ascii=False)) == text.strip()
