"""Remote SPARQL 1.1 stores: endpoint URLs, a guarded HTTP transport, and queries.

SPARQLWrapper builds each SPARQL 1.1 Protocol request, but we send it
ourselves: its own transport has no default timeout and forwards Basic-auth
credentials on a redirect to another host. Ours

* gives every exchange a time limit (``timeout`` per network wait, checked
  against the same limit for the whole answer);
* follows a redirect only to the same scheme, host and port;
* sends credentials (``DISPUTE_KG_USER``/``DISPUTE_KG_PASSWORD`` or netrc)
  never on a redirect, and over plain HTTP only to a loopback host unless the
  caller allows it;
* reads every answer to the end and parses all of it, so a truncated body is an
  error rather than fewer rows (Oxigraph's server answers 200 and appends an
  error message mid-body when its query timeout fires).

Answers come back as :class:`kg.query.results.Results`, the same as the local
engines, so ``render`` prints identical output locally and remotely.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kg.errors import QueryError, RemoteError
from kg.query.catalogue import XSD
from kg.query.results import Results
from kg.query.terms import Term
from kg.query.prefixes import declare_missing
from kg.query.text import with_values

DEFAULT_TIMEOUT = 30.0
MAX_RESPONSE_BYTES = 256 * 2**20
USER_ENV, PASSWORD_ENV = "DISPUTE_KG_USER", "DISPUTE_KG_PASSWORD"
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


def check_url(url: str, option: str) -> str:
    """An http(s) URL with a host and no credentials in it, or a RemoteError naming the option."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise RemoteError(f"{option}: not a valid URL: {url!r} ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteError(f"{option} must be an http:// or https:// URL with a host, found {url!r}")
    if parts.username is not None or parts.password is not None:
        raise RemoteError(f"{option}: put credentials in ${USER_ENV}/${PASSWORD_ENV} or a netrc "
                          "file, not in the URL")
    return url


def endpoints(query: str, update: str | None = None, store: str | None = None) -> Endpoints:
    """The store's endpoints: given ones win, the rest are derived from the query URL.

    Derivation, by the shape of the query URL's path:

    * ``/repositories/REPO`` (GraphDB, RDF4J): ``.../statements`` and ``.../rdf-graphs/service``;
    * ``/query`` at the root (Oxigraph): ``/update`` and ``/store``;
    * ``/DATASET/sparql`` or ``/DATASET/query`` (Fuseki): ``/DATASET/update`` and ``/DATASET/data``.

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
    Term("iri", value).n3()  # raises QueryError on characters an IRI cannot hold
    return value


# ---------------------------------------------------------------------------
# Credentials
# ---------------------------------------------------------------------------

def credentials_for(host: str) -> tuple[str, str] | None:
    """Basic-auth credentials for ``host``: the environment first, then netrc.

    ``DISPUTE_KG_USER`` and ``DISPUTE_KG_PASSWORD`` apply to the endpoints the
    user names; otherwise the netrc file (``$NETRC`` or ``~/.netrc``) entry
    for the host, if any.
    """
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if user is not None or password is not None:
        if not user or password is None:
            raise RemoteError(f"set both ${USER_ENV} and ${PASSWORD_ENV}, or neither")
        return user, password
    import netrc

    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise RemoteError(f"{path}: cannot read the netrc file: {exc}") from None
    if entry is None or not entry[0]:
        return None
    return entry[0], entry[2] or ""


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine (localhost, 127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, (parts.hostname or "").lower(), port


# ---------------------------------------------------------------------------
# Transport
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer: body, media type (without parameters) and final URL."""

    body: bytes
    media_type: str
    url: str


