"""Reading and writing RDF safely: parse all-or-nothing, serialize deterministically, write atomically."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rdflib import BNode, Graph, URIRef

from kg.errors import RDFInputError

FORMATS = {
    "turtle": ("turtle", ".ttl"),
    "ntriples": ("nt", ".nt"),
    "jsonld": ("json-ld", ".jsonld"),
}
#: File suffix -> (pyoxigraph format name, human name).
SUFFIX_FORMATS = {".ttl": ("TURTLE", "Turtle"), ".nt": ("N_TRIPLES", "N-Triples"),
                  ".jsonld": ("JSON_LD", "JSON-LD"), ".json": ("JSON_LD", "JSON-LD"),
                  ".rdf": ("RDF_XML", "RDF/XML"), ".owl": ("RDF_XML", "RDF/XML"),
                  ".xml": ("RDF_XML", "RDF/XML"), ".trig": ("TRIG", "TriG"),
                  ".nq": ("N_QUADS", "N-Quads")}
MAX_INPUT_BYTES = 512 * 1024 * 1024


def parse_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one RDF file into ``into``, all or nothing, without touching the network.

    Parsing is done by pyoxigraph, which is strict (invalid IRIs and bad
    syntax are errors, not warnings) and never fetches anything: a remote
    JSON-LD ``@context`` is an error, ``owl:imports`` is not followed, RDF/XML
    entities are not expanded from outside. Ill-typed literals (``"2019-13-01"^^xsd:date``)
    are rejected too. Named graphs of TriG/N-Quads are merged.

    Raises:
        RDFInputError: naming the file and what is wrong.
    """
    import pyoxigraph as ox

    path = Path(path)
    known = SUFFIX_FORMATS.get(path.suffix.lower())
    if known is None:
        raise RDFInputError(f"{path}: unknown RDF file type '{path.suffix}' "
                            f"(known: {', '.join(sorted(SUFFIX_FORMATS))})")
    fmt, name = getattr(ox.RdfFormat, known[0]), known[1]
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise RDFInputError(f"{path}: larger than {MAX_INPUT_BYTES // 2**20} MiB; refusing to load it")
        data = path.read_bytes()
    except OSError as exc:
        raise RDFInputError(f"{path}: cannot read the file: {exc.strerror}") from None
    parser = ox.parse(data, format=fmt, base_iri=path.resolve().as_uri())
    try:
        triples = [rdflib_triple(quad) for quad in parser]
    except SyntaxError as exc:
        raise RDFInputError(f"{path}: not valid {name}: {exc}") from None
    bad = ill_typed(triples)
    if bad:
        raise RDFInputError(f"{path}: ill-typed literal {bad}")
    target = into if into is not None else Graph(bind_namespaces="none")
    bound = dict(target.namespaces())
    for prefix, namespace in sorted((parser.prefixes or {}).items()):
        if prefix and prefix not in bound:
            target.bind(prefix, namespace)
    for triple in triples:
        target.add(triple)
    return target


def rdflib_term(term):
    """The rdflib term for a pyoxigraph term (xsd:string literals become plain literals)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


def rdflib_triple(quad):
    return rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)


def ill_typed(triples) -> str | None:
    """The first literal whose text is not valid for its XSD datatype, shown with its subject."""
    import logging

    from rdflib import Literal

    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        for s, p, o in triples:
            if isinstance(o, Literal) and o.datatype is not None and o.ill_typed:
                return f"{o.n3()} (subject <{s}>, property <{p}>)"
    finally:
        logger.setLevel(level)
    return None


def serialize(graph: Graph, fmt: str, context: dict | None = None) -> bytes:
    """Serialize with stable output: sorted N-Triples; Turtle and JSON-LD from rdflib's sorted writers.

    Args:
        graph: the graph to write.
        fmt: ``turtle``, ``ntriples`` or ``jsonld``.
        context: for JSON-LD, the ``@context`` object to compact with (embedded
            in the document, never a remote reference); by default the graph's
            bound prefixes.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    from kg.graph import ntriples

    if fmt == "jsonld":
        if context is None:
            context = {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}
        if not any(isinstance(term, BNode) for triple in graph for term in triple):
            return jsonld_from_ntriples(ntriples.document(ntriples.lines(graph)), context)
        for triple in graph:
            for term in triple:
                if isinstance(term, URIRef):
                    _check_compactable(str(term), context)
        return _stable_jsonld(graph, context)
    if fmt == "ntriples":
        return ntriples.document(ntriples.lines(graph))
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph.serialize(format="turtle", encoding="utf-8")  # inline [ ] keeps bytes stable
    prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}
    return turtle_from_ntriples(ntriples.document(ntriples.lines(graph)), prefixes)


