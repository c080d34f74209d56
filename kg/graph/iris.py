"""Base IRIs and prefixes as plain strings.

Kept free of rdflib so that the fast query path (a cached graph queried with
pyoxigraph) never pays rdflib's import time.
"""

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


def resource_iri(kind: str, slug: str) -> str:
    """IRI of a curated record: ``{ID}{segment}/{slug}``, stable as long as the slug is."""
    return f"{ID}{KIND_SEGMENTS[kind]}/{slug}"
