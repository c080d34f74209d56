"""SPARQL read the way a parser reads it: the parsed query decides whether it may run locally.

Both local engines execute ``SERVICE <url>`` by sending a request to any host
(Oxigraph from Rust, rdflib through urllib), and dispute-kg never contacts a
host the user did not name. So every query a local engine runs (ad hoc, stored,
quality checks, SHACL-SPARQL in shapes) first goes through :func:`local_query`:

* codepoint escapes (``\\u0053ERVICE``) are expanded once, as SPARQL 1.1
  (section 19.2) says, and the engine is given the expanded text. rdflib expands
  them before parsing but Oxigraph only inside strings and IRIs, so without this
  a ``"\\u005C"`` could end a string for one parser and not for the other;
* the text is parsed and translated to algebra by rdflib, and every node of the
  algebra is walked (EXISTS and NOT EXISTS, subqueries, MINUS, OPTIONAL, GRAPH);
  a ``ServiceGraphPattern`` anywhere refuses the query. A query rdflib cannot
  parse is refused too: the guard never waves through what it could not read.

Parsing needs rdflib's SPARQL grammar (about 0.1 s to set up), so a verdict of
"no SERVICE" is kept in the verified cache by the text's digest: stored queries,
checks and shapes are parsed once, not at every command.

:func:`rdflib_offline` also takes SERVICE away from rdflib's evaluator itself
(its supported ``CUSTOM_EVALS`` hook) and stops it loading ``FROM`` graphs, for
pySHACL and the reference engine. pyoxigraph 0.5 has no switch for its
federation (its Rust API's ``without_default_http_service_handler`` is not
exposed to Python); :mod:`kg.query.engines` runs local queries in a process
with no network where the system allows it.
"""

from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager
from dataclasses import dataclass

from kg.errors import QueryError

#: Part of the cache key: a change to the rules below must not reuse old verdicts.
GUARD_VERSION = "1"
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: What rdflib's parser would still expand (it reads up to 8 digits after either letter).
_RDFLIB_CODEPOINT = re.compile(r"\\[uU][0-9A-Fa-f]{4}")
SERVICE_REFUSED = ("SERVICE is blocked in local queries (it would send a request to another "
                   "host); run the query on that endpoint with --endpoint instead")


def expand_codepoints(text: str) -> str:
    """The query with its ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes replaced, once.

    Raises:
        QueryError: an escape names no character (a surrogate, beyond U+10FFFF), or one
            that rdflib would read again after expansion (``\\u005Cu0053``, ``\\U0053``).
    """
    def character(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryError(f"the escape {match.group(0)} is not a Unicode character")
        return chr(code)

    expanded = _CODEPOINT.sub(character, text)
    if _RDFLIB_CODEPOINT.search(expanded):
        raise QueryError("the query has an escape that parsers read differently (an escape "
                         "spelling another, or \\U with fewer than 8 digits); write the character itself")
    return expanded


def _nodes(root):
    """Every node of rdflib's algebra: CompValues, expressions, lists, EXISTS graphs."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            yield node
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset)):
            stack.extend(node)


def parse(text: str, prefixes: dict[str, str] | None = None):
    """rdflib's parsed and translated query (its ``algebra`` is what the guard walks).

    Raises:
        QueryError: rdflib cannot parse the text as a SPARQL query.
    """
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text, initNs=prefixes or {})
    except RecursionError:
        raise QueryError("invalid SPARQL: nested too deeply to read") from None
    except Exception as exc:  # pyparsing and rdflib raise many kinds; all mean "cannot read it"
        raise QueryError(f"invalid SPARQL: {' '.join(str(exc).split())[:300]}") from None


@dataclass(frozen=True)
class LocalQuery:
    """A query a local engine may run: its text (escapes expanded) and what it selects."""

    text: str
    #: The variables a SELECT query projects (None for ASK, CONSTRUCT and DESCRIBE).
    selects: frozenset[str] | None


def read_local(text: str, prefixes: dict[str, str] | None = None) -> LocalQuery:
    """Parse a query (codepoints already expanded) and refuse SERVICE anywhere in it.

    Raises:
        QueryError: rdflib cannot parse the text, or it holds SERVICE.
    """
    algebra = parse(text, prefixes).algebra
    if any(node.name == "ServiceGraphPattern" for node in _nodes(algebra)):
        raise QueryError(SERVICE_REFUSED)
    selects = frozenset(str(v) for v in algebra.get("PV", ())) if algebra.name == "SelectQuery" else None
    return LocalQuery(text, selects)


def local_query(text: str, prefixes: dict[str, str] | None = None) -> LocalQuery:
    """The query as a local engine may run it: escapes expanded, parsed, and free of SERVICE.

    Args:
        text: the query as written (a file, the command line, a shape's ``sh:select``).
        prefixes: prefixes declared outside the text (SHACL's ``sh:prefixes``).

    Returns:
        The expanded text (give exactly this to the engine) and its projection.

    Raises:
        QueryError: the query cannot be parsed, or it holds SERVICE.
    """
    import json

    from kg import cache

    expanded = expand_codepoints(text)
    key = hashlib.sha256(repr((GUARD_VERSION, expanded, sorted((prefixes or {}).items())))
                         .encode("utf-8", "surrogatepass")).hexdigest()
    name = f"sparql-local-ok-{key}"
    try:
        known = json.loads(cache.read(name) or b"false")
    except ValueError:
        known = False
    if isinstance(known, dict):
        selects = known.get("selects")
        return LocalQuery(expanded, None if selects is None else frozenset(selects))
    query = read_local(expanded, prefixes)
    selects = None if query.selects is None else sorted(query.selects)
    cache.write(name, json.dumps({"selects": selects}).encode("utf-8"))
    return query


def _refuse_service(ctx, part):
    """An rdflib custom evaluation: SERVICE fails, everything else is rdflib's own."""
    if part.name == "ServiceGraphPattern":
        raise QueryError(SERVICE_REFUSED)
    raise NotImplementedError


@contextmanager
def rdflib_offline():
    """While inside, rdflib's SPARQL evaluator cannot reach the network (in this process).

    rdflib consults ``CUSTOM_EVALS`` before evaluating any algebra node, so the
    entry here runs before its SERVICE evaluation would; ``SPARQL_LOAD_GRAPHS``
    off keeps ``FROM <url>`` from being fetched. Both are restored on the way
    out, so a program using rdflib beside dispute-kg keeps its own settings.
    """
    import rdflib.plugins.sparql as rdflib_sparql

    key = "dispute-kg-no-service"
    loading = rdflib_sparql.SPARQL_LOAD_GRAPHS
    rdflib_sparql.CUSTOM_EVALS[key] = _refuse_service
    rdflib_sparql.SPARQL_LOAD_GRAPHS = False
    try:
        yield
    finally:
        rdflib_sparql.CUSTOM_EVALS.pop(key, None)
        rdflib_sparql.SPARQL_LOAD_GRAPHS = loading
