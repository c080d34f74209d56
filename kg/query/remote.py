"""Remote SPARQL 1.1 stores: endpoint URLs and queries, answered as the local engines answer.

SPARQLWrapper builds and sends each request through its public API; the
exchange runs inside :class:`kg.query.transport.Transport` (one deadline,
same-origin redirects, guarded credentials, every answer read to its end).
Answers are read by pyoxigraph's parsers (``parse_query_results`` for SELECT
and ASK, ``parse`` for graphs), which check the document's structure and read
it to the end: a cut-off body or a malformed results document is an error
naming the endpoint, never fewer rows and never a crash.

Answers come back as :class:`kg.query.results.Results`, the same as the local
engines, so ``render`` prints identical output locally and remotely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from kg.errors import QueryError, RemoteError
from kg.query.results import Results
from kg.query.prefixes import declare_missing
from kg.query.terms import Term, check_iri, from_oxigraph
from kg.query.text import with_values
from kg.query.transport import (DEFAULT_TIMEOUT, MAX_RESPONSE_BYTES, PASSWORD_ENV, USER_ENV, Answer,
                                Transport, check_url)

__all__ = ["DEFAULT_TIMEOUT", "MAX_RESPONSE_BYTES", "USER_ENV", "PASSWORD_ENV", "Answer", "Endpoints",
           "RemoteEngine", "Transport", "check_url", "endpoints", "graph_iri", "graph_results",
           "select_results"]

GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
RESULTS_ACCEPT = "application/sparql-results+json"

_GRAPHDB = re.compile(r"^(?P<base>.*/repositories/[^/]+)/?$")
_FUSEKI = re.compile(r"^(?P<dataset>.*/[^/]+)/(?:sparql|query)/?$")


# ---------------------------------------------------------------------------
# Endpoints
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Endpoints:
    """A store's query, update and Graph Store Protocol URLs (the last two may be unknown)."""

    query: str
    update: str | None = None
    store: str | None = None
    flavour: str | None = None  # the store the URLs were derived for, if any


def endpoints(query: str, update: str | None = None, store: str | None = None) -> Endpoints:
    """The store's endpoints: given ones win, the rest are derived from the query URL.

    Derivation, by the shape of the query URL's path:

    * ``/repositories/REPO`` (GraphDB, RDF4J): ``.../statements`` and ``.../rdf-graphs/service``;
    * ``/query`` at the root (Oxigraph): ``/update`` and ``/store``;
    * ``/DATASET/sparql`` or ``/DATASET/query`` (Fuseki): ``/DATASET/update`` and ``/DATASET/data``;
    * ``/sparql`` or ``/sparql-auth`` at the root (Virtuoso): ``/sparql-auth`` and
      ``/sparql-graph-crud-auth`` (its endpoints that take credentials, with HTTP Digest).

    Args:
        query: the SPARQL query endpoint (``--endpoint``).
        update: the SPARQL Update endpoint, if given.
        store: the Graph Store Protocol endpoint, if given.

    Returns:
        The endpoints; ``update``/``store`` stay None where nothing could be derived.
    """
    check_url(query, "--endpoint")
    parts = urlsplit(query)
    root = f"{parts.scheme}://{parts.netloc}"
    path = parts.path
    flavour = derived_update = derived_store = None
    if match := _GRAPHDB.match(path):
        flavour = "GraphDB"
        derived_update = root + match["base"] + "/statements"
        derived_store = root + match["base"] + "/rdf-graphs/service"
    elif path.rstrip("/") == "/query":
        flavour = "Oxigraph"
        derived_update, derived_store = root + "/update", root + "/store"
    elif path.rstrip("/") in ("/sparql", "/sparql-auth"):
        flavour = "Virtuoso"
        derived_update, derived_store = root + "/sparql-auth", root + "/sparql-graph-crud-auth"
    elif match := _FUSEKI.match(path):
        flavour = "Fuseki"
        derived_update = root + match["dataset"] + "/update"
        derived_store = root + match["dataset"] + "/data"
    return Endpoints(
        query=query,
        update=check_url(update, "--update-endpoint") if update else derived_update,
        store=check_url(store, "--store-endpoint") if store else derived_store,
        flavour=flavour if not (update and store) else None,
    )