def canonical_ntriples(data: bytes) -> bytes:
    """Sorted N-Triples with blank nodes relabelled by RDFC-1.0 (the bytes as given without any)."""
    import pyoxigraph as ox

    if b"_:" not in data:
        return data
    dataset = ox.Dataset(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    lines = {f"{q.subject} {q.predicate} {q.object} ." for q in dataset}
    return ("\n".join(sorted(lines)) + "\n").encode("utf-8")


def serialize_ntriples(data: bytes, fmt: str) -> bytes:
    """A graph held as N-Triples, written as ``turtle``, ``ntriples`` or ``jsonld`` with our
    prefixes, deterministically and without rdflib."""
    from kg.graph.iris import PREFIXES

    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    data = canonical_ntriples(data)
    if fmt == "ntriples":
        return data
    if fmt == "turtle":
        return turtle_from_ntriples(data)
    return jsonld_from_ntriples(data, dict(PREFIXES))


def turtle_from_ntriples(data: bytes, prefixes: dict[str, str] | None = None) -> bytes:
    """Turtle written by Oxigraph from sorted N-Triples: deterministic (the input order is fixed;
    blank-node-free input only), with our prefixes (or the given ones), and tens of times faster
    than rdflib's Turtle writer."""
    import pyoxigraph as ox

    from kg.graph.iris import PREFIXES

    text = ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE,
                        prefixes=PREFIXES if prefixes is None else prefixes)
    lines = text.split(b"\n")
    header = 0
    while header < len(lines) and lines[header].startswith(b"@prefix "):
        header += 1
    return b"\n".join(sorted(lines[:header]) + lines[header:])  # prefix order is a hash map's


_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.~%-]*")
_CANONICAL_INTEGER = re.compile(r"-?(0|[1-9][0-9]{0,17})")


def _check_compactable(iri: str, context: dict) -> None:
    """JSON-LD reads ``ex:thing`` as a compact IRI when ``ex`` is a context term:
    such an absolute IRI cannot be written with that context (rdflib writes it anyway,
    and the file then means another IRI)."""
    scheme = iri.split(":", 1)[0]
    if scheme in context:
        raise RDFInputError(f"<{iri}> cannot be written as JSON-LD with this context: "
                            f"'{scheme}' is a prefix there, so it would read as a compact IRI")


