"""The stored query catalogue: discovery, headers, parameters, execution and result formats.

Stored queries live in ``queries/<group>/<name>.rq`` with a comment header::

    #+ summary: One line
    #+ description: More text (may repeat)
    #+ param: date xsd:date 2019-08-20 | The day to ask about

Quality checks live in ``queries/checks/<name>-violation.rq``; each row they
return is a violation, and their header also carries::

    #+ severity: error          (error, warn or info)
    #+ message: {focus} has no English rdfs:label   ({var} is a projected variable)

A parameter is bound as a typed RDF term (never pasted into the query text):
locally through Oxigraph's substitutions or rdflib's initBindings, remotely
as a trailing ``VALUES`` clause of correctly escaped terms.

This module imports neither rdflib nor pyoxigraph at load time, so listing
queries and running one on the cached graph starts fast.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kg import iris
from kg.errors import QueryError
from kg.resources import queries_dir

PARAM_TYPES = ("iri", "xsd:date", "xsd:string", "xsd:integer")
SEVERITIES = ("error", "warn", "info")
CHECKS_GROUP = "checks"
XSD = "http://www.w3.org/2001/XMLSchema#"
HEADER = re.compile(r"^#\+\s*(\w+)\s*:\s*(.*)$")
QUERY_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    description: str


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
# Terms: a tiny, dependency-free model with N-Triples serialisation
# ---------------------------------------------------------------------------

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


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


# ---------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------

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
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read the query file: {exc}") from None
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
                         "'#+ param: NAME TYPE [DEFAULT] | DESCRIPTION'")
    name, kind = parts[0], parts[1]
    if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
        raise QueryError(f"{path}:{number}: bad parameter name '{name}'")
    if kind not in PARAM_TYPES:
        raise QueryError(f"{path}:{number}: parameter type '{kind}' is not one of "
                         f"{', '.join(PARAM_TYPES)}")
    default = parts[2] if len(parts) == 3 else None
    param = Param(name, kind, default, description.strip())
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
            prefix, _, local = raw.partition(":")
            if prefix not in iris.PREFIXES:
                raise QueryError(f"unknown prefix '{prefix}:' in {raw!r}")
            value = iris.PREFIXES[prefix] + local
        elif not re.match(r"^[a-z][a-z0-9+.-]*://", raw):
            raise QueryError(f"expected an IRI or prefixed name (like post:japan-foreign-minister), "
                             f"found {raw!r}")
        return Term("iri", _escape_iri(value))
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
    """Parameter values as typed terms: given values over defaults; all must be set."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(known))
    if unknown:
        names = ", ".join(known) or "none"
        raise QueryError(f"query '{query.name}' has no parameter '{unknown[0]}' (parameters: {names})")
    bound = {}
    for param in query.params:
        raw = given.get(param.name, param.default)
        if raw is None:
            raise QueryError(f"query '{query.name}' needs --param {param.name}=... ({param.description})")
        try:
            bound[param.name] = to_term(param, raw)
        except QueryError as exc:
            raise QueryError(f"parameter '{param.name}': {exc}") from None
    return bound


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


def check_local_query(text: str) -> None:
    """Refuse what would make a local query reach the network.

    Both Oxigraph and rdflib execute ``SERVICE <url>`` by sending a request to
    any host; dispute-kg never contacts a host the user did not name.
    """
    masked = _mask(text)
    match = re.search(r"(?<![\w?$])SERVICE\b", masked, re.IGNORECASE)
    if match:
        line = masked.count("\n", 0, match.start()) + 1
        raise QueryError(f"line {line}: SERVICE is blocked in local queries (it would send a request "
                         "to another host); run the query on that endpoint with --endpoint instead")


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

    Every value is a typed term serialised with N-Triples escaping (never the
    user's raw text), so a hostile value can only ever be a literal. The same
    text runs locally (Oxigraph) and on any SPARQL 1.1 store.
    """
    if not bindings:
        return text
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    at = _where_brace(text) + 1
    return f"{text[:at]}\n  VALUES ({names}) {{ ({values}) }}{text[at:]}"


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------

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


def render(results: Results, fmt: str) -> str:
    """Format results as table, csv, tsv, json (SPARQL 1.1 Results JSON) or markdown."""
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
        widths = [len(v) for v in results.variables]
        for row in cells:
            widths = [max(w, len(c)) for w, c in zip(widths, row)]
        line = "  ".join(v.ljust(w) for v, w in zip(results.variables, widths))
        out = [line, "  ".join("-" * w for w in widths)]
        out += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in cells]
        out.append(f"({len(results.rows)} row{'s' if len(results.rows) != 1 else ''})")
        return "\n".join(out) + "\n"
    raise QueryError(f"unknown format '{fmt}'; choose table, csv, tsv, json or markdown")


def short(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "iri":
        best = None
        for prefix, namespace in iris.PREFIXES.items():
            if term.value.startswith(namespace) and (best is None or len(namespace) > len(best[1])):
                best = (prefix, namespace)
        return f"{best[0]}:{term.value[len(best[1]):]}" if best else term.value
    return term.value.replace("\n", " ")


FORMATS = ("table", "csv", "tsv", "json", "markdown")
