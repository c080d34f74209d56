"""An edit that only replaces literal values reuses the last closure, and gives what the full
closure gives; any other change runs the reasoner."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.facts.loader import load_facts
from kg.graph import iris
from kg.graph.ntriples import parts as split
from kg.reason import closure as closure_module
from kg.reason.closure import asserted_lines, closure, entailed_lines
from kg.reason.incremental import OWL, replaced_entailments

DATA = Path(__file__).parent / "data"
START = "<https://schema.org/startDate>"


def full(asserted: set[str]) -> set[str]:
    return entailed_lines(closure(asserted), asserted)


@pytest.fixture(scope="module")
def seed():
    asserted = asserted_lines(load_facts(DATA / "seed-facts"))
    return asserted, full(asserted)


def literal_lines(asserted: set[str]) -> list[str]:
    return sorted(line for line in asserted
                  if line.startswith(f"<{iris.ID}") and split(line)[2].startswith('"'))


def replacement(asserted: set[str], line: str) -> str:
    """The same subject and property with another value: one the property has elsewhere
    (so typed values stay valid), else the text with a word added."""
    s, p, o = split(line)
    values = sorted({split(other)[2] for other in asserted if split(other)[1] == p} - {o})
    values = [v for v in values if f"{s} " not in "".join(x for x in asserted if v in x)]
    if values:
        return f"{s} {p} {values[0]} ."
    text, _, rest = o[1:].partition('"')
    return f'{s} {p} "{text} edited"{rest} .'


def edits(asserted: set[str]) -> list[tuple[str, str]]:
    """About twenty single-value edits spread over the seed's literals, tenure starts included."""
    lines = literal_lines(asserted)
    starts = [line for line in lines if split(line)[1].endswith("startDate>") and split(line)[1] != START]
    picked = lines[:: max(1, len(lines) // 20)] + starts[:3]
    return [(line, replacement(asserted, line)) for line in picked]


def test_replaced_values_give_what_the_full_closure_gives(seed):
    asserted, entailed = seed
    with_supers = 0
    for old, new in edits(asserted):
        after = asserted - {old} | {new}
        got = replaced_entailments(asserted, entailed, after)
        if got is None:  # declined (the old value is also held under another property): fine
            continue
        assert got == full(after), (old, new)
        with_supers += any(split(line)[0] == split(new)[0] and split(line)[2] == split(new)[2]
                           for line in got)
    assert with_supers >= 2  # some edits changed values that super-properties carry


def test_several_values_at_once(seed):
    asserted, entailed = seed
    pairs = edits(asserted)[:6]
    after = asserted - {old for old, _ in pairs} | {new for _, new in pairs}
    got = replaced_entailments(asserted, entailed, after)
    assert got == full(after)
    assert replaced_entailments(asserted, entailed, asserted) == entailed


def test_tenure_start_moves_with_its_super_property(seed):
    asserted, entailed = seed
    starts = [line for line in literal_lines(asserted) if split(line)[1].endswith("startDate>")
              and split(line)[1] != START]
    assert starts, "the seed has tenure starts"
    old = starts[0]
    s, p, o = split(old)
    new = f'{s} {p} "2001-02-03"^^<http://www.w3.org/2001/XMLSchema#date> .'
    after = asserted - {old} | {new}
    got = replaced_entailments(asserted, entailed, after)
    assert got == full(after)
    assert f'{s} {START} "2001-02-03"^^<http://www.w3.org/2001/XMLSchema#date> .' in got
    assert f"{s} {START} {o} ." not in got


@pytest.mark.parametrize("change", ["iri-object", "added-value", "removed-value", "ontology-label",
                                    "same-as", "has-key", "value-kept-elsewhere"])
def test_other_changes_run_the_reasoner(seed, change):
    asserted, entailed = seed
    literal = literal_lines(asserted)[0]
    s, p, o = split(literal)
    iri_line = next(line for line in sorted(asserted) if line.startswith(f"<{iris.ID}")
                    and split(line)[2].startswith(f"<{iris.ID}"))
    a, b, c = split(iri_line)
    after = {
        "iri-object": asserted - {iri_line} | {f"{a} {b} <{iris.ID}event/elsewhere> ."},
        "added-value": asserted | {f'{s} {p} "another" .'},
        "removed-value": asserted - {literal},
        "ontology-label": asserted | {f'<{iris.DKG}Meeting> <http://www.w3.org/2000/01/rdf-schema#label> "x" .'},
        "same-as": asserted - {literal} | {f'{s} {p} "new" .', f"{s} <{OWL}sameAs> {c} ."},
        "has-key": asserted - {literal} | {f'{s} {p} "new" .', f"<{iris.DKG}Meeting> <{OWL}hasKey> _:k ."},
        "value-kept-elsewhere": asserted - {literal} | {f'{s} {p} "new" .',
                                                        f"{s} <http://www.w3.org/2004/02/skos/core#note> {o} ."},
    }[change]
    assert replaced_entailments(asserted, entailed, after) is None


def _reasoner_runs(monkeypatch) -> list:
    runs = []
    real = closure_module.closure

    def counted(lines):
        runs.append(len(lines))
        return real(lines)

    monkeypatch.setattr(closure_module, "closure", counted)
    return runs


def test_build_after_a_label_edit_reuses_the_closure(facts_copy, monkeypatch):
    from kg.pipeline import build

    runs = _reasoner_runs(monkeypatch)
    build(facts_copy)
    assert len(runs) == 1
    agents = facts_copy / "agents.yaml"
    text = agents.read_text(encoding="utf-8")
    assert "{en: Kang Kyung-wha," in text
    agents.write_text(text.replace("{en: Kang Kyung-wha,", "{en: Kang Kyung-wha (edited),"), encoding="utf-8")
    edited = build(facts_copy)
    assert len(runs) == 1, "the reasoner ran again for a changed label"
    expected = closure_module.infer_lines(asserted_lines(load_facts(facts_copy)))
    assert (edited.ntriples("inferred"), edited.ntriples("view"), edited.graphs.entailed) == \
        (expected.inferred, expected.view, expected.entailed)


def test_a_damaged_last_closure_is_not_used(facts_copy, monkeypatch):
    from kg.cache import cache_dir
    from kg.pipeline import build

    runs = _reasoner_runs(monkeypatch)
    first = build(facts_copy)
    for entry in cache_dir().glob("closure-*.nt"):
        data = entry.read_bytes()
        entry.write_bytes(data.replace(b"# entailed\n", b"", 1))
    again = build(facts_copy)
    assert len(runs) == 2
    assert again.ntriples("inferred") == first.ntriples("inferred")
