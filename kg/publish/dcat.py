"""A dataset description for catalogues (DCAT 3) and for dataset search engines (schema.org).

``dcat.ttl`` describes the dataset (the VoID description's dataset, same
IRI) with one ``dcat:Distribution`` per release file: its download IRI, media
type, ``dcat:byteSize`` and SHA-256 (``spdx:checksum``), so a catalogue can
list the files and a user can check a download. ``dataset.jsonld`` says the
same for search engines as a schema.org ``Dataset``. Version, licence and
dates come from the version source (``kg.__version__``) and the ontology
header it is checked against; nothing reads the clock.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from kg.graph import iris

DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
XSD = iris.PREFIXES["xsd"]
DCTERMS = iris.PREFIXES["dcterms"]
SCHEMA = iris.PREFIXES["schema"]
DATASET = iris.BASE + "dataset"
DCAT_FILE, SCHEMA_FILE = "dcat.ttl", "dataset.jsonld"
MEDIA_TYPES_BASE = "https://www.iana.org/assignments/media-types/"
#: File suffix -> IANA media type. JSON Lines has none registered, so events.jsonl gets a
#: dcterms:format only.
MEDIA_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
               ".trig": "application/trig", ".csv": "text/csv", ".json": "application/csvm+json",
               ".html": "text/html", ".svg": "image/svg+xml", ".xml": "application/xml",
               ".md": "text/markdown", ".cff": "application/yaml"}
FORMAT_NAMES = {".jsonl": "JSON Lines (one JSON object per line)"}
KEYWORDS = ("export controls", "Japan", "South Korea", "trade dispute", "event data", "knowledge graph")
TITLE = "dispute-kg"
DESCRIPTION = ("A sourced knowledge graph of the 2019-2023 Japan-South Korea export-control dispute: "
               "events, measures, meetings, statements, officials and the source documents and claims "
               "every fact rests on, as RDF (with an OWL ontology and SHACL shapes), event-data tables "
               "and PLOVER-style JSON lines.")


@dataclass(frozen=True)
class About:
    """What the descriptions say about the release as a whole."""

    version: str
    license: str | None
    issued: str | None
    modified: str | None
    temporal: tuple[str, str] | None = None


def media_type(name: str) -> str | None:
    """The IANA media type of a release file, by its suffix (None where none is registered)."""
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    return MEDIA_TYPES.get(".json" if name.endswith("-metadata.json") else suffix)


def download(version: str, name: str) -> str:
    return f"{iris.BASE}release/{version}/{name}"


def distribution(name: str) -> str:
    return f"{DATASET}/distribution/{name}"


def dcat_ntriples(files: dict[str, bytes], about: About, void_name: str) -> bytes:
    """The DCAT description as sorted N-Triples (no blank nodes: every node has an IRI).

    Args:
        files: release files to describe, by name.
        about: version, licence and dates.
        void_name: the VoID file, linked with rdfs:seeAlso.
    """
    import pyoxigraph as ox

    def node(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    triples = []

    def add(s: str, p: str, o) -> None:
        triples.append(ox.Triple(node(s), node(p), o))

    rdf_type, en = iris.PREFIXES["rdf"] + "type", "en"
    add(DATASET, rdf_type, node(DCAT + "Dataset"))
    add(DATASET, DCTERMS + "title", ox.Literal(TITLE, language=en))
    add(DATASET, DCTERMS + "description", ox.Literal(DESCRIPTION, language=en))
    add(DATASET, DCAT + "version", ox.Literal(about.version))
    add(DATASET, DCTERMS + "conformsTo", node(iris.ONTOLOGY_IRI))
    add(DATASET, iris.PREFIXES["rdfs"] + "seeAlso", node(download(about.version, void_name)))
    for keyword in KEYWORDS:
        add(DATASET, DCAT + "keyword", ox.Literal(keyword, language=en))
    for predicate, day in (("issued", about.issued), ("modified", about.modified)):
        if day:
            add(DATASET, DCTERMS + predicate, ox.Literal(day, datatype=node(XSD + "date")))
    if about.license:
        add(DATASET, DCTERMS + "license", node(about.license))
    for name, data in sorted(files.items()):
        dist, checksum = distribution(name), distribution(name) + "/sha256"
        add(DATASET, DCAT + "distribution", node(dist))
        add(dist, rdf_type, node(DCAT + "Distribution"))
        add(dist, DCTERMS + "title", ox.Literal(name))
        add(dist, DCAT + "downloadURL", node(download(about.version, name)))
        add(dist, DCAT + "accessURL", node(download(about.version, name)))
        add(dist, DCAT + "byteSize", ox.Literal(str(len(data)), datatype=node(XSD + "nonNegativeInteger")))
        kind, described = media_type(name), FORMAT_NAMES.get(name[name.rfind("."):])
        if kind:
            add(dist, DCAT + "mediaType", node(MEDIA_TYPES_BASE + kind))
        if described:
            add(dist, DCTERMS + "format", ox.Literal(described, language=en))
        if about.license:
            add(dist, DCTERMS + "license", node(about.license))
        add(dist, SPDX + "checksum", node(checksum))
        add(checksum, rdf_type, node(SPDX + "Checksum"))
        add(checksum, SPDX + "algorithm", node(SPDX + "checksumAlgorithm_sha256"))
        add(checksum, SPDX + "checksumValue", ox.Literal(hashlib.sha256(data).hexdigest(),
                                                         datatype=node(XSD + "hexBinary")))
    return ("\n".join(sorted(f"{t} ." for t in triples)) + "\n").encode("utf-8")


def schema_org(files: dict[str, bytes], about: About, context: dict) -> bytes:
    """A schema.org ``Dataset`` in JSON-LD (the release's inline context, no remote one).

    Args:
        files: the release files to list as downloads, by name.
        about: version, licence, dates and the days the events span.
        context: the release's JSON-LD context (it binds ``schema:`` and ``xsd:``).
    """
    document = {
        "@context": context,
        "@id": DATASET,
        "@type": "schema:Dataset",
        "schema:name": TITLE,
        "schema:description": DESCRIPTION,
        "schema:version": about.version,
        "schema:keywords": list(KEYWORDS),
        "schema:isAccessibleForFree": True,
        "schema:distribution": [
            {"@id": download(about.version, name), "@type": "schema:DataDownload", "schema:name": name,
             "schema:contentUrl": download(about.version, name),
             **({"schema:encodingFormat": media_type(name)} if media_type(name) else {})}
            for name in sorted(files)],
    }
    if about.license:
        document["schema:license"] = {"@id": about.license}
    for key, day in (("schema:datePublished", about.issued), ("schema:dateModified", about.modified)):
        if day:
            document[key] = {"@value": day, "@type": "xsd:date"}
    if about.temporal:
        document["schema:temporalCoverage"] = f"{about.temporal[0]}/{about.temporal[1]}"
    return (json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
