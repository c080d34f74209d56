"""Event-data tables and PLOVER JSON lines: counted against the graph by SPARQL, read back by the
csvw library, pandas and the csv module, and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
import re

import pyoxigraph as ox
import pytest

from kg.graph import iris
from kg.publish import plover, tables
from kg.publish.tables import SEPARATOR, restore
from tests.conftest import ROOT

DKG = iris.DKG
CLASSES = {"events": "Event", "tenures": "Tenure", "sources": "SourceDocument"}


@pytest.fixture(scope="module")
def graph(release_dir):
    store = ox.Store()
    store.bulk_load((release_dir / "dispute-kg-inferred.nt").read_bytes(), format=ox.RdfFormat.N_TRIPLES)
    return store


def csvw_rows(release_dir, name):
    from csvw import CSVW

    data = CSVW(str(release_dir / f"{name}.csv-metadata.json"), validate=True)
    assert data.is_valid, data.warnings
    def plain(value):  # csvw reads anyURI cells as rfc3986 URIReference objects
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.unsplit() if hasattr(value, "unsplit") else value

    rows = [{k: plain(v) for k, v in row.items()} for row in data.tables[0].iterdicts()]
    return data.tables[0], rows


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_one_row_per_record_of_the_graph(name, release_dir, graph):
    query = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{DKG}{CLASSES[name]}> }}"
    expected = int(next(iter(graph.query(query)))["n"].value)
    _, rows = csvw_rows(release_dir, name)
    assert len(rows) == expected > 0
    iri_rows = {row["iri"] for row in rows}
    found = {s["x"].value for s in graph.query(f"SELECT ?x WHERE {{ ?x a <{DKG}{CLASSES[name]}> }}")}
    assert iri_rows == found


def expected_value(column, value) -> str:
    """What a cell states in RDF, as the graph holds it (an IRI, or a lexical form)."""
    text = value.strftime("%Y-%m-%d") if column.datatype == "date" else str(value)
    if column.value_url:
        return column.value_url.replace("{" + column.name + "}", restore(text))
    return restore(text)


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_every_cell_with_a_property_states_what_the_graph_says(name, release_dir, graph):
    """Read with the csvw library (types, separators), each cell expanded by its propertyUrl and
    valueUrl: exactly the graph's values (rdf:type: one of them; labels: the English one)."""
    columns = {"events": tables.EVENT_COLUMNS, "tenures": tables.TENURE_COLUMNS,
               "sources": tables.SOURCE_COLUMNS}[name]
    _, rows = csvw_rows(release_dir, name)
    checked = 0
    for row in rows:
        for column in columns:
            if not column.property:
                continue
            objects = graph.query(f"SELECT ?o WHERE {{ <{row['iri']}> <{column.property}> ?o }}")
            found = {s["o"].value for s in objects
                     if column.lang is None or getattr(s["o"], "language", None) == column.lang}
            value = row[column.name]
            cells = value if isinstance(value, list) else ([] if value is None else [value])
            stated = {expected_value(column, v) for v in cells}
            if column.property.endswith("#type"):
                assert stated <= found, (row["iri"], column.name)
            else:
                assert stated == found, (row["iri"], column.name, stated, found)
            checked += len(stated)
    assert checked > len(rows)


def test_the_derived_columns_follow_the_ontology(release_dir):
    _, rows = csvw_rows(release_dir, "events")
    by_type = {(r["type"], r["family"], r["cameo"], r["plover"]) for r in rows}
    assert ("ExportControlTightening", "Measure", "163", "COERCE") in by_type
    assert ("BilateralMeeting", "Meeting", "040", "CONSULT") in by_type
    assert ("Statement", "Statement", "010", None) in by_type
    assert ("MeasureStep", "MeasureStep", None, None) in by_type


def hostile_facts(facts_copy):
    """The seed facts with labels a spreadsheet would run, and cells that would break CSV."""
    path = facts_copy / "events.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("label: Japan's first approval of photoresist exports to Samsung Electronics under "
                        "the new controls", 'label: "=HYPERLINK(\\"http://example.org\\";\\"a, b\\")"')
    text = text.replace("      phrase: Earlier this month", "      phrase: '+1 month; \"quoted\"'", 1)
    path.write_text(text, encoding="utf-8")
    statements = facts_copy / "statements.yaml"
    text = statements.read_text(encoding="utf-8")
    first = re.search(r"    label: (.*)", text)
    statements.write_text(text.replace(first.group(0), "    label: \"@SUM(A1) and -2\""), encoding="utf-8")
    return facts_copy


