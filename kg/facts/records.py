"""Typed records of the curated facts: one frozen dataclass per kind, made from the schema.

The classes are generated from :mod:`kg.facts.schema` (``Event``, ``Source``, ``DateRange``,
``Citation`` ...), so a new field there is a new attribute here with no further edit. Nothing
here touches RDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass
from datetime import date

from kg.facts import schema


@dataclass(frozen=True)
class Origin:
    """Where a record came from, for error messages that point at the facts file."""

    file: str
    line: int


@dataclass(frozen=True)
class Labels:
    """Labels by language tag, sorted by tag; English is required."""

    by_lang: tuple[tuple[str, str], ...]

    @property
    def en(self) -> str:
        return dict(self.by_lang)["en"]


def _record_class(kind: schema.Kind, extra: tuple = ()) -> type:
    """A frozen dataclass with ``id`` and ``origin`` (for sections), then the kind's fields."""
    required = [(f.key, object) for f in kind.fields if f.required]
    optional = [(f.key, object, field(default=() if f.many else f.default))
                for f in kind.fields if not f.required]
    head = [("id", str), ("origin", Origin)] if kind.name in schema.SECTIONS else []
    cls = make_dataclass(kind.record, head + required + optional + list(extra), frozen=True)
    cls.__module__ = __name__
    cls.__doc__ = f"A {kind.noun} of the curated facts (fields: kg.facts.schema, kind '{kind.name}')."
    return cls


DateRange = _record_class(schema.DATERANGE)
#: ``quote_language`` is not written by curators: the loader sets it to the cited source's language.
Citation = _record_class(schema.CITATION, (("quote_language", str, field(default="en")),))
Source = _record_class(schema.SOURCES)
Agent = _record_class(schema.AGENTS)
Place = _record_class(schema.PLACES)
Material = _record_class(schema.MATERIALS)
Post = _record_class(schema.POSTS)
Tenure = _record_class(schema.TENURES)
Agreement = _record_class(schema.AGREEMENTS)
Case = _record_class(schema.CASES)
Event = _record_class(schema.EVENTS)
Statement = _record_class(schema.STATEMENTS)
#: The record class of each section and part, by kind name.
CLASSES = {cls.__name__: cls for cls in (DateRange, Citation, Source, Agent, Place, Material, Post,
                                         Tenure, Agreement, Case, Event, Statement)}
SECTIONS = tuple(schema.SECTIONS)
_BY_NAME = {**CLASSES, "Labels": Labels, "Origin": Origin}


def _section(self, name: str) -> list:
    return getattr(self, name)


def _count(self) -> int:
    return sum(len(self.section(name)) for name in SECTIONS)


#: All curated records, by section, in file order (one list attribute per section).
Facts = make_dataclass("Facts", [(name, list, field(default_factory=list)) for name in SECTIONS],
                       namespace={"section": _section, "count": _count})
Facts.__module__ = __name__


def to_json(value):
    """A record (or any value inside one) as JSON-ready data, to cache a file's records."""
    if isinstance(value, tuple):
        return {"t": [to_json(v) for v in value]}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if hasattr(value, "__dataclass_fields__"):
        return {"c": type(value).__name__,
                "f": {name: to_json(getattr(value, name)) for name in value.__dataclass_fields__}}
    return value


def from_json(value):
    """The inverse of :func:`to_json`."""
    if isinstance(value, dict):
        if "t" in value:
            return tuple(from_json(v) for v in value["t"])
        if "d" in value:
            return date.fromisoformat(value["d"])
        cls = _BY_NAME[value["c"]]
        return cls(**{name: from_json(v) for name, v in value["f"].items()})
    return value
