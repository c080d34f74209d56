"""Locating graph nodes in the facts files, so validation results point at the entry and field
a curator edits. Which field a property comes from follows from the schema."""

from __future__ import annotations

from kg.facts.schema import PARTS, SECTIONS
from kg.graph import iris


def _local(curie: str) -> str:
    return curie.split(":", 1)[1]


def _fields_by_property() -> dict[str, str]:
    """Property local name -> the field (dotted for parts: ``date.earliest``) it is written from."""
    found: dict[str, str] = {"hasClaim": "sources", "label": "label"}
    for kind in SECTIONS.values():
        for field in kind.fields:
            if field.type == "daterange":
                for sub in PARTS["daterange"].fields:
                    for prop in sub.properties:
                        found.setdefault(_local(prop), f"{field.key}.{sub.key}")
            elif field.type == "labels":
                found.setdefault("label", field.key)
            for prop in field.properties:
                found.setdefault(_local(prop), field.key)
    for sub in PARTS["citations"].fields:
        for prop in sub.properties:
            found.setdefault(_local(prop), sub.key)
    return found


FIELD_BY_PROPERTY = _fields_by_property()


def locator(facts):
    """``(focus, path) -> (location, field)`` for validation results on curated records."""
    where: dict[str, str] = {}
    for section, kind in SECTIONS.items():
        for record in facts.section(section):
            line = f":{record.origin.line}" if record.origin.line else ""
            where[iris.resource_iri(section, record.id)] = (
                f"{record.origin.file}{line}: {kind.noun} '{record.id}'")
    claim_prefix = iris.PREFIXES["claim"]

    def locate(focus, path):
        focus = str(focus)
        field = None
        if path is not None:
            field = FIELD_BY_PROPERTY.get(str(path).rsplit("#", 1)[-1].rsplit("/", 1)[-1])
        if focus.startswith(claim_prefix):
            segment, slug, _source = focus[len(claim_prefix):].split("--", 2)
            section = next(k for k, v in iris.KIND_SEGMENTS.items() if v == segment)
            focus = iris.resource_iri(section, slug)
            field = "sources" + (f".{field}" if field and field != "sources" else "")
        return where.get(focus), field

    return locate
