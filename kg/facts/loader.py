"""Load the curated facts (YAML) into typed records, checking every field and reference.

Every problem is a :class:`FactsError` naming the file, the entry, the field
and, where YAML gives one, the line, so a curator can go straight to it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

import yaml

from kg.errors import FactsError
from kg.facts import records as R
from kg.resources import fact_files

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_TAG = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*$")
WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")
URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
MAX_TEXT = 20_000


class _FieldError(Exception):
    """Raised by a field converter; the loader adds file, entry and line."""

    def __init__(self, message: str, subfield: str | None = None):
        super().__init__(message)
        self.subfield = subfield


# ---------------------------------------------------------------------------
# YAML with line numbers and without implicit dates
# ---------------------------------------------------------------------------

class _Mapping(dict):
    """A dict that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader (libyaml's where installed: ten times faster) that keeps line numbers and
    leaves dates as strings (we parse them strictly). Anchors and aliases are refused
    after loading (see :func:`_refuse_aliases`)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"keys must be strings, found {key!r}", key_node.start_mark)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' appears twice in one entry", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


# ---------------------------------------------------------------------------
# Field converters: value -> python value, or _FieldError
# ---------------------------------------------------------------------------

Converter = Callable[[Any], Any]


def text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _FieldError(f"expected text, found {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise _FieldError("expected text, found a non-finite number")
    value = str(value).strip()
    if not value:
        raise _FieldError("must not be empty")
    if len(value) > MAX_TEXT:
        raise _FieldError(f"is {len(value)} characters long; the limit is {MAX_TEXT}")
    if any(ord(c) < 32 and c not in "\n\t" for c in value):
        raise _FieldError("contains control characters")
    return value


def slug(value: Any) -> str:
    if not isinstance(value, str) or not SLUG.match(value):
        raise _FieldError(f"must be a slug (lower-case letters, digits and single hyphens), found {value!r}")
    return value


def one_of(*choices: str) -> Converter:
    def convert(value: Any) -> str:
        if value not in choices:
            raise _FieldError(f"must be one of {', '.join(choices)}; found {value!r}")
        return value
    return convert


def iso_date(value: Any) -> date:
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise _FieldError(f"must be a date written YYYY-MM-DD, found {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise _FieldError(f"is not a real date: {value!r} ({exc})") from None


def positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _FieldError(f"must be a whole number of at least 1, found {value!r}")
    return value


def url(value: Any) -> str:
    if not isinstance(value, str) or not URL.match(value):
        raise _FieldError(f"must be an http(s) URL without spaces, found {value!r}")
    return value


def domain(value: Any) -> str:
    if not isinstance(value, str) or not DOMAIN.fullmatch(value):
        raise _FieldError(f"must be a lower-case web domain like kbs.co.kr, found {value!r}")
    return value


def wikidata(value: Any) -> str:
    if not isinstance(value, str) or not WIKIDATA.match(value):
        raise _FieldError(f"must be a Wikidata item id like Q17, found {value!r}")
    return value


def lang_tag(value: Any) -> str:
    if not isinstance(value, str) or not LANG_TAG.match(value):
        raise _FieldError(f"must be a BCP 47 language tag like en or ja, found {value!r}")
    return value.lower()


def listed(convert: Converter) -> Converter:
    """A list of values, or a single value standing for a list of one."""

    def convert_list(value: Any) -> tuple:
        items = value if isinstance(value, list) else [value]
        out = []
        for index, item in enumerate(items):
            try:
                out.append(convert(item))
            except _FieldError as exc:
                raise _FieldError(f"item {index + 1}: {exc}", exc.subfield) from None
        if len(set(out)) != len(out):
            raise _FieldError("lists the same value twice")
        return tuple(out)
    return convert_list


def labels(value: Any) -> R.Labels:
    if isinstance(value, str):
        return R.Labels((("en", text(value)),))
    if not isinstance(value, dict):
        raise _FieldError("must be text or a mapping of language tag to text")
    pairs = []
    for tag, label in value.items():
        try:
            pairs.append((lang_tag(tag), text(label)))
        except _FieldError as exc:
            raise _FieldError(str(exc), str(tag)) from None
    if "en" not in dict(pairs):
        raise _FieldError("needs an English label (en)")
    return R.Labels(tuple(sorted(pairs)))


def _sub(convert: Converter, value: Any, name: str):
    try:
        return convert(value)
    except _FieldError as exc:
        raise _FieldError(str(exc), name + ("." + exc.subfield if exc.subfield else "")) from None


def _record_of(value: Any, spec: dict[str, tuple[Converter, bool]], what: str) -> dict:
    if not isinstance(value, dict):
        raise _FieldError(f"must be a mapping ({what})")
    unknown = sorted(set(value) - set(spec))
    if unknown:
        raise _FieldError(f"unknown key '{unknown[0]}'; allowed: {', '.join(spec)}", unknown[0])
    out = {}
    for name, (convert, required) in spec.items():
        if name not in value or value[name] is None:
            if required:
                raise _FieldError("is required", name)
            continue
        out[name] = _sub(convert, value[name], name)
    return out


def date_range(value: Any) -> R.DateRange:
    if isinstance(value, str):
        day = iso_date(value)
        return R.DateRange(day, day, "day")
    fields = _record_of(value, {
        "earliest": (iso_date, True),
        "latest": (iso_date, True),
        "precision": (one_of(*R.PRECISIONS), True),
        "phrase": (text, False),
        "resolved_against": (slug, False),
    }, "earliest, latest, precision, phrase, resolved_against")
    if fields["earliest"] > fields["latest"]:
        raise _FieldError(
            f"earliest {fields['earliest']} is after latest {fields['latest']}", "earliest")
    return R.DateRange(**fields)


def non_negative_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _FieldError(f"must be a whole number of at least 0, found {value!r}")
    return value


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _FieldError(f"must be true or false, found {value!r}")
    return value


CITATION_FIELDS = {
    "source": (slug, True),
    "quote": (text, False),
    "attributed_to": (slug, False),
    "reported_as": (one_of(*R.REPORTED_AS), False),
    "date": (date_range, False),
    "count": (non_negative_int, False),
    "followed": (boolean, False),
}


def citation(value: Any) -> R.Citation:
    if isinstance(value, str):
        return R.Citation(slug(value))
    return R.Citation(**_record_of(value, CITATION_FIELDS, ", ".join(CITATION_FIELDS)))


def citations(value: Any) -> tuple[R.Citation, ...]:
    found = listed(citation)(value)
    if not found:
        raise _FieldError("needs at least one source")
    sources = [c.source for c in found]
    duplicated = sorted({s for s in sources if sources.count(s) > 1})
    if duplicated:
        raise _FieldError(f"cites source '{duplicated[0]}' twice; give one citation per source")
    return found


# ---------------------------------------------------------------------------
# Schemas: section -> (record class, singular noun, {field: (converter, required)})
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    record: type
    noun: str
    fields: dict[str, tuple[Converter, bool]]
    refs: dict[str, str]  # field -> section it refers to


SCHEMAS: dict[str, Section] = {
    "sources": Section(R.Source, "source", {
        "type": (one_of(*R.SOURCE_TYPES), True),
        "title": (text, True),
        "publisher": (slug, True),
        "published": (iso_date, True),
        "url": (url, False),
        "republished_by": (slug, False),
        "language": (lang_tag, False),
    }, {"publisher": "agents", "republished_by": "agents"}),
    "agents": Section(R.Agent, "agent", {
        "type": (one_of(*R.AGENT_TYPES), True),
        "label": (labels, True),
        "country": (slug, False),
        "part_of": (slug, False),
        "description": (text, False),
        "wikidata": (wikidata, False),
        "domains": (listed(domain), False),
    }, {"country": "agents", "part_of": "agents"}),
    "places": Section(R.Place, "place", {
        "label": (labels, True),
        "country": (slug, False),
        "wikidata": (wikidata, False),
    }, {"country": "agents"}),
    "materials": Section(R.Material, "material", {
        "label": (labels, True),
        "used_in": (text, False),
        "description": (text, False),
        "sources": (citations, False),
    }, {}),
    "posts": Section(R.Post, "post", {
        "label": (labels, True),
        "post_in": (slug, True),
    }, {"post_in": "agents"}),
    "tenures": Section(R.Tenure, "tenure", {
        "post": (slug, True),
        "holder": (slug, True),
        "sources": (citations, True),
        "start": (iso_date, False),
        "end": (iso_date, False),
        "attested": (listed(iso_date), False),
        "in_office_as_of": (iso_date, False),
    }, {"post": "posts", "holder": "agents"}),
    "events": Section(R.Event, "event", {
        "type": (one_of(*R.EVENT_TYPES), True),
        "label": (labels, True),
        "date": (date_range, True),
        "sources": (citations, True),
        "actor": (listed(slug), False),
        "target": (listed(slug), False),
        "participant": (listed(slug), False),
        "representing": (listed(slug), False),
        "material": (listed(slug), False),
        "end_user": (listed(slug), False),
        "under_measure": (slug, False),
        "place": (slug, False),
        "material_count": (positive_int, False),
        "ordinal": (positive_int, False),
        "responds_to": (listed(slug), False),
        "in_capacity_of": (slug, False),
        "confidence": (one_of(*R.CONFIDENCE), False),
        "description": (text, False),
        "step_of": (slug, False),
        "step": (one_of(*R.STEP_KINDS), False),
        "agreement": (listed(slug), False),
        "case": (slug, False),
        "approval_count": (positive_int, False),
        "curation_note": (text, False),
        "amends": (slug, False),
        "status": (one_of(*R.EVENT_STATUSES), False),
        "short_label": (text, False),
    }, {"actor": "agents", "target": "agents", "participant": "agents", "representing": "agents",
        "material": "materials", "end_user": "agents", "under_measure": "events",
        "place": "places", "responds_to": "events", "in_capacity_of": "posts",
        "step_of": "events", "agreement": "agreements", "case": "cases", "amends": "events"}),
    "agreements": Section(R.Agreement, "agreement", {
        "label": (labels, True),
        "description": (text, False),
        "wikidata": (wikidata, False),
        "sources": (citations, False),
    }, {}),
    "cases": Section(R.Case, "case", {
        "label": (labels, True),
        "number": (text, False),
        "description": (text, False),
        "wikidata": (wikidata, False),
        "sources": (citations, False),
    }, {}),
    "statements": Section(R.Statement, "statement", {
        "type": (one_of(*R.STATEMENT_TYPES), True),
        "label": (labels, True),
        "speaker": (slug, True),
        "date": (date_range, True),
        "sources": (citations, True),
        "text": (text, False),
        "language": (lang_tag, False),
        "in_capacity_of": (slug, False),
        "place": (slug, False),
        "about": (listed(slug), False),
        "confidence": (one_of(*R.CONFIDENCE), False),
    }, {"speaker": "agents", "in_capacity_of": "posts", "place": "places", "about": "events"}),
}
assert set(SCHEMAS) == set(R.SECTIONS)

#: Which agent types a reference field accepts (None: any agent).
AGENT_REF_TYPES = {
    ("sources", "publisher"): {"NewsOrganisation", "GovernmentBody", "InternationalOrganisation",
                               "Organisation", "Firm"},
    ("sources", "republished_by"): {"NewsOrganisation", "Organisation"},
    ("agents", "country"): {"State"},
    ("places", "country"): {"State"},
    ("posts", "post_in"): {"State", "GovernmentBody", "InternationalOrganisation", "Organisation"},
    ("tenures", "holder"): {"Person"},
    ("events", "participant"): {"Person"},
    ("events", "representing"): {"State"},
    ("events", "end_user"): {"Firm"},
}

#: Which event types a reference to an event accepts.
EVENT_REF_TYPES = {
    ("events", "under_measure"): {"ExportControlTightening"},
    ("events", "step_of"): set(R.MEASURE_TYPES),
    ("events", "amends"): set(R.MEASURE_TYPES),
}


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------

def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read_yaml(path: Path) -> Any:
    from kg.errors import InputFileError
    from kg.files import FACTS_FILE_LIMIT, read_input

    name = _display(path)
    try:
        raw = read_input(path, FACTS_FILE_LIMIT, "a facts file")
    except InputFileError as exc:
        raise FactsError(name, exc.reason) from None
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
    check_references(facts)
    check_consistency(facts)
    resolve_quote_languages(facts)
    return facts


def _load_file(path: Path, facts: R.Facts, seen: dict) -> None:
    name = _display(path)
    document = _read_yaml(path)
    if document is None:
        return
    if not isinstance(document, dict):
        raise FactsError(name, "the file must be a mapping of section name to a list of entries",
                         line=1)
    for section_name, entries in document.items():
        line = document.key_lines.get(section_name)
        if section_name not in SCHEMAS:
            raise FactsError(name, f"unknown section '{section_name}'; sections are "
                             f"{', '.join(SCHEMAS)}", line=line)
        if not isinstance(entries, list):
            raise FactsError(name, f"section '{section_name}' must be a list of entries", line=line)
        for index, entry in enumerate(entries):
            record = _load_entry(name, section_name, index, entry)
            key = (section_name, record.id)
            if key in seen:
                first = seen[key]
                raise FactsError(name, f"duplicate id; '{record.id}' is already defined at "
                                 f"{first.file}:{first.line}",
                                 entry=f"{SCHEMAS[section_name].noun} '{record.id}'",
                                 field="id", line=record.origin.line)
            seen[key] = record.origin
            facts.section(section_name).append(record)


def _load_entry(file: str, section_name: str, index: int, entry: Any):
    schema = SCHEMAS[section_name]
    if not isinstance(entry, dict):
        raise FactsError(file, f"entry {index + 1} of '{section_name}' must be a mapping",
                         entry=f"{schema.noun} #{index + 1}")
    line = getattr(entry, "line", None)
    ident = entry.get("id")
    label = f"{schema.noun} '{ident}'" if isinstance(ident, str) else f"{schema.noun} #{index + 1}"
    try:
        ident = slug(ident) if ident is not None else None
    except _FieldError as exc:
        raise FactsError(file, str(exc), entry=label, field="id", line=line) from None
    if ident is None:
        raise FactsError(file, "is required", entry=label, field="id", line=line)
    spec = {"id": (slug, True), **schema.fields}
    try:
        fields = _record_of(entry, spec, ", ".join(spec))
    except _FieldError as exc:
        top = (exc.subfield or "").split(".")[0]
        field_line = entry.key_lines.get(top, line) if hasattr(entry, "key_lines") else line
        raise FactsError(file, str(exc), entry=label, field=exc.subfield, line=field_line) from None
    return schema.record(origin=R.Origin(file, line or 0), **fields)


def _fail(record, message: str, field: str | None = None) -> FactsError:
    section = next(name for name, s in SCHEMAS.items() if isinstance(record, s.record))
    return FactsError(record.origin.file, message, entry=f"{SCHEMAS[section].noun} '{record.id}'",
                      field=field, line=record.origin.line or None)


def check_references(facts: R.Facts) -> None:
    """Every reference names an existing record of the right section and kind."""
    index = {name: {r.id: r for r in facts.section(name)} for name in R.SECTIONS}
    for section_name, schema in SCHEMAS.items():
        for record in facts.section(section_name):
            for field, target in schema.refs.items():
                value = getattr(record, field)
                for ref in value if isinstance(value, tuple) else (value,):
                    if ref is None:
                        continue
                    found = index[target].get(ref)
                    if found is None:
                        raise _fail(record, f"refers to unknown {SCHEMAS[target].noun} '{ref}'", field)
                    allowed = (AGENT_REF_TYPES.get((section_name, field))
                               or EVENT_REF_TYPES.get((section_name, field)))
                    if allowed and found.type not in allowed:
                        raise _fail(record, f"'{ref}' is a {found.type}; expected "
                                    f"{' or '.join(sorted(allowed))}", field)
            for field in ("sources",):
                for cite in getattr(record, field, ()) or ():
                    if cite.source not in index["sources"]:
                        raise _fail(record, f"cites unknown source '{cite.source}'", "sources")
                    if cite.attributed_to and cite.attributed_to not in index["agents"]:
                        raise _fail(record, f"attributes a claim to unknown agent "
                                    f"'{cite.attributed_to}'", "sources.attributed_to")
            when = getattr(record, "date", None)
            if when is not None and when.resolved_against and when.resolved_against not in index["sources"]:
                raise _fail(record, f"date resolved against unknown source '{when.resolved_against}'",
                            "date.resolved_against")


def check_consistency(facts: R.Facts) -> None:
    """Rules across records that a curator can break: dates against sources, duplicates."""
    published = {s.id: s.published for s in facts.sources}
    for tenure in facts.tenures:
        if tenure.start and tenure.end and tenure.end < tenure.start:
            raise _fail(tenure, f"end {tenure.end} is before start {tenure.start}", "end")
        for day in tenure.attested:
            if (tenure.start and day < tenure.start) or (tenure.end and day > tenure.end):
                raise _fail(tenure, f"attested day {day} lies outside the tenure", "attested")
    for event in facts.events:
        is_step = event.type == "MeasureStep"
        if is_step and not (event.step_of and event.step):
            raise _fail(event, "a MeasureStep needs 'step_of' (its measure) and 'step' (its kind)",
                        "step_of" if not event.step_of else "step")
        if not is_step and (event.step_of or event.step):
            raise _fail(event, "only a MeasureStep has 'step_of' and 'step'", "type")
        if event.case and event.type not in ("LegalProceedingStep", "CourtRuling"):
            raise _fail(event, "only a LegalProceedingStep or CourtRuling is part of a case", "case")
        if event.amends and event.type not in R.MEASURE_TYPES:
            raise _fail(event, "only a measure amends another measure", "amends")
        if event.amends == event.id:
            raise _fail(event, "a measure cannot amend itself", "amends")
    signatures: dict[tuple, R.Event] = {}
    for record in [*facts.events, *facts.statements]:
        for cite in record.sources:
            if cite.followed is not None and not any(c.date or c.count is not None
                                                     for c in record.sources):
                raise _fail(record, "'followed' marks one of disagreeing claims; give the "
                            "disagreeing 'date' or 'count' on the citations", "sources.followed")
            if cite.reported_as == "past" and record.date.earliest > published[cite.source]:
                raise _fail(record, f"earliest {record.date.earliest} is after {published[cite.source]}, "
                            f"when source '{cite.source}' reported it as past", "date.earliest")
            if cite.reported_as == "future" and record.date.latest < published[cite.source]:
                raise _fail(record, f"latest {record.date.latest} is before {published[cite.source]}, "
                            f"when source '{cite.source}' reported it as still to come", "date.latest")
        if record.date.resolved_against:
            anchor = published[record.date.resolved_against]
            if not record.date.phrase:
                raise _fail(record, "resolved_against needs the phrase it resolved", "date.phrase")
            if record.date.earliest > anchor + timedelta(days=366) or record.date.latest < anchor - timedelta(days=3660):
                raise _fail(record, f"dates lie implausibly far from {anchor}, the date they were "
                            "resolved against", "date")
        if isinstance(record, R.Event):
            signature = (record.type, record.date.earliest, record.date.latest, record.actor,
                         record.target, record.participant, record.material, record.end_user,
                         record.ordinal, record.step_of, record.step, record.case)
            if signature in signatures:
                first = signatures[signature]
                raise _fail(record, f"duplicates event '{first.id}' ({first.origin.file}:"
                            f"{first.origin.line}): same type, dates, actors, targets and "
                            "materials; merge their sources into one event", "id")
            signatures[signature] = record


def resolve_quote_languages(facts: R.Facts) -> None:
    """Tag each citation's quote with its source's language: quotes are verbatim, so a
    quote from a Japanese article is Japanese text, whatever the record's language."""
    language = {source.id: source.language for source in facts.sources}
    for name in R.SECTIONS:
        records = facts.section(name)
        for index, record in enumerate(records):
            cites = getattr(record, "sources", None)
            if not isinstance(cites, tuple) or not cites:
                continue
            records[index] = replace(record, sources=tuple(
                replace(cite, quote_language=language[cite.source]) for cite in cites))
