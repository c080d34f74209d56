"""schema.org descriptions embedded in each page (JSON-LD), for search engines and tools.

The context is inline (``@vocab``), never a remote document, so a reader needs no network to
expand it; it expands to the same schema.org terms the remote context would.
"""

from __future__ import annotations

from kg.graph import iris
from kg.publish.site.graph import Literal
from kg.publish.site.model import DKG, Resource, SiteModel

SCHEMA = iris.PREFIXES["schema"]
CONTEXT = {"@vocab": SCHEMA}
#: Our class -> schema.org type; the first of a resource's classes found here wins.
TYPES = (
    (DKG + "Event", "Event"),
    (DKG + "Person", "Person"),
    (DKG + "NewsReport", "NewsArticle"),
    (DKG + "Report", "Report"),
    (DKG + "OfficialDocument", "DigitalDocument"),
    (DKG + "GovernmentBody", "GovernmentOrganization"),
    (DKG + "Court", "GovernmentOrganization"),
    (DKG + "State", "Country"),
    (DKG + "NewsOrganisation", "NewsMediaOrganization"),
    (DKG + "Firm", "Corporation"),
    (DKG + "AnonymousSource", "Thing"),
    (DKG + "Agent", "Organization"),
    (DKG + "Place", "Place"),
    (DKG + "Agreement", "Legislation"),
    (DKG + "Claim", "Claim"),
)
SKOS_EXACT = iris.PREFIXES["skos"] + "exactMatch"


def schema_type(resource: Resource) -> str:
    return next((name for cls, name in TYPES if cls in resource.classes), "Thing")


def describe(model: SiteModel, resource: Resource) -> dict:
    """A schema.org node for one resource: names, dates, people and organisations involved."""
    graph, iri = model.graph, resource.iri
    node = {"@context": CONTEXT, "@id": iri, "@type": schema_type(resource), "name": resource.title,
            "url": iri}
    others = sorted({lit.value for lit in graph.labels(iri)} - {resource.title})
    if others:
        node["alternateName"] = others
    same = sorted(o for o in graph.objects(iri, SKOS_EXACT) if isinstance(o, str))
    if same:
        node["sameAs"] = same
    if node["@type"] == "Event":
        _event(model, iri, node)
    elif resource.classes & {DKG + "SourceDocument"}:
        _document(model, iri, node)
    return node


def _event(model: SiteModel, iri: str, node: dict) -> None:
    graph = model.graph
    for key, predicate in (("startDate", "earliestDate"), ("endDate", "latestDate")):
        day = graph.first(iri, DKG + predicate)
        if isinstance(day, Literal):
            node[key] = day.value
    people = _names(model, iri, ("actor", "participant", "speaker"))
    if people:
        node["performer"] = people
    place = graph.first(iri, DKG + "place")
    if isinstance(place, str) and place in model.resources:
        node["location"] = {"@type": "Place", "@id": place, "name": model.resources[place].title}
    if graph.first(iri, DKG + "eventStatus") == DKG + "planned":
        node["eventStatus"] = "EventScheduled"   # schema.org has no word for "unconfirmed"


def _document(model: SiteModel, iri: str, node: dict) -> None:
    graph = model.graph
    node["headline"] = node["name"]
    day = graph.first(iri, DKG + "publishedOn")
    if isinstance(day, Literal):
        node["datePublished"] = day.value
    url = graph.first(iri, SCHEMA + "url")
    if isinstance(url, Literal):
        node["url"] = url.value
    publisher = _names(model, iri, ("publisher",))
    if publisher:
        node["publisher"] = publisher[0]
    language = graph.first(iri, iris.PREFIXES["dcterms"] + "language")
    if isinstance(language, Literal):
        node["inLanguage"] = language.value


def _names(model: SiteModel, iri: str, predicates: tuple[str, ...]) -> list[dict]:
    found = []
    for predicate in predicates:
        for target in model.graph.objects(iri, DKG + predicate):
            resource = model.resources.get(target) if isinstance(target, str) else None
            if resource is not None:
                found.append({"@type": schema_type(resource), "@id": target, "name": resource.title})
    return sorted(found, key=lambda n: n["@id"])


def dataset(title: str, description: str, version: str, license_iri: str | None,
            downloads: list[tuple[str, str]], start: str | None, end: str | None) -> dict:
    """The index page's Dataset: what the release is, its licence, coverage and downloads.

    Args:
        downloads: (file name, media type) of each release file, linked relative to the index.
    """
    node = {"@context": CONTEXT, "@type": "Dataset", "@id": iris.BASE, "name": title,
            "description": description, "version": version, "url": iris.BASE,
            "distribution": [{"@type": "DataDownload", "contentUrl": f"{iris.BASE}release/{version}/{name}",
                              "encodingFormat": media, "name": name} for name, media in downloads]}
    if license_iri:
        node["license"] = license_iri
    if start and end:
        node["temporalCoverage"] = f"{start}/{end}"
    return node
