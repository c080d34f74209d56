"""The release folder: every graph in Turtle, N-Triples and JSON-LD, the facts by source in TriG,
a VoID description, the timeline, the ontology's documentation page, a Protégé catalog, and SHA256SUMS.

Every file is computed in memory before the first is written; each is then
written atomically and SHA256SUMS last. An error in any stage leaves the
previous release as it was, and ``sha256sum -c SHA256SUMS`` tells a complete
release from one a crash interrupted.

Blank nodes: the curated facts have none. OWL and SHACL need them (lists,
property shapes); they get RDFC-1.0 canonical labels, so two builds give the
same bytes, and Turtle writes them inline as ``[ ]`` and ``( )``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path
from xml.sax.saxutils import escape

from rdflib import OWL, RDF, BNode, Graph, URIRef
from rdflib.namespace import DCTERMS

from kg import __version__
from kg.errors import ReleaseError
from kg.graph import iris
from kg.graph.namespaces import DKG
from kg.graph.rdfio import rdflib_triple, serialize, verify_rdf
from kg.shacl.validate import REPORT_BASE, load_shapes

GRAPH_FORMATS = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld"}
PREFIXES = {
    **iris.PREFIXES,
    "sh": "http://www.w3.org/ns/shacl#",
    "dksh": "https://w3id.org/dispute-kg/shapes#",
    "void": "http://rdfs.org/ns/void#",
    "formats": "http://www.w3.org/ns/formats/",
    "report": REPORT_BASE,
}
CONTEXT = {"@context": dict(sorted(PREFIXES.items()))}
ASSERTED, INFERRED = "dispute-kg", "dispute-kg-inferred"
ONTOLOGY, SHAPES = "dispute-kg-ontology", "dispute-kg-shapes"
BY_SOURCE = "dispute-kg-by-source.trig"
CHECKSUMS = "SHA256SUMS"
CATALOG = "catalog-v001.xml"


def canonical(graph: Graph) -> Graph:
    """The graph with its blank nodes relabelled by RDFC-1.0 (the graph itself when it has none)."""
    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph
    import pyoxigraph as ox

    dataset = ox.Dataset(ox.parse(graph.serialize(format="nt", encoding="utf-8"),
                                  format=ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    out = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace)
    for quad in dataset:
        out.add(rdflib_triple(quad))
    return out


def with_prefixes(graph: Graph) -> Graph:
    """The graph with every release prefix bound (Turtle declares only those it uses)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def graph_files(stem: str, graph: Graph) -> dict[str, bytes]:
    """One graph as ``stem.ttl``, ``stem.nt`` and ``stem.jsonld`` (compacted with CONTEXT, inline)."""
    graph = with_prefixes(canonical(graph))
    return {stem + suffix: serialize(graph, fmt, context=CONTEXT["@context"] if fmt == "jsonld" else None)
            for fmt, suffix in GRAPH_FORMATS.items()}


def by_source(facts: Graph) -> tuple[Graph, dict[URIRef, Graph]]:
    """Split the facts into what each source document says, and the rest.

    A source's graph holds its claims (every triple of each ``dkg:Claim``
    citing it) and the full description of every record those claims are
    about, with ``dkg:source`` kept only for this source. Facts cite sources
    per record, not per triple, so a record cited by two sources stands in
    both graphs. What no source is cited for -- agents, places, posts, the
    source documents' own metadata -- is the default graph. The union of all
    graphs is the facts graph.
    """
    named: dict[URIRef, Graph] = {}
    for claim in sorted(facts.subjects(RDF.type, DKG.Claim)):
        source = facts.value(claim, DKG.citedIn, any=False)
        record = facts.value(claim, DKG.claimAbout, any=False)
        graph = named.setdefault(source, Graph(bind_namespaces="none"))
        for predicate, obj in facts.predicate_objects(claim):
            graph.add((claim, predicate, obj))
        for predicate, obj in facts.predicate_objects(record):
            if predicate != DKG.source or obj == source:
                graph.add((record, predicate, obj))
    placed = set()
    for graph in named.values():
        placed.update(graph)
    default = Graph(bind_namespaces="none")
    for triple in facts:
        if triple not in placed:
            default.add(triple)
    return default, named


