"""The SPARQL inside a shapes graph, read before pySHACL runs any of it.

SHACL-SPARQL puts queries in shapes (``sh:select`` constraints and targets,
``sh:ask`` validators, ``sh:construct`` rules), and pySHACL runs them on
rdflib's engine, which would execute ``SERVICE`` by sending a request. Each one
is parsed with the prefixes its ``sh:prefixes`` declare and refused, naming its
shape, if it holds SERVICE or does not parse (pySHACL would fail on it with a
parser's traceback). The fast engine checks the queries it compiles itself
(:mod:`kg.shacl.engine`).
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from kg.errors import QueryError, ShapesError
from kg.graph.sparql import local_query

SH = "http://www.w3.org/ns/shacl#"
#: Predicates whose object is a SPARQL query that pySHACL runs.
QUERY_PREDICATES = tuple(URIRef(SH + name) for name in ("select", "ask", "construct"))


def _prefixes(shapes: Graph, node) -> dict[str, str]:
    """The prefixes ``node`` declares through ``sh:prefixes``/``sh:declare``, as pySHACL reads them."""
    declared = {}
    for holder in shapes.objects(node, URIRef(SH + "prefixes")):
        for declaration in shapes.objects(holder, URIRef(SH + "declare")):
            prefix = shapes.value(declaration, URIRef(SH + "prefix"))
            namespace = shapes.value(declaration, URIRef(SH + "namespace"))
            if prefix is not None and namespace is not None:
                declared[str(prefix)] = str(namespace)
    return declared


def _where(shapes: Graph, node, seen: frozenset = frozenset()) -> str:
    """The node carrying a query, named by IRI or, for a blank node, by its owner and link."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    for owner, link in sorted(shapes.subject_predicates(node)):
        if owner in seen:
            break
        local = link.split("#")[-1]
        owner_name = _where(shapes, owner, seen | {node})
        return f"the sh:{local} of {owner_name}" if link.startswith(SH) else f"the <{link}> of {owner_name}"
    return "a blank node"


def check_shape_queries(shapes: Graph) -> None:
    """Refuse a shapes graph whose SPARQL holds SERVICE or does not parse.

    Raises:
        ShapesError: naming the node that carries the query and what is wrong with it.
    """
    for predicate in QUERY_PREDICATES:
        for node, text in sorted(shapes.subject_objects(predicate)):
            where = _where(shapes, node)
            name = predicate[len(SH):]
            if not isinstance(text, Literal):
                raise ShapesError(f"the shapes are broken: the sh:{name} of {where} is not a literal")
            try:
                local_query(str(text), _prefixes(shapes, node))
            except QueryError as exc:
                raise ShapesError(f"the shapes are broken: the sh:{name} query of {where}: {exc}") from None
