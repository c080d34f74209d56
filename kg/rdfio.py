"""Reading and writing RDF safely: parse all-or-nothing, serialize deterministically, write atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from rdflib import Graph

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
        triples = [_triple(quad) for quad in parser]
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


def _term(term):
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


def _triple(quad):
    return _term(quad.subject), _term(quad.predicate), _term(quad.object)


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


def serialize(graph: Graph, fmt: str) -> bytes:
    """Serialize with stable output: sorted N-Triples; Turtle and JSON-LD from rdflib's sorted writers."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if fmt == "ntriples":
        lines = sorted(set(graph.serialize(format="nt", encoding="utf-8").splitlines()))
        return b"\n".join(line for line in lines if line.strip()) + b"\n"
    if fmt == "jsonld":
        return _stable_jsonld(graph)
    return graph.serialize(format="turtle", encoding="utf-8")


def turtle_from_ntriples(data: bytes) -> bytes:
    """Turtle written by Oxigraph from sorted N-Triples: deterministic (the input order is fixed),
    with our prefixes, and tens of times faster than rdflib's Turtle writer."""
    import pyoxigraph as ox

    from kg.iris import PREFIXES

    text = ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE,
                        prefixes=PREFIXES)
    lines = text.split(b"\n")
    header = 0
    while header < len(lines) and lines[header].startswith(b"@prefix "):
        header += 1
    return b"\n".join(sorted(lines[:header]) + lines[header:])  # prefix order is a hash map's


def _stable_jsonld(graph: Graph) -> bytes:
    """JSON-LD with nodes sorted by @id and every value array sorted.

    rdflib emits nodes in store order, which differs between runs.
    """
    document = json.loads(graph.serialize(format="json-ld", auto_compact=True))
    nodes = document.get("@graph", document if isinstance(document, list) else [document])

    def stable(value):
        if isinstance(value, list):
            return sorted((stable(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
        if isinstance(value, dict):
            return {k: stable(v) for k, v in value.items()}
        return value

    nodes = sorted((stable(n) for n in nodes), key=lambda n: n.get("@id", ""))
    out = {"@context": document.get("@context", {}), "@graph": nodes} if isinstance(document, dict) \
        else nodes
    return (json.dumps(out, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temp file beside ``path`` and rename it into place.

    A crash or error midway leaves the previous file untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
