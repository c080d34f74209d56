"""Query answers, the same from every engine, and their formats (table, csv, tsv, json, markdown)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from kg.errors import QueryError
from kg.query.prefixes import compact
from kg.query.terms import Term, from_oxigraph


@dataclass
class Results:
    """A query's answer: SELECT rows, an ASK boolean, or CONSTRUCT triples (N-Triples lines)."""

    kind: str  # "select", "ask", "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[str] = field(default_factory=list)

    def comparable(self, ordered: bool):
        if self.kind == "ask":
            return self.boolean
        if self.kind == "graph":
            return sorted(set(self.triples))
        rows = [tuple(t.n3() if t else "" for t in row) for row in self.rows]
        return (self.variables, rows if ordered else sorted(rows))

def to_tsv(results: Results) -> str:
    """SPARQL 1.1 Query Results TSV, each term written by pyoxigraph in N-Triples syntax.

    (pyoxigraph's own TSV writer shortens numbers to Turtle's ``6``; the expected
    results beside the stored queries keep the full form, so diffs stay quiet.)
    """
    lines = ["\t".join(f"?{v}" for v in results.variables)]
    for row in results.rows:
        lines.append("\t".join(t.n3() if t else "" for t in row))
    return "\n".join(lines) + "\n"


def from_tsv(text: str) -> Results:
    """Read SPARQL results TSV with pyoxigraph's parser.

    Raises:
        QueryError: the text is not SPARQL results TSV.
    """
    solutions = _parse(text.encode("utf-8"), "TSV")
    variables = [v.value for v in solutions.variables]
    try:
        rows = [tuple(from_oxigraph(solution[v]) for v in variables) for solution in solutions]
    except SyntaxError as exc:
        raise QueryError(f"cannot read the results TSV: {exc}") from None
    return Results("select", variables, rows)


def _parse(data: bytes, fmt: str):
    import pyoxigraph as ox

    try:
        return ox.parse_query_results(data, format=getattr(ox.QueryResultsFormat, fmt))
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"cannot read the results {fmt}: {exc}") from None


def _written_by_oxigraph(results: Results, fmt: str) -> str:
    """SELECT results in SPARQL results JSON or CSV, written by pyoxigraph's serialiser."""
    import pyoxigraph as ox

    solutions = _parse(to_tsv(results).encode("utf-8"), "TSV")
    return solutions.serialize(format=getattr(ox.QueryResultsFormat, fmt)).decode("utf-8")


def render(results: Results, fmt: str, width: int | None = None) -> str:
    """Format results as table, csv, tsv, json (SPARQL 1.1 Results JSON) or markdown;
    a table fits ``width`` display columns (kg/query/table.py), or keeps cells whole.

    JSON and CSV are pyoxigraph's (JSON indented as before; CSV as the SPARQL 1.1
    CSV format says, with CRLF line ends); table and markdown are ours.
    """
    if results.kind == "graph":
        return "\n".join(results.triples) + ("\n" if results.triples else "")
    if fmt == "json":
        if results.kind == "ask":
            return json.dumps({"head": {}, "boolean": results.boolean}, indent=1) + "\n"
        document = json.loads(_written_by_oxigraph(results, "JSON"))
        return json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    if results.kind == "ask":
        return ("true" if results.boolean else "false") + "\n"
    if fmt == "tsv":
        return to_tsv(results)
    if fmt == "csv":
        return _written_by_oxigraph(results, "CSV")
    cells = [[short(t) for t in row] for row in results.rows]
    if fmt == "markdown":
        def esc(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")
        lines = ["| " + " | ".join(results.variables) + " |",
                 "|" + "|".join("---" for _ in results.variables) + "|"]
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in cells]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        from kg.query.table import layout

        return layout(results.variables, cells, width,
                      footer=f"({len(results.rows)} row{'s' if len(results.rows) != 1 else ''})")
    raise QueryError(f"unknown format '{fmt}'; choose table, csv, tsv, json or markdown")

def short(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "iri":
        return compact(term.value)
    return term.value.replace("\n", " ")

FORMATS = ("table", "csv", "tsv", "json", "markdown")
