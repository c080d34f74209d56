"""rdflib terms as N-Triples lines, written the way Oxigraph writes them, without an rdflib Graph.

Adding a million triples to an rdflib Graph costs tens of seconds and a
gigabyte; the fast pipeline instead keeps a graph as a set of N-Triples lines
(sorted, they are the canonical bytes of the graph) and hands them to Oxigraph
and the reasoner in bulk. The escaping matches Oxigraph's serializer, so the
same graph gives the same bytes whichever of the two wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_ESCAPES = {ord('"'): '\\"', ord("\\"): "\\\\", ord("\n"): "\\n", ord("\r"): "\\r",
            ord("\t"): "\\t", ord("\b"): "\\b", ord("\f"): "\\f"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F] if c not in _ESCAPES})


def term(value) -> str:
    """One rdflib term (URIRef, Literal or BNode) in N-Triples syntax."""
    kind = type(value).__name__
    if kind == "URIRef":
        return f"<{value}>"
    if kind == "Literal":
        text = '"' + str(value).translate(_ESCAPES) + '"'
        if value.language:
            return f"{text}@{value.language.lower()}"
        datatype = value.datatype
        if datatype is None or str(datatype) == XSD_STRING:
            return text
        return f"{text}^^<{datatype}>"
    if kind == "BNode":
        return f"_:{value}"
    raise TypeError(f"not an RDF term: {value!r}")


def lines(triples: Iterable[tuple]) -> set[str]:
    """The N-Triples lines (without newline) of rdflib triples; IRIs are formatted once each."""
    cache: dict = {}
    out = set()
    for s, p, o in triples:
        try:
            ss = cache[s]
        except KeyError:
            ss = cache[s] = term(s)
        try:
            pp = cache[p]
        except KeyError:
            pp = cache[p] = term(p)
        oo = cache.get(o) if type(o).__name__ == "URIRef" else None
        if oo is None:
            oo = term(o)
            if type(o).__name__ == "URIRef":
                cache[o] = oo
        out.add(f"{ss} {pp} {oo} .")
    return out


def document(found: Iterable[str]) -> bytes:
    """Sorted, de-duplicated N-Triples lines as one UTF-8 document (the canonical bytes)."""
    return encode(sorted(set(found)))


#: Lines joined and encoded at a time by :func:`encode`.
CHUNK = 20_000


def encode(ordered: list[str]) -> bytes:
    """Lines, already sorted and unique, as one UTF-8 document.

    Joined a chunk at a time: one ``str`` of a million lines holding a Japanese
    label is stored two bytes a character (hundreds of megabytes beside the result).
    """
    if not ordered:
        return b""
    chunks = ["\n".join(ordered[start:start + CHUNK]).encode("utf-8")
              for start in range(0, len(ordered), CHUNK)]
    return b"\n".join(chunks) + b"\n"


def decode(data: bytes) -> set[str]:
    """The lines of an N-Triples document (the inverse of :func:`encode`; split on line feeds
    only, which literals hold escaped)."""
    return set(data.decode("utf-8").split("\n")) - {""}


def parts(line: str) -> tuple[str, str, str]:
    """Subject, predicate and object of one line this module wrote (the object as written)."""
    s, p, o = line[:-2].split(" ", 2)
    return s, p, o


def store(data: bytes):
    """An in-memory Oxigraph store loaded with N-Triples bytes."""
    import pyoxigraph as ox

    result = ox.Store()
    if data:
        result.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    return result


#: Datatypes Oxigraph's store rewrites to xsd:integer (with a canonical lexical form) on load.
INTEGER_FAMILY = ("positiveInteger", "nonNegativeInteger", "negativeInteger", "nonPositiveInteger",
                  "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort",
                  "unsignedByte")
_REWRITTEN = re.compile(
    rb'^<([^>]*)> <([^>]*)> ("(?:[^"\\]|\\.)*"\^\^<http://www\.w3\.org/2001/XMLSchema#(?:'
    + b"|".join(t.encode() for t in INTEGER_FAMILY) + rb')>) \.$', re.M)


def rewritten_literals(data: bytes) -> dict[tuple[str, str], list]:
    """The literals an Oxigraph store would not keep as written, by (subject, predicate).

    Oxigraph stores ``"05"^^xsd:positiveInteger`` as ``"5"^^xsd:integer``; SHACL's
    datatype checks need the literal as written.
    """
    import pyoxigraph as ox

    found: dict[tuple[str, str], list] = {}
    if not any(b"XMLSchema#" + name.encode() + b">" in data for name in INTEGER_FAMILY):
        return found  # the usual case: a scan for each name is far cheaper than the pattern
    for match in _REWRITTEN.finditer(data):
        literal = next(iter(ox.parse(b"<x:s> <x:p> " + match.group(3) + b" .",
                                     format=ox.RdfFormat.N_TRIPLES))).object
        key = (match.group(1).decode("utf-8"), match.group(2).decode("utf-8"))
        found.setdefault(key, []).append(literal)
    return found