def trig(default: Graph, named: dict[URIRef, Graph]) -> bytes:
    """TriG with sorted quads (default graph first) and sorted declarations of the prefixes it uses."""
    import pyoxigraph as ox

    quads = []
    for name, graph in [(ox.DefaultGraph(), default)] + [(ox.NamedNode(n), g) for n, g in named.items()]:
        for t in ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES):
            quads.append(ox.Quad(t.subject, t.predicate, t.object, name))
    quads.sort(key=lambda q: (not isinstance(q.graph_name, ox.DefaultGraph), str(q.graph_name),
                              str(q.subject), str(q.predicate), str(q.object)))
    text = "\n".join(str(term) for q in quads for term in (q.subject, q.predicate, q.object, q.graph_name))
    used = {p: ns for p, ns in PREFIXES.items() if f"<{ns}" in text}
    lines = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=used).decode("utf-8").split("\n")
    header = sum(1 for _ in itertools.takewhile(lambda line: line.startswith("@prefix "), lines))
    return "\n".join(sorted(lines[:header]) + lines[header:]).encode("utf-8")


def catalog(graphs: dict[str, Graph]) -> bytes:
    """Protégé's XML catalog: each ontology IRI (and version IRI) in ``graphs`` -> its Turtle file.

    Protégé and the OWL API read ``catalog-v001.xml`` beside the file a user
    opens, so the shapes' ``owl:imports`` of the ontology resolves to the local
    file instead of a download (which fails offline, with a warning).
    """
    entries = []
    for stem, graph in sorted(graphs.items()):
        for ontology in sorted(graph.subjects(RDF.type, OWL.Ontology)):
            names = [ontology, *sorted(graph.objects(ontology, OWL.versionIRI))]
            entries += [(str(name), stem + GRAPH_FORMATS["turtle"]) for name in names if isinstance(name, URIRef)]
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
             '<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">']
    lines += [f'    <uri name="{escape(name, {chr(34): "&quot;"})}" uri="{escape(path)}"/>'
              for name, path in sorted(set(entries))]
    lines.append("</catalog>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def verify_release_file(path: Path, data: bytes) -> None:
    """Re-read a written release file: RDF with pyoxigraph, the catalog as well-formed XML."""
    if path.name != CATALOG:
        verify_rdf(path, data)
        return
    import xml.etree.ElementTree as ET

    try:
        ET.fromstring(path.read_bytes())
    except ET.ParseError as exc:
        raise ReleaseError(f"{path}: the written catalog is not well-formed XML: {exc}") from None


def checksums(files: dict[str, bytes]) -> bytes:
    """``sha256sum`` format: one ``<hex>  <name>`` line per file, sorted by name."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                   for name, data in sorted(files.items())).encode("utf-8")


def release_files(built, report, engine, sparql_endpoint: str | None = None) -> dict[str, bytes]:
    """Every file of the release, by name, computed in memory.

    Args:
        built: a :class:`kg.pipeline.Built`.
        report: the validation report of ``built.inferred``.
        engine: a local query engine over the inferred graph (for the timeline).
        sparql_endpoint: an address to advertise in the VoID description.

    Returns:
        File name -> bytes, SHA256SUMS included.
    """
    from kg.graph import ntriples
    from kg.graph.builder import fact_lines
    from kg.graph.ontology import load_ontology
    from kg.graph.rdfio import rdflib_graph
    from kg.publish.docs import cached_ontology_html
    from kg.publish.timeline import timeline_from_engine
    from kg.publish.timeline_render import render_html, render_svg
    from kg.publish.void import void_graph

    ontology = load_ontology()
    facts = rdflib_graph(ntriples.document(fact_lines(built.facts)))

    files: dict[str, bytes] = {}
    shapes = load_shapes()
    for stem, graph in ((ONTOLOGY, ontology), (SHAPES, shapes), (ASSERTED, built.asserted),
                        (INFERRED, built.inferred)):
        files.update(graph_files(stem, graph))
    files[CATALOG] = catalog({ONTOLOGY: ontology, SHAPES: shapes})
    files["validation-report.ttl"] = serialize(with_prefixes(report.standard_graph()), "turtle")
    files[BY_SOURCE] = trig(*by_source(facts))
    files["context.jsonld"] = (json.dumps(CONTEXT, indent=1, sort_keys=True) + "\n").encode("utf-8")
    dumps = {"inferred": [INFERRED + s for s in GRAPH_FORMATS.values()],
             "asserted": [ASSERTED + s for s in GRAPH_FORMATS.values()], "by-source": [BY_SOURCE]}
    void = void_graph(version=__version__, inferred=built.inferred, asserted=built.asserted, facts=facts,
                      license=ontology.value(URIRef(iris.ONTOLOGY_IRI), DCTERMS.license), dumps=dumps,
                      sparql_endpoint=sparql_endpoint)
    files["void.ttl"] = serialize(void, "turtle")
    timeline = timeline_from_engine(engine, __version__)
    files["timeline.html"] = render_html(timeline).encode("utf-8")
    files["timeline.svg"] = render_svg(timeline).encode("utf-8")
    files["ontology.html"] = cached_ontology_html(ontology)
    files[CHECKSUMS] = checksums(files)
    return files
