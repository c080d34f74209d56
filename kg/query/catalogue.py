"""The stored query catalogue: discovery, headers, parameters, execution and result formats.

Stored queries live in ``queries/<group>/<name>.rq`` with a comment header::

    #+ summary: One line
    #+ description: More text (may repeat)
    #+ param: date xsd:date 2019-08-20 | The day to ask about
    #+ param: actor iri? | An optional filter: a type ending in ``?`` may be left unset

An optional parameter left unset stays unbound in the query, which is written so that an
unbound filter variable changes nothing (``FILTER (!BOUND(?from) || ...)``).

Quality checks live in ``queries/checks/<name>-violation.rq``; each row they
return is a violation, and their header also carries::

    #+ severity: error          (error, warn or info)
    #+ message: {focus} has no English rdfs:label   ({var} is a projected variable)

A parameter is bound as a typed RDF term (never pasted into the query text):
locally through Oxigraph's substitutions or rdflib's initBindings, remotely
as a ``VALUES`` block of terms written by pyoxigraph.

This module imports neither rdflib nor pyoxigraph at load time, so listing
queries and running one on the cached graph starts fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kg.errors import QueryError
from kg.query.prefixes import expand
from kg.query.terms import XSD, Term, check_iri
from kg.query.text import _strip_comments
from kg.resources import queries_dir

PARAM_TYPES = ("iri", "xsd:date", "xsd:string", "xsd:integer")
SEVERITIES = ("error", "warn", "info")
CHECKS_GROUP = "checks"
HEADER = re.compile(r"^#\+\s*(\w+)\s*:\s*(.*)$")
QUERY_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    description: str
    optional: bool = False


@dataclass(frozen=True)
class StoredQuery:
    name: str
    group: str
    path: Path
    text: str
    summary: str
    description: str
    params: tuple[Param, ...] = ()
    severity: str | None = None  # checks only
    message: str | None = None  # checks only

    @property
    def ordered(self) -> bool:
        """Whether row order is part of the answer (an ORDER BY at top level)."""
        return bool(re.search(r"\bORDER\s+BY\b", _strip_comments(self.text), re.IGNORECASE))

    @property
    def expected_path(self) -> Path:
        return self.path.with_suffix(".tsv")


# ---------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------

def read_query_file(path: Path) -> str:
    """The text of a ``.rq`` file: a regular UTF-8 file within kg.files.QUERY_FILE_LIMIT.

    Raises:
        QueryError: naming the file and why it cannot be read.
    """
    from kg.errors import InputFileError
    from kg.files import QUERY_FILE_LIMIT, read_input

    try:
        return read_input(path, QUERY_FILE_LIMIT, "a query file").decode("utf-8")
    except InputFileError as exc:
        raise QueryError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise QueryError(f"{path}: cannot read the query file: not UTF-8 (byte {exc.start})") from None


def parse_query_file(path: Path, group: str | None = None) -> StoredQuery:
    """Read a ``.rq`` file and its header.

    A file in the ``checks`` group must also have ``severity`` and ``message``
    headers; other queries must not.

    Raises:
        QueryError: naming the file and the header line that is wrong.
    """
    path = Path(path)
    group = group or path.parent.name
    known = ("summary", "description", "param") + (
        ("severity", "message") if group == CHECKS_GROUP else ())
    text = read_query_file(path)
    fields: dict[str, list[str]] = {}
    params = []
    for number, line in enumerate(text.splitlines(), 1):
        match = HEADER.match(line.strip())
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        if key == "param":
            params.append(_parse_param(path, number, value))
        elif key in known:
            fields.setdefault(key, []).append(value)
        else:
            raise QueryError(f"{path}:{number}: unknown header '#+ {key}:' "
                             f"(known: {', '.join(known)})")
    required = ("summary",) + (("severity", "message") if group == CHECKS_GROUP else ())
    for key in required:
        if key not in fields:
            raise QueryError(f"{path}: missing '#+ {key}:' header line")
    severity = " ".join(fields.get("severity", [])) or None
    if severity is not None and severity not in SEVERITIES:
        raise QueryError(f"{path}: severity '{severity}' is not one of {', '.join(SEVERITIES)}")
    name = path.stem
    if not QUERY_NAME.match(name):
        raise QueryError(f"{path}: query names are lower-case words joined by hyphens")
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise QueryError(f"{path}: a parameter is declared twice")
    return StoredQuery(name=name, group=group, path=path, text=text,
                       summary=" ".join(fields["summary"]),
                       description=" ".join(fields.get("description", [])), params=tuple(params),
                       severity=severity, message=" ".join(fields.get("message", [])) or None)


def _parse_param(path: Path, number: int, value: str) -> Param:
    spec, _, description = value.partition("|")
    parts = spec.split()
    if len(parts) not in (2, 3):
        raise QueryError(f"{path}:{number}: a parameter is written "
                         "'#+ param: NAME TYPE [DEFAULT] | DESCRIPTION' (TYPE? for an optional one)")
    name, kind = parts[0], parts[1]
    optional = kind.endswith("?")
    kind = kind.removesuffix("?")
    if optional and len(parts) == 3:
        raise QueryError(f"{path}:{number}: optional parameter '{name}' cannot have a default")
    if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
        raise QueryError(f"{path}:{number}: bad parameter name '{name}'")
    if kind not in PARAM_TYPES:
        raise QueryError(f"{path}:{number}: parameter type '{kind}' is not one of "
                         f"{', '.join(PARAM_TYPES)}")
    default = parts[2] if len(parts) == 3 else None
    param = Param(name, kind, default, description.strip(), optional)
    if default is not None:
        try:
            to_term(param, default)
        except QueryError as exc:
            raise QueryError(f"{path}:{number}: default of '{name}': {exc}") from None
    return param


def catalogue(directory: Path | None = None) -> dict[str, StoredQuery]:
    """Every stored competency query, by name (checks live in queries/checks)."""
    root = directory or queries_dir()
    found: dict[str, StoredQuery] = {}
    for path in sorted((root / "competency").glob("*.rq")):
        query = parse_query_file(path)
        found[query.name] = query
    return found


def get_query(name: str, directory: Path | None = None) -> StoredQuery:
    queries = catalogue(directory)
    if name not in queries:
        raise QueryError(f"no stored query named '{name}'; run 'dispute-kg queries' to list them")
    return queries[name]


# ---------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------

def to_term(param: Param, raw: str) -> Term:
    """Turn a parameter's text into a typed term, or say why it cannot be one."""
    if param.type == "iri":
        value = raw
        if ":" in raw and not re.match(r"^[a-z][a-z0-9+.-]*://", raw):
            value = expand(raw)
            if value is None:
                raise QueryError(f"unknown prefix '{raw.partition(':')[0]}:' in {raw!r} "
                                 "('dispute-kg prefixes' lists the known ones)")
        elif not re.match(r"^[a-z][a-z0-9+.-]*://", raw):
            raise QueryError(f"expected an IRI or prefixed name (like post:japan-foreign-minister), "
                             f"found {raw!r}")
        return Term("iri", check_iri(value))
    if param.type == "xsd:date":
        try:
            date.fromisoformat(raw)
        except ValueError:
            raise QueryError(f"expected a date YYYY-MM-DD, found {raw!r}") from None
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", raw):
            raise QueryError(f"expected a date YYYY-MM-DD, found {raw!r}")
        return Term("literal", raw, XSD + "date")
    if param.type == "xsd:integer":
        if not re.match(r"^[+-]?\d{1,18}$", raw):
            raise QueryError(f"expected a whole number, found {raw!r}")
        return Term("literal", str(int(raw)), XSD + "integer")
    return Term("literal", raw)


def bind(query: StoredQuery, given: dict[str, str]) -> dict[str, Term]:
    """Parameter values as typed terms: given values over defaults; all but the optional
    ones must be set (an unset optional parameter is left out, so it stays unbound)."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(known))
    if unknown:
        names = ", ".join(known) or "none"
        raise QueryError(f"query '{query.name}' has no parameter '{unknown[0]}' (parameters: {names})")
    bound = {}
    for param in query.params:
        raw = given.get(param.name, param.default)
        if raw is None and param.optional:
            continue
        if raw is None:
            raise QueryError(f"query '{query.name}' needs --param {param.name}=... ({param.description})")
        try:
            bound[param.name] = to_term(param, raw)
        except QueryError as exc:
            raise QueryError(f"parameter '{param.name}': {exc}") from None
    return bound