def graph_iri(value: str) -> str:
    """A graph name given by the user: an absolute IRI that serialises safely."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S", value):
        raise QueryError(f"a graph name must be an absolute IRI, found {value!r}")
    check_iri(value)  # raises QueryError on what an IRI cannot hold
    return value


# ---------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------

class RemoteEngine:
    """Runs SPARQL queries on a store's query endpoint; answers as local engines do."""

    name = "remote"

    def __init__(self, endpoint: str, *, default_graph: str | None = None,
                 transport: Transport | None = None):
        """
        Args:
            endpoint: the store's SPARQL query endpoint.
            default_graph: query this graph as the default graph (``default-graph-uri``).
            transport: how to reach the store (default: a Transport with the default timeout).
        """
        self.endpoint = check_url(endpoint, "--endpoint")
        self.default_graph = graph_iri(default_graph) if default_graph else None
        self.transport = transport or Transport()

    def run(self, text: str, bindings: dict[str, Term] | None = None) -> Results:
        """Run a query with its parameters bound by a VALUES block of typed terms.

        Raises:
            QueryError: the text is a SPARQL Update, not a query.
            RemoteError: the store failed to give a complete, valid answer.
        """
        import warnings

        from SPARQLWrapper import CONSTRUCT, DESCRIBE, JSON, POST, TURTLE, SPARQLWrapper

        wrapper = SPARQLWrapper(self.endpoint)
        with warnings.catch_warnings():  # an unknown form is the store's to reject, with a message
            warnings.simplefilter("ignore", RuntimeWarning)
            wrapper.setQuery(with_values(declare_missing(text), bindings or {}))
        if wrapper.isSparqlUpdateRequest():
            raise QueryError("this is a SPARQL Update, not a query; dispute-kg only reads from a "
                             "store (use 'dispute-kg push' to load the graph)")
        graph = wrapper.queryType in (CONSTRUCT, DESCRIBE)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)
        wrapper.setReturnFormat(TURTLE if graph else JSON)
        wrapper.addCustomHttpHeader("Accept", GRAPH_ACCEPT if graph else RESULTS_ACCEPT)
        if self.default_graph:
            wrapper.addDefaultGraph(self.default_graph)
        answer = self.transport.exchange(self.endpoint, "query", sent_by(wrapper))
        return graph_results(answer) if graph else select_results(answer)


def sent_by(wrapper):
    """An exchange call that sends ``wrapper``'s request with SPARQLWrapper's public ``query()``."""
    return lambda opener: wrapper.query().response


def _broken(answer: Answer, expected: str, problem: str) -> RemoteError:
    tail = answer.body[-80:].decode("utf-8", "replace")
    return RemoteError(f"query: the answer from {answer.url} is not complete {expected} "
                       f"({answer.media_type}, {len(answer.body)} bytes): {problem}; it was cut "
                       f"off or the URL is not a SPARQL endpoint (the answer ends {tail!r})")


def select_results(answer: Answer) -> Results:
    """SELECT or ASK results, read to the end by pyoxigraph (SPARQL results JSON or XML)."""
    import pyoxigraph as ox

    from kg.graph.rdfio import refuse_xml_entities

    fmt = ox.QueryResultsFormat.from_media_type(answer.media_type)
    if fmt not in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML):
        raise _broken(answer, "SPARQL results", f"unexpected media type {answer.media_type}")
    if fmt == ox.QueryResultsFormat.XML:
        refuse_xml_entities(answer.body, answer.url)
    try:
        parsed = ox.parse_query_results(answer.body, format=fmt)
        if isinstance(parsed, ox.QueryBoolean):
            return Results("ask", boolean=bool(parsed))
        variables = [v.value for v in parsed.variables]
        rows = [tuple(from_oxigraph(solution[v]) for v in variables) for solution in parsed]
    except (SyntaxError, ValueError, QueryError) as exc:
        raise _broken(answer, f"SPARQL {fmt.name} results", " ".join(str(exc).split())[:300]) from None
    return Results("select", variables, rows)


def graph_results(answer: Answer) -> Results:
    """CONSTRUCT/DESCRIBE triples, re-serialised as the local engine writes them."""
    import pyoxigraph as ox

    from kg.graph.rdfio import refuse_xml_entities

    fmt = ox.RdfFormat.from_media_type(answer.media_type)
    if fmt is None:
        raise _broken(answer, "RDF", f"unexpected media type {answer.media_type}")
    if fmt == ox.RdfFormat.RDF_XML:
        refuse_xml_entities(answer.body, answer.url)
    try:
        triples = sorted({f"{q.subject} {q.predicate} {q.object} ."
                          for q in ox.parse(answer.body, format=fmt)})
    except (SyntaxError, ValueError) as exc:
        raise _broken(answer, fmt.name, str(exc)) from None
    return Results("graph", triples=triples)
