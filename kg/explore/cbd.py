"""A resource's concise bounded description as Turtle, for ``describe --format turtle``.

The concise bounded description (W3C member submission, 2005) of a resource is every triple
with it as subject, and in turn those of every blank node among their objects; read from the
inferred graph, the one queries answer from (so it lists inferred types and properties too).
"""

from __future__ import annotations

from kg.query.prefixes import PREFIXES


def concise_bounded_description(ntriples: bytes, iri: str) -> bytes:
    """Turtle of the triples describing ``iri`` in a graph given as N-Triples, sorted, with the
    prefixes they use declared."""
    import pyoxigraph as ox

    by_subject: dict = {}
    for quad in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
        by_subject.setdefault(quad.subject, []).append(quad.triple)
    triples, todo, seen = [], [ox.NamedNode(iri)], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in by_subject.get(node, ()):
            triples.append(triple)
            if isinstance(triple.object, ox.BlankNode):
                todo.append(triple.object)
    triples.sort(key=str)
    used = {name: namespace for name, namespace in PREFIXES.items()
            if any(isinstance(term, ox.NamedNode) and term.value.startswith(namespace)
                   for t in triples for term in (t.subject, t.predicate, t.object))}
    lines = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used).split(b"\n")
    header = sum(1 for line in lines if line.startswith(b"@prefix "))
    return b"\n".join(sorted(lines[:header]) + lines[header:])  # Oxigraph's prefix order is a hash map's