def jsonld_from_ntriples(data: bytes, context: dict[str, str]) -> bytes:
    """Compacted JSON-LD of a blank-node-free graph, written directly: the layout
    :func:`_stable_jsonld` gets from rdflib (nodes sorted by ``@id``, value arrays
    sorted, single values unwrapped), several times faster.

    IRIs become ``prefix:local`` where a context prefix matches and the local
    part needs no escaping (the longest namespace wins); literals are JSON
    strings (xsd:string), booleans, integers (canonical xsd:integer only), or
    value objects.

    Raises:
        RDFInputError: an absolute IRI would read as a compact one (its scheme is a context term).
    """
    import pyoxigraph as ox

    namespaces = sorted(((ns, prefix) for prefix, ns in context.items() if isinstance(ns, str)),
                        key=lambda item: (-len(item[0]), item[1]))
    compacted: dict[str, str] = {}

    def compact(iri: str) -> str:
        found = compacted.get(iri)
        if found is None:
            found = iri
            for namespace, prefix in namespaces:
                if iri.startswith(namespace) and _SAFE_LOCAL.fullmatch(iri[len(namespace):]):
                    found = f"{prefix}:{iri[len(namespace):]}"
                    break
            else:
                _check_compactable(iri, context)
            compacted[iri] = found
        return found

    def name(term) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else compact(term.value)

    def value(term):
        if isinstance(term, (ox.NamedNode, ox.BlankNode)):
            return {"@id": name(term)}
        if term.language:
            return {"@language": term.language, "@value": term.value}
        datatype = term.datatype.value
        if datatype == _XSD + "string":
            return term.value
        if datatype == _XSD + "boolean" and term.value in ("true", "false"):
            return term.value == "true"
        if datatype == _XSD + "integer" and _CANONICAL_INTEGER.fullmatch(term.value):
            return int(term.value)
        return {"@type": compact(datatype), "@value": term.value}

    nodes: dict[str, dict[str, list]] = {}
    for triple in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
        node = nodes.setdefault(name(triple.subject), {})
        predicate = triple.predicate.value
        if predicate == _RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact(triple.object.value))
        else:
            node.setdefault(compact(predicate), []).append(value(triple.object))
    graph = []
    for subject, properties in nodes.items():
        out = {"@id": subject}
        for key, values in properties.items():
            values = sorted(values, key=lambda v: json.dumps(v, sort_keys=True))
            out[key] = values[0] if len(values) == 1 else values
        graph.append(out)
    graph.sort(key=lambda node: node["@id"])
    document = {"@context": context, "@graph": graph}
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def _stable_jsonld(graph: Graph, context: dict | None = None) -> bytes:
    """JSON-LD with nodes sorted by @id and every value array sorted.

    rdflib emits nodes in store order, which differs between runs. ``@list``
    arrays keep their order: it is part of the graph.
    """
    if context is None:
        document = json.loads(graph.serialize(format="json-ld", auto_compact=True))
    else:
        document = json.loads(graph.serialize(format="json-ld", context=context))
    nodes = document.get("@graph", document if isinstance(document, list) else [document])

    def stable(value, ordered=False):
        if isinstance(value, list):
            items = [stable(v) for v in value]
            return items if ordered else sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
        if isinstance(value, dict):
            return {k: stable(v, ordered=k == "@list") for k, v in value.items() if k != "@context"}
        return value

    nodes = sorted((stable(n) for n in nodes), key=lambda n: n.get("@id", ""))
    out = {"@context": document.get("@context", {}), "@graph": nodes} if isinstance(document, dict) \
        else nodes
    return (json.dumps(out, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def verify_rdf(path: Path, data: bytes) -> None:
    """Re-read a written RDF file with pyoxigraph; the release is published only if all re-read."""
    import pyoxigraph as ox

    known = SUFFIX_FORMATS.get(path.suffix.lower())
    if known is None:
        return
    if path.read_bytes() != data:
        raise RDFInputError(f"{path}: the file on disk differs from what was written")
    try:
        for _ in ox.parse(data, format=getattr(ox.RdfFormat, known[0])):
            pass
    except SyntaxError as exc:
        raise RDFInputError(f"{path}: the written file does not re-read as {known[1]}: {exc}") from None


def rdflib_graph(data: bytes) -> Graph:
    """N-Triples into an rdflib graph with our prefixes, for the tools that need rdflib
    (pyLODE, the reference engines, the public API); parsed by pyoxigraph (several times
    faster than rdflib's parser)."""
    import pyoxigraph as ox

    from kg.graph.namespaces import new_graph

    graph = new_graph()
    graph.addN((*rdflib_triple(quad), graph) for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    return graph
