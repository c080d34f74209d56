"""Binding parameters for a remote store: a VALUES block of typed terms opening the WHERE group.

Local engines bind parameters themselves (Oxigraph's substitutions, rdflib's
initBindings); a SPARQL 1.1 store has no such interface, so the query sent to
it carries the values. What a local query may do at all is decided on its
parsed form in :mod:`kg.graph.sparql`.
"""

from __future__ import annotations

import re

from kg.errors import QueryError
from kg.query.terms import Term


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))

_IRI_AT = re.compile(r"<[^<>\"{}|^`\\\s]*>")

_STRING_AT = re.compile(r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"", re.S)

def _mask(text: str) -> str:
    """The query with comments, strings and IRIs blanked out (same length), so
    keywords and braces can be found without being fooled by their contents."""
    out = list(text)
    i = 0
    while i < len(text):
        ch = text[i]
        end = i + 1
        if ch == "#":
            newline = text.find("\n", i)
            end = len(text) if newline < 0 else newline
        elif ch in "'\"":
            match = _STRING_AT.match(text, i)
            end = match.end() if match else i + 1
        elif ch == "<":
            match = _IRI_AT.match(text, i)
            end = match.end() if match else i + 1
            if not match:
                i = end
                continue
        else:
            i = end
            continue
        for k in range(i, end):
            out[k] = " " if text[k] != "\n" else "\n"
        i = end
    return "".join(out)

def _where_brace(text: str) -> int:
    """Offset of the ``{`` opening the query's top-level WHERE group (for CONSTRUCT,
    the one after the template)."""
    masked = _mask(text)
    form = re.search(r"(?<![\w?$])(SELECT|ASK|DESCRIBE|CONSTRUCT)\b", masked, re.IGNORECASE)
    if not form:
        raise QueryError("cannot bind parameters: no SELECT, ASK, DESCRIBE or CONSTRUCT")
    at = masked.find("{", form.end())
    if form.group(1).upper() == "CONSTRUCT" and not re.match(r"\s*WHERE\s*$", masked[form.end():at],
                                                              re.IGNORECASE):
        depth = 0
        for k in range(at, len(masked)):
            depth += {"{": 1, "}": -1}.get(masked[k], 0)
            if depth == 0:
                at = masked.find("{", k + 1)
                break
    if at < 0:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    return at

def with_values(text: str, bindings: dict[str, Term]) -> str:
    """The query with its parameters bound by a VALUES block opening the WHERE group.

    Every value is a typed term written by pyoxigraph (never the user's raw
    text), so a hostile value can only ever be a literal; the bound query is
    parsed again, so a block that landed anywhere but in a group is an error.

    Raises:
        QueryError: the query has no WHERE group, or does not parse once bound.
    """
    if not bindings:
        return text
    from kg.graph.sparql import parse

    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    at = _where_brace(text) + 1
    bound = f"{text[:at]}\n  VALUES ({names}) {{ ({values}) }}{text[at:]}"
    try:
        parse(bound)
    except QueryError as exc:
        raise QueryError(f"cannot bind parameters: {exc}") from None
    return bound
