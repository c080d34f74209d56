"""Locating graph nodes in the facts files, so validation results point at the entry and field
a curator edits."""

from __future__ import annotations

from kg.graph import iris

FIELD_BY_PROPERTY = {
    "earliestDate": "date.earliest", "latestDate": "date.latest", "datePrecision": "date.precision",
    "dateText": "date.phrase", "dateResolvedAgainst": "date.resolved_against",
    "source": "sources", "hasClaim": "sources", "actor": "actor", "target": "target",
    "participant": "participant", "representing": "representing", "concernsMaterial": "material",
    "endUser": "end_user", "underMeasure": "under_measure", "ordinal": "ordinal",
    "materialCount": "material_count", "speaker": "speaker", "statementText": "text",
    "tenureOf": "post", "holder": "holder", "startDate": "start", "endDate": "end",
    "attestedOn": "attested", "postIn": "post_in", "label": "label", "publishedOn": "published",
    "publisher": "publisher", "title": "title", "url": "url", "inCapacityOf": "in_capacity_of",
    "respondsTo": "responds_to", "place": "place", "confidence": "confidence", "about": "about",
    "usedIn": "used_in", "nationality": "country", "location": "country",
    "containedInPlace": "country", "exactMatch": "wikidata",
    "eventStatus": "status", "shortLabel": "short_label", "webDomain": "domains",
    "inOfficeAsOf": "in_office_as_of",
}

def locator(facts):
    """``(focus, path) -> (location, field)`` for validation results on curated records."""
    from kg.facts.loader import SCHEMAS

    where: dict[str, str] = {}
    for section, schema in SCHEMAS.items():
        for record in facts.section(section):
            line = f":{record.origin.line}" if record.origin.line else ""
            where[iris.resource_iri(section, record.id)] = (
                f"{record.origin.file}{line}: {schema.noun} '{record.id}'")
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
