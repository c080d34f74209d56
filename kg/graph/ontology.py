"""The ontology files: as N-Triples lines for the pipeline, and as an rdflib graph for the tools
that need one (pyLODE's page, the reference engines, tests).

Either way the header carries this package's version (``owl:versionIRI`` and
``owl:versionInfo``), so every graph built from it, every cached and served copy and every
release file agree on it.
"""

from __future__ import annotations

from pathlib import Path


def ontology_lines(paths: list[Path] | None = None) -> set[str]:
    """The ontology as N-Triples lines (parsed by pyoxigraph; owl:imports not followed)."""
    import pyoxigraph as ox

    from kg.resources import ontology_files

    found = set()
    for path in paths or ontology_files():
        triples = ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE,
                           base_iri=path.resolve().as_uri())
        found.update(f"{q.subject} {q.predicate} {q.object} ." for q in triples)
    return stamp_version(found)


def stamp_version(lines: set[str], version: str | None = None) -> set[str]:
    """The lines with the ontology header's version set to ``version`` (this package's by
    default), where the lines hold the header."""
    import pyoxigraph as ox

    from kg import __version__
    from kg.graph import iris

    version = version or __version__
    owl = "http://www.w3.org/2002/07/owl#"
    head = f"<{iris.ONTOLOGY_IRI}> "
    if f"{head}<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{owl}Ontology> ." not in lines:
        return lines
    stale = (f"{head}<{owl}versionIRI> ", f"{head}<{owl}versionInfo> ")
    kept = {line for line in lines if not line.startswith(stale)}
    version_iri = ox.NamedNode(f"{iris.ONTOLOGY_IRI}/{version}")
    return kept | {f"{head}<{owl}versionIRI> {version_iri} .",
                   f"{head}<{owl}versionInfo> {ox.Literal(version)} ."}


def load_ontology(paths: list[Path] | None = None):
    """The ontology as an rdflib graph with our prefixes bound (owl:imports not followed)."""
    from kg.graph import ntriples
    from kg.graph.rdfio import rdflib_graph

    return rdflib_graph(ntriples.document(ontology_lines(paths)))
