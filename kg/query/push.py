"""Loading the graph into a SPARQL 1.1 store, idempotently.

Every push *replaces* one graph (the default graph, or the named graph given):
with the Graph Store Protocol an HTTP ``PUT``, with SPARQL Update one request
holding ``CLEAR SILENT`` and ``INSERT DATA``, which a store runs as one
operation. Pushing twice therefore leaves the store as pushing once does.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from kg.errors import RemoteError
from kg.query.remote import Endpoints, graph_iri, sent_by
from kg.query.transport import LARGE_BODY, Transport

PROTOCOLS = ("auto", "graph-store", "update")
NTRIPLES = "application/n-triples"
#: Statuses by which a store says it has no Graph Store Protocol at that URL.
NO_GRAPH_STORE = (404, 405, 501)


@dataclass(frozen=True)
class Pushed:
    """What a push did, for the user."""

    triples: int
    graph: str | None
    protocol: str
    url: str

    def text(self) -> str:
        target = f"graph <{self.graph}>" if self.graph else "the default graph"
        how = ("Graph Store Protocol PUT" if self.protocol == "graph-store"
               else "SPARQL Update CLEAR + INSERT DATA")
        return f"pushed {self.triples} triples to {target} at {self.url} ({how}; replaced, not added)"


def push(ntriples: bytes, ends: Endpoints, graph: str | None = None, protocol: str = "auto",
         transport: Transport | None = None) -> Pushed:
    """Replace a graph in the store with the given N-Triples.

    Args:
        ntriples: the triples to load, as N-Triples.
        ends: the store's endpoints (see ``kg.query.remote.endpoints``).
        graph: the named graph to replace; None for the default graph.
        protocol: ``graph-store``, ``update``, or ``auto`` (the Graph Store
            Protocol where the store has it, else SPARQL Update).
        transport: how to reach the store.

    Returns:
        What was pushed, where and how.

    Raises:
        RemoteError: the store refused or failed, or no endpoint for the protocol is known.
    """
    check_target(ends, protocol, graph)
    transport = transport or Transport()
    triples = sum(1 for line in ntriples.splitlines() if line.strip())
    if protocol != "update" and ends.store:
        try:
            return _put(ntriples, ends.store, graph, transport, triples)
        except RemoteError as exc:
            if protocol == "graph-store" or exc.status not in NO_GRAPH_STORE or not ends.update:
                raise
    return _update(ntriples, ends, graph, transport, triples)


def check_target(ends: Endpoints, protocol: str, graph: str | None = None) -> None:
    """Fail early (before any build) on a bad graph name or a protocol with no endpoint.

    Raises:
        QueryError: the graph name is not an absolute IRI.
        RemoteError: an unknown protocol, or no endpoint for it.
    """
    if graph:
        graph_iri(graph)
    if protocol not in PROTOCOLS:
        raise RemoteError(f"unknown protocol '{protocol}'; choose one of {', '.join(PROTOCOLS)}")
    usable = {"graph-store": ends.store, "update": ends.update, "auto": ends.store or ends.update}
    if not usable[protocol]:
        missing = {"graph-store": "--store-endpoint", "update": "--update-endpoint"}.get(
            protocol, "--update-endpoint or --store-endpoint")
        raise RemoteError(f"cannot tell where to load data on {ends.query}: give {missing} "
                          "(derived only for Oxigraph, Fuseki, GraphDB and Virtuoso URLs; see the README)")


def _put(ntriples: bytes, store: str, graph: str | None, transport: Transport,
         triples: int) -> Pushed:
    import urllib.request

    target = "graph=" + quote(graph, safe="") if graph else "default"
    url = f"{store}{'&' if '?' in store else '?'}{target}"
    request = urllib.request.Request(url, data=ntriples, method="PUT",
                                     headers={"Content-Type": NTRIPLES})
    transport.send(request, "push")
    return Pushed(triples, graph, "graph-store", store)


def update_text(ntriples: bytes, graph: str | None) -> str:
    """One SPARQL Update that replaces the graph with the triples (N-Triples is valid there)."""
    body = ntriples.decode("utf-8")
    if graph:
        return f"CLEAR SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}\n"
    return f"CLEAR SILENT DEFAULT ;\nINSERT DATA {{\n{body}}}\n"


def _update(ntriples: bytes, ends: Endpoints, graph: str | None, transport: Transport,
            triples: int) -> Pushed:
    from SPARQLWrapper import POST, SPARQLWrapper

    wrapper = SPARQLWrapper(ends.query, updateEndpoint=ends.update)
    wrapper.setMethod(POST)
    text = update_text(ntriples, graph)
    wrapper.setQuery(text)
    if len(text.encode("utf-8")) > LARGE_BODY:  # the store may want Digest credentials first
        answer = transport.ask_first(ends.update, "POST", "push")
        if answer:
            wrapper.addCustomHttpHeader("Authorization", answer)
    transport.exchange(ends.update, "push", sent_by(wrapper))
    return Pushed(triples, graph, "update", ends.update)
