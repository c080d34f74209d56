"""Reasoning as a build gate: `dispute-kg validate FILE...` and `dispute-kg build` exit 1
with a clear message when the OWL 2 RL closure is inconsistent.

Each kind of inconsistency has a small bad example: a member of owl:Nothing, a
member of two disjoint classes, and two values of a functional property.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import DATA

BAD = DATA / "inconsistent"


@pytest.mark.parametrize("name, reason", [
    ("nothing", "agent:ghost is a member of owl:Nothing"),
    ("disjoint", "agent:japan is both a dkg:Person and a dkg:State, which are disjoint"),
    ("functional", "event:tightening has 2 values for functional property dkg:earliestDate: "
                   "2019-07-01, 2019-07-04"),
])
@pytest.mark.slow
@pytest.mark.parametrize("reasoner", ["reasonable", "owlrl"])
def test_validate_fails_on_an_inconsistent_file(cli, name, reason, reasoner):
    code, out, err = cli("validate", BAD / f"{name}.ttl", "--reasoner", reasoner)
    assert code == 1
    assert "dispute-kg validate: error: the graph is inconsistent under OWL 2 RL" in err
    assert reason in err
    assert out == ""


@pytest.mark.parametrize("axiom, reason", [
    ("dkg:State rdfs:subClassOf owl:Nothing .", "agent:japan is a member of owl:Nothing"),
    ("dkg:Person rdfs:subClassOf dkg:Organisation .",
     "agent:taro-kono is both a dkg:Organisation and a dkg:Person, which are disjoint"),
    ("dkg:actor a owl:FunctionalProperty .",
     r"event:relations-worsen-late-2018 has \d+ values for functional property dkg:actor"),
])
@pytest.mark.slow
def test_build_fails_on_an_inconsistent_ontology(cli, tmp_path, ontology_copy, axiom, reason):
    with ontology_copy.open("a", encoding="utf-8") as handle:
        handle.write(f"\n{axiom}\n")
    out_dir = tmp_path / "dist"
    code, out, err = cli("build", "--out", out_dir)
    assert code == 1
    assert re.search(reason, err)
    assert f"build failed: the graph is inconsistent; {out_dir}/ was left unchanged" in err
    assert not out_dir.exists()
    assert out == ""


def _material_on_a_meeting(facts_copy):
    """A meeting given the material it discussed: dkg:concernsMaterial is for measures, and
    measures and meetings are disjoint. The loader lets this through; the reasoner does not."""
    events = facts_copy / "events.yaml"
    text = events.read_text(encoding="utf-8")
    entry = "  - id: kono-kang-meeting-beijing-2019-08-21\n    type: BilateralMeeting\n"
    assert entry in text
    events.write_text(text.replace(entry, entry + "    material: [photoresist]\n"), encoding="utf-8")
    line = text[:text.index(entry)].count("\n") + 1
    return (f"event:kono-kang-meeting-beijing-2019-08-21 is both a dkg:Measure and a dkg:Meeting, "
            f"which are disjoint ({events}:{line}: event 'kono-kang-meeting-beijing-2019-08-21')")


def test_build_fails_on_inconsistent_facts(cli, tmp_path, facts_copy):
    reason = _material_on_a_meeting(facts_copy)
    out_dir = tmp_path / "dist"
    code, _, err = cli("build", "--out", out_dir, "--facts", facts_copy)
    assert code == 1
    assert reason in err
    assert not out_dir.exists()


def test_validate_fails_on_inconsistent_facts(cli, facts_copy):
    reason = _material_on_a_meeting(facts_copy)
    code, _, err = cli("validate", "--facts", facts_copy)
    assert code == 1
    assert reason in err
