"""The stored queries as data: SPARQL examples in the convention of public example collections.

Public SPARQL example collections (SIB's sparql-examples, UniProt's, Wikidata's
tools that read them) describe each example as a SHACL executable:
``sh:SPARQLSelectExecutable`` (or Construct/Ask) with the query text in
``sh:select`` (``sh:construct``, ``sh:ask``), a human description in
``rdfs:comment`` and the endpoint it runs on in ``schema:target``. The release
publishes ours that way (``dispute-kg-queries.ttl``) and ``dispute-kg serve``
loads them into its store, so a tool that lists an endpoint's examples finds
them there.
"""

from __future__ import annotations

from kg.graph import iris

SH = "http://www.w3.org/ns/shacl#"
SCHEMA = iris.PREFIXES["schema"]
RDF, RDFS = iris.PREFIXES["rdf"], iris.PREFIXES["rdfs"]
DCTERMS = iris.PREFIXES["dcterms"]
EXAMPLES_BASE = iris.BASE + "query/"
FILE = "dispute-kg-queries.ttl"
#: Query form (as Oxigraph parses it) -> (executable class, property holding the text).
FORMS = {"select": ("SPARQLSelectExecutable", "select"), "graph": ("SPARQLConstructExecutable", "construct"),
         "ask": ("SPARQLAskExecutable", "ask")}


def query_form(text: str) -> str:
    """``select``, ``graph`` (CONSTRUCT or DESCRIBE) or ``ask``, from Oxigraph's parse of the query."""
    import pyoxigraph as ox

    answer = ox.Store().query(text)
    if isinstance(answer, ox.QueryBoolean):
        return "ask"
    return "select" if isinstance(answer, ox.QuerySolutions) else "graph"


def example_lines(target: str, queries=None) -> bytes:
    """The examples as sorted N-Triples.

    Args:
        target: the SPARQL endpoint (or dataset) the queries run on, for ``schema:target``.
        queries: stored queries by name; the catalogue by default.

    Returns:
        N-Triples bytes, one example node ``https://w3id.org/dispute-kg/query/NAME`` per query.
    """
    import pyoxigraph as ox

    from kg.query.catalogue import catalogue

    lines = set()
    for name, query in sorted((queries or catalogue()).items()):
        node = ox.NamedNode(EXAMPLES_BASE + name)
        cls, prop = FORMS[query_form(query.text)]
        comment = query.summary + (f"\n\n{query.description}" if query.description else "")
        for param in query.params:
            comment += f"\n\nParameter ?{param.name} ({param.type}): {param.description}"
        for predicate, obj in ((RDF + "type", ox.NamedNode(SH + "SPARQLExecutable")),
                               (RDF + "type", ox.NamedNode(SH + cls)),
                               (SH + prop, ox.Literal(query.text)),
                               (RDFS + "label", ox.Literal(name)),
                               (RDFS + "comment", ox.Literal(comment, language="en")),
                               (DCTERMS + "identifier", ox.Literal(name)),
                               (SCHEMA + "target", ox.NamedNode(target))):
            lines.add(f"{ox.Triple(node, ox.NamedNode(predicate), obj)} .")
    return ("\n".join(sorted(lines)) + "\n").encode("utf-8")
