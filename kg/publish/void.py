"""A VoID description of the release: what the dataset holds, where its files are, what it links to.

The counts are taken from the released N-Triples (as pyoxigraph triples), not from an rdflib
graph of them: building one costs more than the rest of the description.

Statistics describe the inferred graph (what the stored queries and a SPARQL
endpoint answer from); the asserted graph and the facts by source are
subsets with their own counts. Download IRIs follow the versioned pattern of
the ontology's versionIRI: ``https://w3id.org/dispute-kg/release/<version>/<file>``.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, SKOS, VOID, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, XSD

from kg.errors import ReleaseError
from kg.graph import iris
from kg.graph.namespaces import new_graph

FORMATS = Namespace("http://www.w3.org/ns/formats/")
FEATURES = {".ttl": FORMATS.Turtle, ".nt": FORMATS["N-Triples"], ".jsonld": FORMATS["JSON-LD"],
            ".trig": FORMATS.TriG}
LINK_PREDICATES = (SKOS.exactMatch, SKOS.closeMatch)
#: Datasets we link to: namespace -> (slug, title, homepage).
LINK_TARGETS = {
    "http://www.wikidata.org/entity/": ("wikidata", "Wikidata", "https://www.wikidata.org/"),
}
DATASET = URIRef(iris.BASE + "dataset")
RDF_TYPE = str(RDF.type)


def part(name: str) -> URIRef:
    return URIRef(f"{DATASET}/{name}")


def dump(version: str, name: str) -> URIRef:
    return URIRef(f"{iris.BASE}release/{version}/{name}")


def check_endpoint(url: str) -> str:
    """An endpoint address as given, if it is an absolute http(s) IRI.

    Raises:
        ReleaseError: anything else (it would make the VoID file unreadable).
    """
    if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", url):
        raise ReleaseError(f"--sparql-endpoint must be an http(s) address, found {url!r}")
    return url


def statistics(triples: list) -> dict[URIRef, int]:
    """VoID counts of distinct pyoxigraph triples; entities are the IRIs in our resource
    namespace (void:uriSpace)."""
    import pyoxigraph as ox

    subjects = {t.subject for t in triples}
    return {
        VOID.triples: len(triples),
        VOID.entities: sum(1 for s in subjects if isinstance(s, ox.NamedNode) and s.value.startswith(iris.ID)),
        VOID.classes: len({t.object for t in triples if t.predicate.value == RDF_TYPE}),
        VOID.properties: len({t.predicate for t in triples}),
        VOID.distinctSubjects: len(subjects),
        VOID.distinctObjects: len({t.object for t in triples}),
    }


def _slug(term: URIRef) -> str:
    """A readable, IRI-safe name for a class or property: ``dkg-Event``, else the escaped IRI."""
    found = iris.split(str(term), plain=True)
    return f"{found[0]}-{quote(found[1], safe='')}" if found else quote(str(term), safe="")


def _describe(graph: Graph, node: URIRef, title: str, stats: dict, version: str, dumps: list[str]):
    graph.add((node, RDF.type, VOID.Dataset))
    graph.add((node, DCTERMS.title, Literal(title, lang="en")))
    for predicate, count in stats.items():
        graph.add((node, predicate, Literal(count, datatype=XSD.integer)))
    for name in dumps:
        graph.add((node, VOID.dataDump, dump(version, name)))
        feature = FEATURES.get(name[name.rfind("."):])
        if feature is not None:
            graph.add((node, VOID.feature, feature))


def void_graph(*, version: str, inferred: bytes, asserted: int, facts: int, license: URIRef | None,
               dumps: dict[str, list[str]], sparql_endpoint: str | None = None,
               see_also: list[str] = ()) -> Graph:
    """The VoID description.

    Args:
        version: the release version (kg.__version__).
        inferred: the inferred graph, the dataset proper, as sorted N-Triples.
        asserted: how many triples the asserted graph (ontology plus facts) has.
        facts: how many triples the curated facts alone have (what the TriG file splits by source).
        license: the data licence IRI (the ontology's dcterms:license).
        dumps: file names by part: ``inferred``, ``asserted``, ``by-source``.
        sparql_endpoint: where the dataset is served, if anywhere.
        see_also: release files that describe the dataset further (the DCAT description).

    Returns:
        A graph without blank nodes.
    """
    import pyoxigraph as ox

    triples = list(ox.parse(inferred, format=ox.RdfFormat.N_TRIPLES))
    graph = new_graph()
    graph.bind("void", VOID)
    graph.bind("formats", FORMATS)
    description = URIRef(iris.BASE + "void")
    graph.add((description, RDF.type, VOID.DatasetDescription))
    graph.add((description, DCTERMS.title, Literal(f"VoID description of dispute-kg {version}", lang="en")))
    graph.add((description, FOAF.primaryTopic, DATASET))

    _describe(graph, DATASET, "dispute-kg", statistics(triples), version, dumps["inferred"])
    graph.add((DATASET, DCTERMS.description, Literal(
        "A sourced knowledge graph of the 2019-2023 Japan-South Korea export-control dispute, with its "
        "OWL 2 RL closure: events, measures, meetings, statements, officials and the source documents "
        "and claims every fact rests on.", lang="en")))
    graph.add((DATASET, OWL.versionInfo, Literal(version)))
    graph.add((DATASET, VOID.uriSpace, Literal(iris.ID)))
    graph.add((DATASET, DCTERMS.conformsTo, URIRef("https://w3id.org/dispute-kg/shapes#")))
    if license is not None:
        graph.add((DATASET, DCTERMS.license, license))
    if sparql_endpoint:
        graph.add((DATASET, VOID.sparqlEndpoint, URIRef(check_endpoint(sparql_endpoint))))
    for namespace in sorted({_namespace(t.value) for t in _vocabulary(triples)}):
        graph.add((DATASET, VOID.vocabulary, URIRef(namespace)))
    _partitions(graph, triples)
    for name in see_also:
        graph.add((DATASET, RDFS.seeAlso, dump(version, name)))

    for name, title, count in (("asserted", "dispute-kg, asserted triples only", asserted),
                                 ("by-source", "dispute-kg curated facts, one named graph per source "
                                               "document", facts)):
        _describe(graph, part(name), title, {VOID.triples: count}, version, dumps[name])
        graph.add((DATASET, VOID.subset, part(name)))
    _linksets(graph, triples)
    return graph


def _vocabulary(triples: list):
    yield from (t.predicate for t in triples)
    yield from (t.object for t in triples if t.predicate.value == RDF_TYPE)


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:cut + 1]


def _partitions(graph: Graph, triples: list) -> None:
    classes = Counter(t.object.value for t in triples if t.predicate.value == RDF_TYPE)
    for cls, count in sorted(classes.items()):
        node = part(f"class/{_slug(URIRef(cls))}")
        graph.add((DATASET, VOID.classPartition, node))
        graph.add((node, VOID["class"], URIRef(cls)))
        graph.add((node, VOID.entities, Literal(count, datatype=XSD.integer)))
    properties = Counter(t.predicate.value for t in triples)
    for prop, count in sorted(properties.items()):
        node = part(f"property/{_slug(URIRef(prop))}")
        graph.add((DATASET, VOID.propertyPartition, node))
        graph.add((node, VOID.property, URIRef(prop)))
        graph.add((node, VOID.triples, Literal(count, datatype=XSD.integer)))


def _linksets(graph: Graph, triples: list) -> None:
    """One void:Linkset per link predicate and target dataset that has at least one link."""
    for namespace, (slug, title, homepage) in sorted(LINK_TARGETS.items()):
        target = part(slug)
        described = False
        for predicate in LINK_PREDICATES:
            count = sum(1 for t in triples if t.predicate.value == str(predicate) and t.object.value.startswith(namespace))
            if not count:
                continue
            linkset = part(f"links/{slug}/{_slug(predicate)}")
            graph.add((DATASET, VOID.subset, linkset))
            graph.add((linkset, RDF.type, VOID.Linkset))
            graph.add((linkset, VOID.linkPredicate, predicate))
            graph.add((linkset, VOID.subjectsTarget, DATASET))
            graph.add((linkset, VOID.objectsTarget, target))
            graph.add((linkset, VOID.triples, Literal(count, datatype=XSD.integer)))
            described = True
        if described:
            graph.add((target, RDF.type, VOID.Dataset))
            graph.add((target, DCTERMS.title, Literal(title, lang="en")))
            graph.add((target, RDFS.label, Literal(title, lang="en")))
            graph.add((target, FOAF.homepage, URIRef(homepage)))
            graph.add((target, VOID.uriSpace, Literal(namespace)))
