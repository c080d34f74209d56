"""Validation as the curator's safety net: realistic mistakes give actionable reports;
broken shapes are reported as broken shapes, not as non-conforming data."""

from __future__ import annotations

import re

import pytest

from kg.errors import ShapesError
from kg.resources import shapes_files
from kg.shacl.validate import load_shapes, shapes_problems


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_our_shapes_are_valid_shacl():
    assert shapes_problems(load_shapes(check=False)) == []


@pytest.mark.parametrize("old,new,reason", [
    ("sh:minCount 2 ;", 'sh:minCount "two" ;', "xsd:integer"),
    ("sh:datatype xsd:date ;", 'sh:datatype "xsd:date" ;', "IRI"),
    ("sh:nodeKind sh:IRI ;", "sh:nodeKind sh:Something ;", "sh:nodeKind"),
])
@pytest.mark.slow
def test_broken_shapes_are_reported_as_broken(tmp_path, cli, old, new, reason):
    broken = tmp_path / "broken.ttl"
    broken.write_text(shapes_files()[0].read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ShapesError, match="the shapes are broken"):
        load_shapes([broken])
    code, out, err = cli("validate", "--shapes", broken)
    assert code == 2, "broken shapes are bad input, not a validation failure"
    assert "the shapes are broken" in err and reason in err and "conforms" not in out


def test_unparseable_shapes_are_reported_as_broken(tmp_path, cli):
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> . sh:x sh:y", encoding="utf-8")
    code, _, err = cli("build", "--out", tmp_path / "dist", "--shapes", broken)
    assert code == 2 and "the shapes are broken" in err


def test_wrong_year_approval_before_the_rule_existed(cli, facts_copy):
    events = facts_copy / "events.yaml"
    text = events.read_text(encoding="utf-8")
    start = text.index("  - id: second-photoresist-approval")
    block = text[start:]
    block = block.replace("      earliest: 2019-08-01\n      latest: 2019-08-20\n",
                          "      earliest: 2018-08-01\n      latest: 2018-08-20\n", 1)
    events.write_text(text[:start] + block, encoding="utf-8")
    code, out, _ = cli("validate", "--facts", facts_copy)
    assert code == 1
    assert re.search(r"events\.yaml:\d+: event 'second-photoresist-approval'\n"
                     r"  Violation: field 'under_measure': Approved by 2018-08-20 at the latest, before the "
                     r"measure", out), out


def test_swapped_minister(cli, facts_copy):
    edit(facts_copy / "statements.yaml", "    in_capacity_of: south-korea-foreign-minister",
         "    in_capacity_of: japan-foreign-minister")
    code, out, _ = cli("validate", "--facts", facts_copy)
    assert code == 1
    assert "statement 'kang-very-difficult-situation-2019-08-20'" in out
    assert "field 'in_capacity_of'" in out and "held no tenure of that post" in out


def test_bilateral_with_a_third_state(cli, facts_copy):
    edit(facts_copy / "events.yaml", "    representing: [japan, south-korea]\n    place: beijing",
         "    representing: [japan, south-korea, china]\n    place: beijing")
    code, out, _ = cli("validate", "--facts", facts_copy)
    assert code == 1
    assert "event 'kono-kang-meeting-beijing-2019-08-21'" in out
    assert "field 'representing': A bilateral meeting has exactly two states' representatives." in out


def test_approval_of_a_material_the_measure_does_not_cover(cli, facts_copy):
    edit(facts_copy / "agents.yaml", "materials:\n", "materials:\n  - id: steel\n    label: steel\n")
    text = (facts_copy / "events.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: second-photoresist-approval")
    (facts_copy / "events.yaml").write_text(
        text[:start] + text[start:].replace("    material: [photoresist]", "    material: [steel]", 1),
        encoding="utf-8")
    code, out, _ = cli("validate", "--facts", facts_copy)
    assert code == 1
    assert "field 'material'" in out and "a material the measure" in out


def test_missing_source_is_stopped_by_the_loader(cli, facts_copy):
    text = (facts_copy / "events.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: relations-worsen-late-2018")
    end = text.index("  - id: japan-tightens-export-controls-july-2019")
    entry = text[start:end]
    entry = entry[:entry.index("    sources:")] + "    sources: []\n\n"
    (facts_copy / "events.yaml").write_text(text[:start] + entry + text[end:], encoding="utf-8")
    code, _, err = cli("validate", "--facts", facts_copy)
    assert code == 2
    assert "event 'relations-worsen-late-2018': field 'sources': needs at least one source" in err


def test_turtle_report_is_a_shacl_report(cli, facts_copy):
    from rdflib import Graph, Namespace

    edit(facts_copy / "events.yaml", "    representing: [japan, south-korea]\n    place: beijing",
         "    representing: [japan, south-korea, china]\n    place: beijing")
    code, out, _ = cli("validate", "--facts", facts_copy, "--format", "turtle")
    assert code == 1
    sh = Namespace("http://www.w3.org/ns/shacl#")
    report = Graph().parse(data=out, format="turtle")
    results = list(report.subjects(None, sh.ValidationResult))
    assert len(results) == 1
    assert str(report.value(results[0], sh.focusNode)).endswith("event/kono-kang-meeting-beijing-2019-08-21")
    assert report.value(results[0], sh.sourceConstraintComponent) == sh.MaxCountConstraintComponent
