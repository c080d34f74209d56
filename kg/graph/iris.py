"""Base IRIs and prefixes as plain strings.

Kept free of rdflib so that the fast query path (a cached graph queried with
pyoxigraph) never pays rdflib's import time.
"""

import functools
import re
from collections.abc import Mapping

BASE = "https://w3id.org/dispute-kg/"
ONTOLOGY_IRI = BASE + "ontology"
DKG = ONTOLOGY_IRI + "#"
ID = BASE + "id/"

#: Path segment of resource IRIs for each kind of curated record.
KIND_SEGMENTS = {
    "sources": "source",
    "agents": "agent",
    "places": "place",
    "materials": "material",
    "posts": "post",
    "tenures": "tenure",
    "agreements": "agreement",
    "cases": "case",
    "events": "event",
    "statements": "statement",
    "claims": "claim",
}

PREFIXES = {
    "dkg": DKG,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "vann": "http://purl.org/vocab/vann/",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "wd": "http://www.wikidata.org/entity/",
}
for _kind, _segment in KIND_SEGMENTS.items():
    PREFIXES[_segment] = f"{ID}{_segment}/"


def longest_first(prefixes: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """A prefix table as ``(prefix, namespace)`` pairs, longest namespace first (``event:``
    before the ``id/`` namespace it lies in), for :func:`split`."""
    return tuple(sorted(((p, str(ns)) for p, ns in prefixes.items()), key=lambda kv: (-len(kv[1]), kv[0])))


KNOWN = longest_first(PREFIXES)
#: A local name that reads as a name in a message or a slug.
_PLAIN_LOCAL = re.compile(r"[\w.-]+")


@functools.lru_cache(maxsize=65536)
def split(iri: str, plain: bool = False, namespaces: tuple[tuple[str, str], ...] = KNOWN) -> tuple[str, str] | None:
    """``(prefix, local name)`` of an IRI under the longest namespace it starts with, or None.

    The package's one rule for shortening IRIs (query results, pages, diffs, messages, VoID
    slugs). With ``plain``, the local name must be letters, digits, ``_``, ``-`` or ``.``
    (``event:a/b`` is no name to print in a message) and a shorter namespace is tried next.
    JSON-LD compaction has its own rule (a term must be safe to read back,
    :func:`kg.graph.rdfio.jsonld_document`).
    """
    for prefix, namespace in namespaces:
        if iri.startswith(namespace):
            local = iri[len(namespace):]
            if not plain or _PLAIN_LOCAL.fullmatch(local):
                return prefix, local
    return None


def compact(iri: str, plain: bool = False, namespaces: tuple[tuple[str, str], ...] = KNOWN) -> str:
    """``prefix:local`` for an IRI under a known namespace (see :func:`split`), else the IRI."""
    found = split(iri, plain, namespaces)
    return f"{found[0]}:{found[1]}" if found else iri


def resource_iri(kind: str, slug: str) -> str:
    """IRI of a curated record: ``{ID}{segment}/{slug}``, stable as long as the slug is."""
    return f"{ID}{KIND_SEGMENTS[kind]}/{slug}"
