"""Reading and writing RDF safely: parse all-or-nothing, serialize deterministically, write atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from rdflib import Graph, Literal

from kg.errors import RDFInputError

FORMATS = {
    "turtle": ("turtle", ".ttl"),
    "ntriples": ("nt", ".nt"),
    "jsonld": ("json-ld", ".jsonld"),
}
SUFFIX_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld",
                  ".rdf": "xml", ".owl": "xml", ".xml": "xml", ".trig": "trig", ".nq": "nquads"}


def parse_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one RDF file into ``into`` only if the whole file parses.

    rdflib leaves the triples read before an error in the target graph, so we
    parse into a scratch graph first. ``owl:imports`` is never followed.
    rdflib's Turtle parser accepts a literal subject, which RDF 1.1 forbids and
    the reasoner cannot take: such a file is refused.
    """
    path = Path(path)
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise RDFInputError(f"{path}: unknown RDF file type '{path.suffix}' "
                            f"(known: {', '.join(sorted(SUFFIX_FORMATS))})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RDFInputError(f"{path}: cannot read the file: {exc.strerror}") from None
    scratch = Graph(bind_namespaces="none")
    try:
        scratch.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises many unrelated types for bad syntax
        raise RDFInputError(f"{path}: not valid {fmt}: {exc}".strip()) from None
    literal_subject = next((s for s in scratch.subjects(unique=True) if isinstance(s, Literal)), None)
    if literal_subject is not None:
        raise RDFInputError(f"{path}: not valid RDF: the literal {literal_subject.n3()} is the subject "
                            "of a triple (RDF 1.1 allows only IRIs and blank nodes there)")
    target = into if into is not None else Graph(bind_namespaces="none")
    for prefix, namespace in scratch.namespaces():
        if prefix and prefix not in dict(target.namespaces()):
            target.bind(prefix, namespace)
    for triple in scratch:
        target.add(triple)
    return target


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
