"""Load the curated facts (YAML) into typed records, checking every field and reference.

How each field is read follows from its declaration in :mod:`kg.facts.schema`; the rules
across records (dates against sources, duplicates, cycles) are in :mod:`kg.facts.rules`.
Every problem is a :class:`FactsError` naming the file, the entry, the field and, where YAML
gives one, the line, so a curator can go straight to it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from kg.errors import FactsError
from kg.facts import records as R
from kg.facts import rules, scalars
from kg.facts.scalars import FieldError, Plain
from kg.facts.schema import PARTS, SECTIONS, Field, Kind
from kg.resources import fact_files

# ---------------------------------------------------------------------------
# YAML with line numbers and no implicit types
# ---------------------------------------------------------------------------


class _Mapping(dict):
    """A dict that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader (libyaml's where installed: ten times faster) that keeps line numbers and
    resolves no implicit type: every scalar is text, a :class:`Plain` one when unquoted, and
    the schema types it (see :mod:`kg.facts.scalars`). Anchors and aliases are refused after
    loading (see :func:`_refuse_aliases`)."""

    yaml_implicit_resolvers: dict = {}


def _construct_scalar(loader: _Loader, node: yaml.ScalarNode) -> str:
    value = loader.construct_scalar(node)
    return Plain(value) if not node.style else str(value)  # libyaml gives "" for plain, PyYAML None


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"keys must be text, found a {type(key).__name__}", key_node.start_mark)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' appears twice in one entry", key_node.start_mark)
        mapping[str(key)] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG, _construct_scalar)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FactsError(_display(path), f"cannot read the file: {exc.strerror}") from None


def _parse_yaml(name: str, raw: bytes) -> Any:
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FactsError(name, f"is not UTF-8 text (byte {exc.start})") from None
    try:
        document = yaml.load(content, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        raise FactsError(name, f"YAML syntax error: {problem}", line=line) from None
    except yaml.YAMLError as exc:
        raise FactsError(name, f"YAML error: {exc}") from None
    except RecursionError:
        raise FactsError(name, "YAML nesting is too deep") from None
    _refuse_aliases(name, document)
    return document


def _refuse_aliases(name: str, document: Any) -> None:
    """Refuse YAML aliases: facts need none, and nested aliases expand
    exponentially when walked (the "billion laughs"). libyaml resolves an alias
    to the same object, so a mapping or list met twice is one."""
    seen: set[int] = set()
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, (dict, list)):
            if id(node) in seen:
                raise FactsError(name, "YAML syntax error: anchors and aliases (& and *) are not "
                                 "allowed in facts files", line=getattr(node, "line", None) or None)
            seen.add(id(node))
            stack.extend(node.values() if isinstance(node, dict) else node)


# ---------------------------------------------------------------------------
# Values, by the field's declared type
# ---------------------------------------------------------------------------

_SIMPLE = {"line": scalars.line, "text": scalars.text, "slug": scalars.slug, "ref": scalars.slug,
           "date": scalars.iso_date, "count": scalars.count, "amount": scalars.amount,
           "flag": scalars.flag, "url": scalars.url, "lang": scalars.lang_tag,
           "wikidata": scalars.wikidata, "domain": scalars.domain}


def _labels(value: Any) -> R.Labels:
    if isinstance(value, str):
        return R.Labels((("en", scalars.line(value)),))
    if not isinstance(value, dict):
        raise FieldError("must be text or a mapping of language tag to text")
    pairs = []
    for tag, label in value.items():
        try:
            pairs.append((scalars.lang_tag(tag), scalars.line(label)))
        except FieldError as exc:
            raise FieldError(str(exc), str(tag)) from None
    if "en" not in dict(pairs):
        raise FieldError("needs an English label (en)")
    if len(dict(pairs)) != len(pairs):
        raise FieldError("gives one language twice")
    return R.Labels(tuple(sorted(pairs)))


def _one(field: Field, value: Any):
    """One value of a field (a list item for a repeatable field)."""
    simple = _SIMPLE.get(field.type)
    if simple is not None:
        return simple(value)
    if field.type == "choice":
        return scalars.choice(value, field.choices)
    if field.type == "labels":
        return _labels(value)
    if field.type == "daterange":
        return _daterange(value)
    if field.type == "citations":
        return _citations(value)
    raise AssertionError(f"no reader for field type {field.type!r}")


def _value(field: Field, value: Any):
    if not field.many:
        return _one(field, value)
    items = value if isinstance(value, list) else [value]
    out = []
    for index, item in enumerate(items):
        try:
            out.append(_one(field, item))
        except FieldError as exc:
            raise FieldError(f"item {index + 1}: {exc}", exc.subfield) from None
    if len(set(out)) != len(out):
        raise FieldError("lists the same value twice")
    return tuple(out)


def _fields(value: Any, kind: Kind, extra: tuple[Field, ...] = ()) -> dict:
    """The declared fields of one mapping, converted; unknown keys and missing ones refused."""
    declared = {f.key: f for f in extra + kind.fields}
    if not isinstance(value, dict):
        raise FieldError(f"must be a mapping ({', '.join(declared)})")
    unknown = sorted(set(value) - set(declared))
    if unknown:
        raise FieldError(f"unknown key '{unknown[0]}'; allowed: {', '.join(declared)}", unknown[0])
    out = {}
    for key, field in declared.items():
        raw = value.get(key)
        if scalars.is_null(raw):
            if field.required:
                raise FieldError("is required", key)
            continue
        try:
            out[key] = _value(field, raw)
        except FieldError as exc:
            raise FieldError(str(exc), key + ("." + exc.subfield if exc.subfield else "")) from None
    return out


def _daterange(value: Any):
    kind = PARTS["daterange"]
    if isinstance(value, str):
        day = scalars.iso_date(value)
        return R.DateRange(day, day, "day")
    found = _fields(value, kind)
    if found["earliest"] > found["latest"]:
        raise FieldError(f"earliest {found['earliest']} is after latest {found['latest']}",
                         "earliest")
    return R.DateRange(**found)


def _citations(value: Any) -> tuple:
    kind = PARTS["citations"]
    items = value if isinstance(value, list) else [value]
    found = []
    for index, item in enumerate(items):
        try:
            if isinstance(item, str):
                found.append(R.Citation(scalars.slug(item)))
            else:
                found.append(R.Citation(**_fields(item, kind)))
        except FieldError as exc:
            raise FieldError(f"item {index + 1}: {exc}", exc.subfield) from None
    if not found:
        raise FieldError("needs at least one source")
    sources = [c.source for c in found]
    duplicated = sorted({s for s in sources if sources.count(s) > 1})
    if duplicated:
        raise FieldError(f"cites source '{duplicated[0]}' twice; give one citation per source")
    return tuple(found)


# ---------------------------------------------------------------------------
# Files and entries
# ---------------------------------------------------------------------------

_ID = Field("id", "slug", required=True)
#: The code that decides what a file's records are: a change to it invalidates cached records.
_CODE_DIGEST = hashlib.sha256(b"".join(
    path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py")))).hexdigest()


def load_facts(directory: Path | None = None, files: list[Path] | None = None) -> R.Facts:
    """Load and check every ``*.yaml`` file of the facts folder.

    Args:
        directory: the facts folder; the packaged curated facts by default.
        files: explicit files instead of a folder.

    Returns:
        The records, by section, in file order.

    Raises:
        FactsError: on the first problem found, naming file, entry, field and line.
    """
    paths = files if files is not None else fact_files(directory)
    if not paths:
        raise FactsError(str(directory), "no facts files (*.yaml) found")
    facts = R.Facts()
    seen: dict[tuple[str, str], R.Origin] = {}
    for path in paths:
        _load_file(path, facts, seen)
    rules.check(facts)
    return facts


def _load_file(path: Path, facts: R.Facts, seen: dict) -> None:
    name = _display(path)
    for section_name, record in _file_records(path, name):
        key = (section_name, record.id)
        if key in seen:
            first = seen[key]
            raise FactsError(name, f"duplicate id; '{record.id}' is already defined at "
                             f"{first.file}:{first.line}",
                             entry=f"{SECTIONS[section_name].noun} '{record.id}'", field="id",
                             line=record.origin.line)
        seen[key] = record.origin
        facts.section(section_name).append(record)


def _file_records(path: Path, name: str) -> list[tuple[str, Any]]:
    """A file's records, from the cache when the file (and this loader) are unchanged:
    a curator's edit reloads one file, not all of them."""
    from kg import cache

    raw = _read_bytes(path)
    entry = f"facts-{cache.digest_of(raw, name.encode(), _CODE_DIGEST)}.json"
    found = cache.read(entry)
    if found is not None:
        return [(section, R.from_json(record)) for section, record in json.loads(found)]
    records = _parse_file(name, raw)
    cache.write(entry, json.dumps([(section, R.to_json(record)) for section, record in records],
                                  ensure_ascii=False).encode("utf-8"))
    return records


def _parse_file(name: str, raw: bytes) -> list[tuple[str, Any]]:
    document = _parse_yaml(name, raw)
    if scalars.is_null(document):
        return []
    if not isinstance(document, dict):
        raise FactsError(name, "the file must be a mapping of section name to a list of entries",
                         line=1)
    records = []
    for section_name, entries in document.items():
        line = document.key_lines.get(section_name)
        kind = SECTIONS.get(section_name)
        if kind is None:
            raise FactsError(name, f"unknown section '{section_name}'; sections are "
                             f"{', '.join(SECTIONS)}", line=line)
        if not isinstance(entries, list):
            raise FactsError(name, f"section '{section_name}' must be a list of entries", line=line)
        records += [(section_name, _load_entry(name, kind, index, entry))
                    for index, entry in enumerate(entries)]
    return records


def _load_entry(file: str, kind: Kind, index: int, entry: Any):
    if not isinstance(entry, dict):
        raise FactsError(file, f"entry {index + 1} of '{kind.name}' must be a mapping",
                         entry=f"{kind.noun} #{index + 1}")
    line = getattr(entry, "line", None)
    ident = entry.get("id")
    label = (f"{kind.noun} '{ident}'" if isinstance(ident, str) and scalars.SLUG.fullmatch(ident)
             else f"{kind.noun} #{index + 1}")
    try:
        if scalars.is_null(ident):
            raise FieldError("is required", "id")
        try:
            scalars.slug(ident)
        except FieldError as exc:
            raise FieldError(str(exc), "id") from None
        fields = _fields(entry, kind, extra=(_ID,))
    except FieldError as exc:
        top = (exc.subfield or "").split(".")[0]
        field_line = entry.key_lines.get(top, line) if hasattr(entry, "key_lines") else line
        raise FactsError(file, str(exc), entry=label, field=exc.subfield, line=field_line) from None
    return getattr(R, kind.record)(origin=R.Origin(file, line or 0), **fields)
