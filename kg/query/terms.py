"""RDF terms as a tiny, dependency-free model with N-Triples serialisation (the fast query path
imports neither rdflib nor pyoxigraph to list or bind queries)."""

from __future__ import annotations

from dataclasses import dataclass

from kg.errors import QueryError

XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True, order=True)
class Term:
    """An RDF term as kind ('iri', 'literal', 'bnode'), value, datatype and language."""

    kind: str
    value: str
    datatype: str | None = None
    language: str | None = None

    def n3(self) -> str:
        if self.kind == "iri":
            return f"<{_escape_iri(self.value)}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = '"' + _escape_string(self.value) + '"'
        if self.language:
            return f"{text}@{self.language}"
        if self.datatype and self.datatype != XSD + "string":
            return f"{text}^^<{_escape_iri(self.datatype)}>"
        return text

    def plain(self) -> str:
        return self.value

def _escape_string(value: str) -> str:
    out = []
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)

def _escape_iri(value: str) -> str:
    bad = set('<>"{}|^`\\ ')
    if any(ch in bad or ord(ch) <= 0x20 for ch in value):
        raise QueryError(f"not a valid IRI: {value!r}")
    return value