def test_cells_that_spreadsheets_run_or_that_break_csv_round_trip(facts_copy):
    from kg.pipeline import build
    from kg.query.engines import OxigraphEngine

    built = build(hostile_facts(facts_copy))
    table = tables.tables(built.facts, OxigraphEngine(built.ntriples("inferred")))[0]
    data = tables.to_csv(table)
    parsed = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(parsed) == len(table.rows)
    labels = {restore(r["label"]) for r in parsed}
    assert '=HYPERLINK("http://example.org";"a, b")' in labels
    assert "@SUM(A1) and -2" in labels
    assert '+1 month; "quoted"' in {restore(r["date_phrase"]) for r in parsed}
    for row in parsed:  # nothing a spreadsheet would execute
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
            for item in value.split(SEPARATOR):
                assert not item.startswith(("=", "+", "-", "@")), value
    for original, read in zip(table.rows, parsed):
        for column in table.columns:
            value = original[column.name]
            if column.multi:
                assert [restore(v) for v in read[column.name].split(SEPARATOR) if v] == [str(v) for v in value]
            else:
                assert restore(read[column.name]) == ("" if value is None else str(value))


def test_line_breaks_quotes_and_separators_in_a_cell_round_trip():
    """No curated field that reaches a table holds a line break today; the writer must still cope."""
    columns = [tables.Column("text", "string", "free text"),
               tables.Column("many", "string", "several", multi=True)]
    values = ["line one\nline two\r\nthree", 'a "quoted", comma', "-1;2", ""]
    table = tables.Table("t", "t", columns, [{"text": v, "many": ["x", v or "y"]} for v in values])
    read = list(csv.DictReader(io.StringIO(tables.to_csv(table).decode("utf-8"), newline="")))
    assert [restore(r["text"]) for r in read] == values
    assert [r["many"].split(SEPARATOR)[0] for r in read] == ["x"] * len(values)


def test_neutralise_and_restore_are_inverse():
    for text in ("=1+1", "+1", "-1", "@x", "\tx", "\rx", "'quoted", "''", "plain", ""):
        assert restore(tables.neutralise(text)) == text
    assert tables.neutralise("=1") == "'=1" and tables.neutralise("plain") == "plain"


def test_the_readme_pandas_example_runs(release_dir, monkeypatch):
    pandas = pytest.importorskip("pandas")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(import pandas as pd\n.*?)```", readme, re.S)
    assert block, "README has no pandas example"
    monkeypatch.chdir(release_dir.parent)
    code = block.group(1).replace('"dist/', f'"{release_dir.name}/')
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 - our own README
    per_month = scope["per_month"]
    assert isinstance(per_month, pandas.DataFrame)
    with open(release_dir / "events.csv", encoding="utf-8", newline="") as handle:
        assert per_month.to_numpy().sum() == len(list(csv.reader(handle))) - 1


# ---------------------------------------------------------------------------
# PLOVER JSON lines
# ---------------------------------------------------------------------------

def test_events_jsonl_has_one_plover_record_per_event(release_dir, graph):
    records = [json.loads(line) for line in (release_dir / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    events = {s["e"].value for s in graph.query(f"SELECT ?e WHERE {{ ?e a <{DKG}Event> }}")}
    assert {r["id"] for r in records} == events and len(records) == len(events)
    for record in records:
        assert {"id", "date", "actor", "event"} <= record.keys()
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", record["date"]) and record["date"] <= record["enddate"]
        assert record["date_precision"] in ("day", "week", "month", "year")
        for entity in record["actor"] + record["recipient"]:
            assert entity["entity_text"] and entity.get("code", "JPN") in plover.STATE_CODES.values()
        assert len(record["cite_info"]) >= 1 and all("citation" in c for c in record["cite_info"])
    tightening = next(r for r in records if r["id"].endswith("/japan-tightens-export-controls-july-2019"))
    assert (tightening["event"], tightening["mode"], tightening["context"]) == (["COERCE"], ["restrict"],
                                                                                ["diplomatic"])
    assert {a["code"] for a in tightening["actor"]} == {"JPN"}
    assert {r["code"] for r in tightening["recipient"]} == {"KOR"}
    assert tightening["event_text"] and tightening["cite_info"][0]["url"].startswith("https://")


def test_the_plover_table_agrees_with_the_ontology(built):
    from kg.query.engines import OxigraphEngine

    classes = tables.event_classes(OxigraphEngine(built.ntriples("inferred")))
    for known in classes.values():
        if known.cameo in plover.CAMEO_TO_PLOVER:
            assert plover.CAMEO_TO_PLOVER[known.cameo][0] == known.plover
        elif known.plover:
            pytest.fail(f"CAMEO {known.cameo} maps to {known.plover} but has no row in CAMEO_TO_PLOVER")


def test_every_state_in_the_facts_has_a_country_code(built):
    states = {a.id for a in built.facts.agents if a.type == "State"}
    assert states <= plover.STATE_CODES.keys(), sorted(states - plover.STATE_CODES.keys())
