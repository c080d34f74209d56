"""Query answers, the same from every engine, and their formats (table, csv, tsv, json, markdown)."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field

from kg.errors import QueryError
from kg.query.prefixes import compact
from kg.query.terms import XSD, Term


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
    """SPARQL 1.1 Query Results TSV (terms in N-Triples syntax)."""
    lines = ["\t".join(f"?{v}" for v in results.variables)]
    for row in results.rows:
        lines.append("\t".join(t.n3() if t else "" for t in row))
    return "\n".join(lines) + "\n"

def from_tsv(text: str) -> Results:
    """Parse the SPARQL TSV we write (one term per cell, N-Triples syntax)."""
    lines = text.rstrip("\n").split("\n")
    variables = [v.lstrip("?") for v in lines[0].split("\t")] if lines[0] else []
    rows = [tuple(_parse_term(cell) for cell in line.split("\t")) for line in lines[1:]]
    return Results("select", variables, rows)

_TERM = re.compile(r'^(?:<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?)$')

def _unescape(value: str) -> str:
    return re.sub(r'\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)',
                  lambda m: {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}.get(
                      m.group(1), chr(int(m.group(1)[1:], 16)) if m.group(1)[0] in "uU" else m.group(1)),
                  value)

def _parse_term(cell: str) -> Term | None:
    if cell == "":
        return None
    match = _TERM.match(cell)
    if not match:
        raise QueryError(f"cannot read the result cell {cell!r}")
    iri, bnode, literal, lang, datatype = match.groups()
    if iri is not None:
        return Term("iri", iri)
    if bnode is not None:
        return Term("bnode", bnode)
    return Term("literal", _unescape(literal), datatype if datatype != XSD + "string" else None, lang)

def _json_term(term: Term) -> dict:
    if term.kind == "iri":
        return {"type": "uri", "value": term.value}
    if term.kind == "bnode":
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD + "string":
        out["datatype"] = term.datatype
    return out

def render(results: Results, fmt: str, width: int | None = None) -> str:
    """Format results as table, csv, tsv, json (SPARQL 1.1 Results JSON) or markdown;
    a table fits ``width`` display columns (kg/query/table.py), or keeps cells whole."""
    if results.kind == "graph":
        return "\n".join(results.triples) + ("\n" if results.triples else "")
    if fmt == "json":
        if results.kind == "ask":
            return json.dumps({"head": {}, "boolean": results.boolean}, indent=1) + "\n"
        bindings = [{v: _json_term(t) for v, t in zip(results.variables, row) if t is not None}
                    for row in results.rows]
        return json.dumps({"head": {"vars": results.variables},
                           "results": {"bindings": bindings}}, indent=1, ensure_ascii=False) + "\n"
    if results.kind == "ask":
        return ("true" if results.boolean else "false") + "\n"
    if fmt == "tsv":
        return to_tsv(results)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(results.variables)
        for row in results.rows:
            writer.writerow([t.plain() if t else "" for t in row])
        return buffer.getvalue()
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
