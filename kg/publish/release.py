"""The release folder: every graph in Turtle, N-Triples and JSON-LD, the facts by source in TriG,
a VoID description, the timeline, the ontology's documentation page, a Protégé catalog, the files
for researchers and catalogues (tables with CSVW metadata, PLOVER lines, SPARQL examples, citation,
CHANGES.md, DCAT and schema.org descriptions), and SHA256SUMS.

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
from kg.files import CHECKSUMS, RELEASE_FORMAT, RELEASE_MARKER
from kg.graph import iris
from kg.graph.namespaces import DKG
from kg.graph.rdfio import jsonld_from_ntriples, rdflib_triple, serialize, turtle_from_ntriples, verify_rdf
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
CATALOG = "catalog-v001.xml"
DCAT_FILE = "dcat.ttl"


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


def ntriples_files(stem: str, data: bytes) -> dict[str, bytes]:
    """A blank-node-free graph held as sorted N-Triples as ``stem.ttl``, ``stem.nt`` and
    ``stem.jsonld``, written by pyoxigraph and our JSON-LD writer: the bytes
    :func:`graph_files` gives (a test compares them), without building an rdflib graph."""
    if b"_:" in data:
        from kg.graph.rdfio import rdflib_graph

        return graph_files(stem, rdflib_graph(data))
    formats = {"turtle": lambda: turtle_from_ntriples(data, PREFIXES), "ntriples": lambda: data,
               "jsonld": lambda: jsonld_from_ntriples(data, CONTEXT["@context"])}
    return {stem + suffix: formats[fmt]() for fmt, suffix in GRAPH_FORMATS.items()}


def by_source(facts: bytes) -> tuple[set, dict]:
    """Split the facts into what each source document says, and the rest.

    A source's graph holds its claims (every triple of each ``dkg:Claim``
    citing it) and the full description of every record those claims are
    about, with ``dkg:source`` kept only for this source. Facts cite sources
    per record, not per triple, so a record cited by two sources stands in
    both graphs. What no source is cited for -- agents, places, posts, the
    source documents' own metadata -- is the default graph. The union of all
    graphs is the facts graph.

    Args:
        facts: the curated facts as N-Triples.

    Returns:
        The default graph and each source's graph (by its ``pyoxigraph.NamedNode``), as sets
        of pyoxigraph triples.

    Raises:
        ReleaseError: a claim does not name exactly one source and one record.
    """
    import pyoxigraph as ox

    about: dict = {}
    for triple in ox.parse(facts, format=ox.RdfFormat.N_TRIPLES):
        about.setdefault(triple.subject, []).append(triple)
    rdf_type, claim_class = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(DKG.Claim))
    cited_in, claim_about, source_of = (ox.NamedNode(str(p)) for p in (DKG.citedIn, DKG.claimAbout, DKG.source))

    def one(subject, predicate):
        values = [t.object for t in about[subject] if t.predicate == predicate]
        if len(values) != 1:
            raise ReleaseError(f"claim {subject.value} has {len(values)} values of {predicate.value}, not one")
        return values[0]

    named: dict = {}
    claims = sorted((s for s, triples in about.items()
                     if any(t.predicate == rdf_type and t.object == claim_class for t in triples)),
                    key=lambda node: node.value)
    for claim in claims:
        source, record = one(claim, cited_in), one(claim, claim_about)
        graph = named.setdefault(source, set())
        graph.update(about[claim])
        graph.update(t for t in about.get(record, ()) if t.predicate != source_of or t.object == source)
    placed = set().union(*named.values())
    default = {t for triples in about.values() for t in triples if t not in placed}
    return default, named


def trig(default: set, named: dict) -> bytes:
    """TriG with sorted quads (default graph first) and sorted declarations of the prefixes it uses."""
    import pyoxigraph as ox

    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in default]
    quads += [ox.Quad(t.subject, t.predicate, t.object, name) for name, graph in named.items() for t in graph]
    quads.sort(key=lambda q: (not isinstance(q.graph_name, ox.DefaultGraph), str(q.graph_name),
                              str(q.subject), str(q.predicate), str(q.object)))
    text = "\n".join(str(term) for q in quads for term in (q.subject, q.predicate, q.object, q.graph_name))
    used = {p: ns for p, ns in PREFIXES.items() if f"<{ns}" in text}
    lines = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=used).decode("utf-8").split("\n")
    header = sum(1 for _ in itertools.takewhile(lambda line: line.startswith("@prefix "), lines))
    return "\n".join(sorted(lines[:header]) + lines[header:]).encode("utf-8")


def site_link(iri: str) -> str | None:
    """The page of a resource, from the release folder (where timeline.html is)."""
    from kg.publish.site.graph import path_of

    path = path_of(iri)
    return f"{SITE}{path}.html" if path else None


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
    """Re-read a written release file: RDF with pyoxigraph, JSON (lines) with json, the catalog as
    well-formed XML.

    The site's resource descriptions (``site/id/<kind>/<slug>.*``, thousands of small files,
    slices of the released N-Triples written by pyoxigraph's serializer and our JSON-LD writer)
    are not read back: opening each again would cost more than the rest of the site. The tests
    parse every one and compare it with the graph (tests/test_site.py).
    """
    if path.parts[-4:-2] == ("site", "id"):
        return
    if path.suffix in (".json", ".jsonl"):
        text = path.read_text(encoding="utf-8")
        try:
            for document in ([text] if path.suffix == ".json" else text.splitlines()):
                json.loads(document)
        except ValueError as exc:
            raise ReleaseError(f"{path}: the written file does not re-read as JSON: {exc}") from None
        return
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


def release_files(built, report, engine, sparql_endpoint: str | None = None,
                  shapes=None, previous: Path | None = None,
                  site_url: str | None = None) -> dict[str, bytes]:
    """Every file of the release, by name, computed in memory.

    Args:
        built: a :class:`kg.pipeline.Built`.
        report: the validation report of ``built.inferred``.
        engine: a local query engine over the inferred graph (for the timeline and tables).
        sparql_endpoint: an address to advertise in the VoID description.
        shapes: the shapes graph the data was validated with (the packaged shapes by default).
        previous: a previous release folder; CHANGES.md then says what changed since.
        site_url: where ``site/`` will be published: adds the rules for w3id.org (w3id.htaccess).

    Returns:
        File name -> bytes, SHA256SUMS included.
    """
    from kg.graph import ntriples
    from kg.graph.builder import fact_lines
    from kg.graph.ontology import load_ontology
    from kg.publish.docs import cached_ontology_html
    from kg.publish.timeline import timeline_from_engine
    from kg.publish.timeline_render import render_html, render_svg
    from kg.publish.void import void_graph

    ontology = load_ontology()
    facts = ntriples.document(fact_lines(built.facts))

    files: dict[str, bytes] = {}
    shapes = shapes if shapes is not None else load_shapes()
    for stem, graph in ((ONTOLOGY, ontology), (SHAPES, shapes)):
        files.update(graph_files(stem, graph))
    files.update(ntriples_files(ASSERTED, built.ntriples("asserted")))
    files.update(ntriples_files(INFERRED, built.ntriples("inferred")))
    files[CATALOG] = catalog({ONTOLOGY: ontology, SHAPES: shapes})
    files["validation-report.ttl"] = serialize(with_prefixes(report.standard_graph()), "turtle")
    files[BY_SOURCE] = trig(*by_source(facts))
    files["context.jsonld"] = (json.dumps(CONTEXT, indent=1, sort_keys=True) + "\n").encode("utf-8")
    dumps = {"inferred": [INFERRED + s for s in GRAPH_FORMATS.values()],
             "asserted": [ASSERTED + s for s in GRAPH_FORMATS.values()], "by-source": [BY_SOURCE]}
    void = void_graph(version=__version__, inferred=built.ntriples("inferred"), asserted=built.count("asserted"),
                      facts=facts.count(b"\n"),
                      license=ontology.value(URIRef(iris.ONTOLOGY_IRI), DCTERMS.license), dumps=dumps,
                      sparql_endpoint=sparql_endpoint, see_also=[DCAT_FILE])
    files["void.ttl"] = serialize(void, "turtle")
    timeline = timeline_from_engine(engine, __version__)
    files["timeline.html"] = render_html(timeline, link=site_link).encode("utf-8")
    files["timeline.svg"] = render_svg(timeline).encode("utf-8")
    files["ontology.html"] = cached_ontology_html(ontology)
    files.update(researcher_files(built.facts, engine, ontology, sparql_endpoint, files, previous))
    files.update(site(files, timeline, sparql_endpoint))
    if site_url:
        from kg.publish.site.negotiation import W3ID_RULES, check_site_url, htaccess

        files[W3ID_RULES] = htaccess(check_site_url(site_url)).encode("utf-8")
    files[RELEASE_MARKER] = RELEASE_FORMAT  # how the next build recognises this folder as a release
    files[CHECKSUMS] = checksums(files)
    return files


def researcher_files(facts, engine, ontology: Graph, sparql_endpoint: str | None, files: dict[str, bytes],
                     previous: Path | None) -> dict[str, bytes]:
    """Tables with their CSVW metadata, PLOVER JSON lines, the stored queries as RDF, the citation,
    CHANGES.md (with a previous release), and last the DCAT and schema.org descriptions of all files."""
    from kg.publish import citation, dcat, diff, examples, plover, tables
    from kg.publish.csv_metadata import table_metadata

    header = citation.ontology_header(ontology)
    out: dict[str, bytes] = {}
    made = tables.tables(facts, engine)
    for table in made:
        out[table.file] = tables.to_csv(table)
        out[f"{table.file}-metadata.json"] = table_metadata(table, version=__version__, license=header.license)
    out["events.jsonl"] = plover.events_jsonl(facts, tables.event_classes(engine))
    target = sparql_endpoint or dcat.DATASET
    out[examples.FILE] = turtle_from_ntriples(examples.example_lines(target), PREFIXES)
    out["CITATION.cff"] = citation.citation_cff(header)
    if previous is not None:
        old = diff.read_release(Path(previous))
        old.name = f"the previous release ({old.version})"
        records, labels, version = diff.records_from_ntriples(files[ASSERTED + ".nt"], "this release")
        new = diff.Side(f"this release ({version})", version, records, labels)
        out["CHANGES.md"] = diff.to_markdown(diff.compare(old, new)).encode("utf-8")
    events = made[0].rows
    about = dcat.About(__version__, header.license, header.issued, header.modified,
                       (min(r["earliest"] for r in events), max(r["latest"] for r in events)) if events else None)
    described = {**files, **out}
    out[dcat.SCHEMA_FILE] = dcat.schema_org(described, about, CONTEXT["@context"])
    described[dcat.SCHEMA_FILE] = out[dcat.SCHEMA_FILE]
    out[DCAT_FILE] = turtle_from_ntriples(dcat.dcat_ntriples(described, about, "void.ttl"),
                                          {**PREFIXES, "dcat": dcat.DCAT, "spdx": dcat.SPDX})
    return out


SITE = "site/"


def site(files: dict[str, bytes], timeline, sparql_endpoint: str | None = None) -> dict[str, bytes]:
    """The web site (kg/publish/site/) of a release whose other files are ``files``, under ``site/``.

    Its pages show the asserted graph as released (``dispute-kg.nt``) and list the other files.
    """
    writer = site_writer(files[ASSERTED + ".nt"], timeline, {name: len(data) for name, data in files.items()},
                         sparql_endpoint, files["ontology.html"].decode("utf-8"))
    return {SITE + name: data for name, data in writer.files().items()}


def site_writer(asserted: bytes, timeline, release: dict[str, int] | None = None,
                sparql_endpoint: str | None = None, ontology_page: str = ""):
    """The site's writer (kg.publish.site.render.SiteWriter) for a graph and its timeline.

    Args:
        asserted: the asserted graph as sorted N-Triples.
        timeline: its timeline (kg.publish.timeline.Timeline).
        release: release file name -> size, for the index's list of files.
        sparql_endpoint: a public endpoint to name on the index.
        ontology_page: the ontology's page (ontology.html), for links to its terms.
    """
    from kg.publish.site.render import SiteInputs, SiteWriter

    return SiteWriter(SiteInputs(asserted, timeline, __version__, CONTEXT["@context"], release or {},
                                 sparql_endpoint, ontology_page))