class Transport:
    """Sends HTTP requests to a store with a time limit, safe redirects and guarded credentials."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, insecure_auth: bool = False,
                 max_bytes: int = MAX_RESPONSE_BYTES):
        """
        Args:
            timeout: seconds to wait for the store, for the connection and for the whole answer.
            insecure_auth: allow credentials over plain HTTP to a host other than this machine.
            max_bytes: the largest answer to accept (a bound on memory).
        """
        if not timeout > 0:
            raise RemoteError(f"the timeout must be a positive number of seconds, found {timeout}")
        self.timeout, self.insecure_auth, self.max_bytes = timeout, insecure_auth, max_bytes

    def authorize(self, request) -> None:
        """Attach Basic-auth credentials, if any, as a header that no redirect carries on."""
        scheme, host, _ = _origin(request.full_url)
        found = credentials_for(host)
        if found is None:
            return
        if scheme != "https" and not is_loopback(host) and not self.insecure_auth:
            raise RemoteError(f"refusing to send credentials over plain HTTP to {host}: use an "
                              "https:// endpoint, or pass --insecure-auth if you accept the risk")
        token = base64.b64encode(f"{found[0]}:{found[1]}".encode("utf-8")).decode("ascii")
        request.add_unredirected_header("Authorization", f"Basic {token}")

    def send(self, request, what: str) -> Answer:
        """Send ``request`` and read the whole answer.

        Args:
            request: a ``urllib.request.Request`` for an http(s) URL.
            what: what the request does, for messages ("query", "push", ...).

        Returns:
            The answer of a 2xx response.

        Raises:
            RemoteError: no answer in time, an HTTP error status, a redirect to
                another origin, an answer cut off or too large. ``status`` holds
                the HTTP status where there was one.
        """
        import http.client
        import urllib.error
        import urllib.request

        url = check_url(request.full_url, f"the {what} URL")
        self.authorize(request)
        proxies = {} if is_loopback(_origin(url)[1]) else None
        opener = urllib.request.build_opener(urllib.request.ProxyHandler(proxies),
                                             _redirect_handler())
        deadline = time.monotonic() + self.timeout
        try:
            with opener.open(request, timeout=self.timeout) as response:
                body = self._read(response, deadline, url, what)
                media_type = response.headers.get_content_type()
                final = response.geturl()
        except urllib.error.HTTPError as exc:
            raise _http_error(exc, url, what) from None
        except urllib.error.URLError as exc:
            reason = _reason(exc.reason, self.timeout)
            raise RemoteError(f"{what}: no answer from {url}: {reason}") from None
        except http.client.IncompleteRead as exc:
            raise RemoteError(f"{what}: the answer from {url} was cut off after "
                              f"{len(exc.partial)} bytes") from None
        except (http.client.HTTPException, OSError) as exc:
            raise RemoteError(f"{what}: no complete answer from {url}: "
                              f"{_reason(exc, self.timeout)}") from None
        return Answer(body, media_type, final)

    def _read(self, response, deadline: float, url: str, what: str) -> bytes:
        chunks, size = [], 0
        while chunk := response.read1(65536):
            size += len(chunk)
            if size > self.max_bytes:
                raise RemoteError(f"{what}: the answer from {url} is larger than "
                                  f"{self.max_bytes} bytes; narrow the query")
            if time.monotonic() > deadline:
                raise RemoteError(f"{what}: no complete answer from {url} within "
                                  f"{self.timeout:g} s (raise --timeout)")
            chunks.append(chunk)
        return b"".join(chunks)


def _reason(reason, timeout: float) -> str:
    if isinstance(reason, TimeoutError):
        return f"timed out after {timeout:g} s (raise --timeout)"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the store running, and is the port right?)"
    return str(getattr(reason, "strerror", None) or reason) or type(reason).__name__


def _http_error(exc, url: str, what: str) -> RemoteError:
    try:
        detail = exc.read(2000).decode("utf-8", "replace").strip()
    except OSError:
        detail = ""
    message = f"{what}: {url} answered HTTP {exc.code} {exc.reason}"
    if detail:
        message += f": {' '.join(detail.split())[:500]}"
    if exc.code in (401, 403):
        message += (f" (credentials come from ${USER_ENV}/${PASSWORD_ENV} or the netrc file; "
                    "the store may also be read-only)")
    if exc.code in (301, 302, 303, 307, 308):
        message += f" (redirected to {exc.headers.get('Location')}; use that URL directly)"
    return RemoteError(message, status=exc.code)


def _redirect_handler():
    """A handler that follows redirects within one origin only (built on demand: urllib.request
    is slow to import and the fast local query path never needs it)."""
    import urllib.request

    class SameOriginRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            if _origin(newurl) != _origin(req.full_url):
                fp.close()
                raise RemoteError(f"{req.full_url} redirected (HTTP {code}) to another host or "
                                  f"scheme, {newurl}; not following it (use that URL directly "
                                  "if you trust it)")
            new = super().redirect_request(req, fp, code, msg, headers, newurl)
            if new is not None and "Authorization" in req.unredirected_hdrs:
                new.add_unredirected_header("Authorization", req.unredirected_hdrs["Authorization"])
            return new

    return SameOriginRedirects()


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
        """Run a query with its parameters bound by a VALUES block of escaped terms.

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
        answer = self.transport.send(wrapper._createRequest(), "query")
        return graph_results(answer) if graph else select_results(answer)


def _broken(answer: Answer, expected: str, problem: str) -> RemoteError:
    tail = answer.body[-80:].decode("utf-8", "replace")
    return RemoteError(f"query: the answer from {answer.url} is not complete {expected} "
                       f"({answer.media_type}, {len(answer.body)} bytes): {problem}; it was cut "
                       f"off or the URL is not a SPARQL endpoint (the answer ends {tail!r})")


def select_results(answer: Answer) -> Results:
    """SELECT or ASK results from SPARQL 1.1 Query Results JSON, read strictly."""
    try:
        document = json.loads(answer.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _broken(answer, "SPARQL JSON results", str(exc)) from None
    if not isinstance(document, dict):
        raise _broken(answer, "SPARQL JSON results", "not a JSON object")
    if isinstance(document.get("boolean"), bool):
        return Results("ask", boolean=document["boolean"])
    try:
        variables = list(document["head"]["vars"])
        rows = [tuple(_term(row[v]) if v in row else None for v in variables)
                for row in document["results"]["bindings"]]
    except (KeyError, TypeError, AttributeError) as exc:
        raise _broken(answer, "SPARQL JSON results", f"missing or malformed {exc}") from None
    return Results("select", variables, rows)


def _term(cell: dict) -> Term:
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        return Term("iri", value)
    if kind == "bnode":
        return Term("bnode", value)
    if kind in ("literal", "typed-literal"):
        language, datatype = cell.get("xml:lang"), cell.get("datatype")
        if language:
            return Term("literal", value, None, language)
        return Term("literal", value, None if datatype in (None, XSD + "string") else datatype)
    raise RemoteError(f"query: unsupported term type {kind!r} in the results")


def graph_results(answer: Answer) -> Results:
    """CONSTRUCT/DESCRIBE triples, re-serialised as the local engine writes them."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.from_media_type(answer.media_type)
    if fmt is None:
        raise _broken(answer, "RDF", f"unexpected media type {answer.media_type}")
    try:
        triples = sorted({f"{q.subject} {q.predicate} {q.object} ."
                          for q in ox.parse(answer.body, format=fmt)})
    except (SyntaxError, ValueError) as exc:
        raise _broken(answer, fmt.name, str(exc)) from None
    return Results("graph", triples=triples)
