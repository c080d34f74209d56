"""Measures that amend measures, quotes in their source's language, and the day
arithmetic of the decision-to-force query, each checked where it can break."""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import RDF, RDFS, Literal, URIRef, namespace
from test_facts_loader import load_error, replace

from kg import validate_facts
from kg.facts.loader import load_facts
from kg.graph.builder import record_triples
from kg.graph.ontology import load_ontology
from kg.graph.namespaces import DKG, new_graph
from kg.graph.rdfio import serialize
from kg.query.catalogue import bind, get_query
from kg.query.engines import OxigraphEngine
from kg.reference.rdflib_engine import RdflibEngine

EASING = "  - id: japan-eases-photoresist-controls-december-2019\n"


def test_amends_is_only_for_measures(curated_copy):
    replace(curated_copy / "japan-measures.yaml",
            "    step_of: japan-eases-photoresist-controls-december-2019\n    step: announcement\n",
            "    step_of: japan-eases-photoresist-controls-december-2019\n    step: announcement\n"
            "    amends: japan-tightens-export-controls-july-2019\n")
    error = load_error(curated_copy)
    assert (error.entry, error.field) == ("event 'photoresist-easing-announcement-2019-12-20'", "amends")
    assert "only a measure amends" in str(error)


def test_amends_must_name_a_measure(curated_copy):
    replace(curated_copy / "japan-measures.yaml", "    amends: japan-tightens-export-controls-july-2019\n",
            "    amends: three-materials-entry-into-force-2019-07-04\n")
    error = load_error(curated_copy)
    assert error.field == "amends" and "is a MeasureStep" in str(error)


def test_amends_an_unknown_measure(curated_copy):
    replace(curated_copy / "japan-measures.yaml", "    amends: japan-tightens-export-controls-july-2019\n",
            "    amends: japan-tightens-everything\n")
    error = load_error(curated_copy)
    assert error.field == "amends" and "unknown event 'japan-tightens-everything'" in str(error)


def test_an_amending_measure_dated_before_the_measure_it_amends_violates_the_shapes(curated_copy):
    text = (curated_copy / "japan-measures.yaml").read_text(encoding="utf-8")
    start = text.index(EASING)
    block = text[start:text.index("  - id: photoresist-easing-announcement-2019-12-20\n")]
    moved = block.replace("    date: 2019-12-20\n", "    date: 2019-06-03\n")
    (curated_copy / "japan-measures.yaml").write_text(text.replace(block, moved), encoding="utf-8")
    report = validate_facts(curated_copy)
    assert not report.conforms
    fired = {(str(p.focus_term), p.component) for p in report.violations}
    assert fired == {("https://w3id.org/dispute-kg/id/event/japan-eases-photoresist-controls-december-2019",
                      "sh:SPARQLConstraintComponent")}
    assert "cannot have existed before it" in report.violations[0].message


def test_quotes_are_tagged_with_their_source_language():
    facts = load_facts()
    lifting = next(e for e in facts.events if e.id == "japan-lifts-three-materials-controls-2023")
    quotes = {o for _, p, o in record_triples("events", lifting) if p.value == str(DKG.quote)}
    languages = {q.language for q in quotes}
    assert languages == {"ja", "en"}
    japanese = sorted(str(q) for q in quotes if q.language == "ja")
    assert len(japanese) == 2 and all("経" in q for q in japanese)


def _step_graph(decision: date, force: date):
    """A minimal graph: one measure with a cabinet decision and an entry into force."""
    graph = new_graph()
    for triple in load_ontology():
        graph.add(triple)
    measure = URIRef("https://w3id.org/dispute-kg/id/event/m")
    graph.add((measure, RDF.type, DKG.Measure))
    graph.add((measure, RDFS.label, Literal("m", lang="en")))
    for slug, kind, day in (("d", DKG.cabinetDecision, decision), ("f", DKG.entryIntoForce, force)):
        step = URIRef(f"https://w3id.org/dispute-kg/id/event/{slug}")
        graph.add((step, RDF.type, DKG.MeasureStep))
        graph.add((step, DKG.stepOf, measure))
        graph.add((step, DKG.stepKind, kind))
        graph.add((step, DKG.earliestDate, Literal(day.isoformat(), datatype=namespace.XSD.date)))
        graph.add((step, DKG.latestDate, Literal(day.isoformat(), datatype=namespace.XSD.date)))
    return graph


@pytest.mark.parametrize("decision, force", [
    (date(2019, 8, 2), date(2019, 8, 28)),
    (date(2019, 12, 20), date(2020, 3, 1)),     # across a year and a leap February
    (date(2023, 2, 27), date(2023, 3, 1)),      # February of a common year
    (date(1999, 12, 31), date(2001, 1, 1)),     # across the century leap year 2000
    (date(2023, 6, 27), date(2023, 6, 27)),
])
def test_decision_to_force_counts_days_like_the_calendar(decision, force):
    graph = _step_graph(decision, force)
    query = get_query("decision-to-force")
    expected = (force - decision).days
    for engine in (RdflibEngine(graph), OxigraphEngine(serialize(graph, "ntriples"))):
        results = engine.run(query.text, bind(query, {}))
        assert len(results.rows) == 1
        row = dict(zip(results.variables, results.rows[0]))
        assert int(row["minDays"].value) == expected
        assert int(row["maxDays"].value) == expected


def test_every_event_code_concept_carries_a_notation():
    ontology = load_ontology()
    codes = set(ontology.subjects(URIRef("http://www.w3.org/2004/02/skos/core#inScheme"),
                                  DKG.EventCodeScheme))
    assert len(codes) == 10
    notation = URIRef("http://www.w3.org/2004/02/skos/core#notation")
    assert all(any(True for _ in ontology.objects(code, notation)) for code in codes)
    close = URIRef("http://www.w3.org/2004/02/skos/core#closeMatch")
    assert set(ontology.objects(DKG.ExportControlTightening, close)) == {DKG.cameo163, DKG.ploverCoerce}


def test_a_measure_cannot_amend_itself(curated_copy):
    replace(curated_copy / "japan-measures.yaml", "    amends: japan-tightens-export-controls-july-2019\n",
            "    amends: japan-eases-photoresist-controls-december-2019\n")
    error = load_error(curated_copy)
    assert error.field == "amends" and "cannot amend itself" in str(error)
