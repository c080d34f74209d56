"""Remote stores: push to a real Oxigraph server, run every stored query there, and fail clearly.

The happy path uses the real ``oxigraph`` server on a free loopback port. Small
``http.server`` fakes on 127.0.0.1 stand in only for faults a real store cannot
be made to show on demand (5xx, a cut connection, a hang, redirects).
"""

from __future__ import annotations

import base64
import http.server
import json
import signal
import threading
import urllib.request

import pytest

from kg.errors import QueryError, RemoteError
from kg.query.catalogue import bind, catalogue, get_query
from kg.query.push import push
from kg.query.remote import Endpoints, RemoteEngine, Transport, endpoints
from kg.query.terms import Term
from tests.conftest import require_program

pytestmark = pytest.mark.slow  # starts Oxigraph servers; `make test-fast` leaves it out

NAMED = "https://example.org/graphs/dispute-kg"
EVERYTHING = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SLOW = ("SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
        "FILTER (STRLEN(STR(?c)) + STRLEN(STR(?f)) + STRLEN(STR(?i)) = 100) }")


@pytest.fixture(scope="module")
def server():
    """A real, writable, empty Oxigraph server on a free loopback port."""
    require_program("oxigraph", "pip install oxigraph")
    from kg.query.serve import start

    running = start(None, 0, read_only=False)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def ntriples():
    from kg.pipeline import inferred_ntriples

    return inferred_ntriples()


@pytest.fixture(scope="module")
def local(ntriples):
    from kg.query.engines import OxigraphEngine

    return OxigraphEngine(ntriples)


@pytest.fixture(scope="module")
def remote(server, ntriples):
    """The remote engine after the inferred graph was pushed to the default graph."""
    push(ntriples, endpoints(server.query_url))
    return RemoteEngine(server.query_url)


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch, tmp_path):
    """No test sees the user's credentials or netrc unless it sets its own."""
    monkeypatch.delenv("DISPUTE_KG_USER", raising=False)
    monkeypatch.delenv("DISPUTE_KG_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


def isomorphic(lines_a, lines_b) -> bool:
    from rdflib import Graph
    from rdflib.compare import isomorphic as same

    def graph(lines):
        return Graph().parse(data="\n".join(lines) + "\n", format="nt")

    return same(graph(lines_a), graph(lines_b))


# ---------------------------------------------------------------------------
# The same answers remotely as locally, on a real server
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_stored_query_answers_remotely_as_locally(name, remote, local):
    query = get_query(name)
    bindings = bind(query, {})
    expected = local.run(query.text, bindings)
    answer = remote.run(query.text, bindings)
    assert answer.comparable(query.ordered) == expected.comparable(query.ordered)


@pytest.mark.parametrize("name, params", [
    ("who-held-post", {"post": "post:south-korea-foreign-minister", "day": "2019-08-21"}),
    ("who-held-post", {"day": "2018-01-01"}),
    ("sources-of", {"subject": "event:first-photoresist-approval"}),
])
def test_bound_parameters_answer_remotely_as_locally(name, params, remote, local):
    query = get_query(name)
    bindings = bind(query, params)
    assert remote.run(query.text, bindings).comparable(query.ordered) == \
        local.run(query.text, bindings).comparable(query.ordered)


def test_a_hostile_value_stays_a_literal_remotely(remote, local):
    hostile = '" } ; CLEAR DEFAULT ; INSERT DATA { <x:a> <x:b> <x:c> } #\n\'{'
    before = remote.run(COUNT).rows
    answer = remote.run("SELECT ?v WHERE { }", {"v": Term("literal", hostile)})
    assert answer.rows == [(Term("literal", hostile),)]
    assert remote.run(COUNT).rows == before == local.run(COUNT).rows


def test_cli_prints_the_same_output_locally_and_remotely(remote, cli):
    for name, params in (("timeline", []), ("who-held-post", ["--param", "day=2019-08-21"])):
        for fmt in ("table", "csv", "tsv", "json", "markdown"):
            code, here, _ = cli("query", name, *params, "--format", fmt)
            assert code == 0
            code, there, err = cli("query", name, *params, "--format", fmt,
                                   "--endpoint", remote.endpoint)
            assert (code, err) == (0, "")
            assert there == here, (name, fmt)


def test_construct_and_ask_remotely_as_locally(remote, local):
    assert isomorphic(remote.run(EVERYTHING).triples, local.run(EVERYTHING).triples)
    ask = "ASK { ?s a <https://w3id.org/dispute-kg/ontology#ExportApproval> }"
    assert remote.run(ask).boolean is local.run(ask).boolean is True


# ---------------------------------------------------------------------------
# Pushing: replace, never add
# ---------------------------------------------------------------------------

def test_push_twice_leaves_what_push_once_does(server, local, cli):
    store = RemoteEngine(server.query_url)
    junk = "INSERT DATA { <https://example.org/junk> <https://example.org/p> 1 }"
    update = urllib.request.Request(server.url + "update", data=junk.encode(), method="POST",
                                    headers={"Content-Type": "application/sparql-update"})
    Transport().send(update, "test")
    for _ in range(2):
        code, out, err = cli("push", "--endpoint", server.query_url)
        assert code == 0, err
        assert "Graph Store Protocol" in out
        assert store.run(COUNT).rows == local.run(COUNT).rows
        assert isomorphic(store.run(EVERYTHING).triples, local.run(EVERYTHING).triples)


def test_push_asserted_only(server, built, cli):
    graph = "https://example.org/graphs/asserted"
    code, out, err = cli("push", "--endpoint", server.query_url, "--asserted", "--graph", graph)
    assert code == 0, err
    count = RemoteEngine(server.query_url, default_graph=graph).run(COUNT).rows[0][0]
    assert int(count.value) == len(built.asserted) < len(built.inferred)


def test_push_by_sparql_update_to_a_named_graph_is_idempotent(server, ntriples, local, remote):
    ends = endpoints(server.query_url)
    in_named = RemoteEngine(server.query_url, default_graph=NAMED)
    default_before = remote.run(COUNT).rows
    for _ in range(2):
        pushed = push(ntriples, ends, graph=NAMED, protocol="update")
        assert (pushed.protocol, pushed.url) == ("update", server.url + "update")
        assert isomorphic(in_named.run(EVERYTHING).triples, local.run(EVERYTHING).triples)
    query = get_query("timeline")
    assert in_named.run(query.text).comparable(True) == local.run(query.text).comparable(True)
    assert remote.run(COUNT).rows == default_before


def test_auto_falls_back_to_update_where_the_store_has_no_graph_store(server, ntriples):
    ends = endpoints(server.query_url, store=server.url + "no-graph-store")
    assert ends.store == server.url + "no-graph-store"  # a given URL wins over a derived one
    pushed = push(ntriples, ends, graph=NAMED)
    assert pushed.protocol == "update"
    with pytest.raises(RemoteError) as caught:
        push(ntriples, ends, graph=NAMED, protocol="graph-store")
    assert caught.value.status == 404


@pytest.mark.parametrize("args, missing", [
    ([], "--update-endpoint or --store-endpoint"),
    (["--protocol", "update", "--store-endpoint", "http://127.0.0.1:9/store"], "--update-endpoint"),
    (["--protocol", "graph-store", "--update-endpoint", "http://127.0.0.1:9/up"], "--store-endpoint"),
])
def test_push_needs_an_endpoint_it_can_use(args, missing, cli):
    code, _, err = cli("push", "--endpoint", "http://127.0.0.1:9/sparql-endpoint", *args)
    assert code == 2
    assert f"give {missing} (" in err


def test_push_needs_an_absolute_graph_iri(cli):
    code, _, err = cli("push", "--endpoint", "http://127.0.0.1:9/query", "--graph", "g1")
    assert code == 2 and "absolute IRI" in err


@pytest.mark.parametrize("url, update, store, flavour", [
    ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store", "Oxigraph"),
    ("http://h:3030/ds/sparql", "http://h:3030/ds/update", "http://h:3030/ds/data", "Fuseki"),
    ("https://h/fuseki/ds/query", "https://h/fuseki/ds/update", "https://h/fuseki/ds/data",
     "Fuseki"),
    ("http://h:7200/repositories/kg", "http://h:7200/repositories/kg/statements",
     "http://h:7200/repositories/kg/rdf-graphs/service", "GraphDB"),
    ("http://h:8890/sparql", "http://h:8890/sparql-auth", "http://h:8890/sparql-graph-crud-auth",
     "Virtuoso"),
    ("http://h:8080/", None, None, None),
])
def test_update_and_store_endpoints_are_derived(url, update, store, flavour):
    assert endpoints(url) == Endpoints(url, update, store, flavour)


# ---------------------------------------------------------------------------
# Faults: each a clear error and exit 2
# ---------------------------------------------------------------------------

class Fake:
    """An HTTP server on 127.0.0.1 that logs every request and answers with ``respond``."""

    def __init__(self, respond):
        self.requests = []
        self.release = threading.Event()
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def handle_one(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fake.requests.append((self.command, self.path, dict(self.headers), body))
                respond(self, fake)

            do_GET = do_POST = do_PUT = handle_one

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/query", host="127.0.0.1"):
        return f"http://{host}:{self.port}{path}"

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake():
    made = []

    def make(respond):
        made.append(Fake(respond))
        return made[-1]

    yield make
    for server in made:
        server.close()


def send(handler, status, body=b"", media_type="text/plain", headers=()):
    handler.send_response(status)
    handler.send_header("Content-Type", media_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers:
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


EMPTY_RESULTS = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": []}}).encode()
JSON_TYPE = "application/sparql-results+json"


def test_a_dead_port_is_no_answer(cli):
    from kg.query.serve import free_port

    code, out, err = cli("query", "timeline", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert (code, out) == (2, "")
    assert "no answer from" in err and "connection refused" in err


def test_a_query_error_is_a_4xx_from_the_real_server(remote, cli):
    code, out, err = cli("sparql", "SELECT WHERE", "--endpoint", remote.endpoint)
    assert (code, out) == (2, "")
    assert "answered HTTP 400" in err


def test_a_wrong_path_is_a_404_from_the_real_server(server, cli):
    code, out, err = cli("query", "timeline", "--endpoint", server.url + "no-such-endpoint")
    assert (code, out) == (2, "")
    assert "answered HTTP 404" in err


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_is_reported_with_its_message(status, fake, cli):
    server = fake(lambda h, f: send(h, status, b"the store is on fire"))
    code, out, err = cli("query", "timeline", "--endpoint", server.url())
    assert (code, out) == (2, "")
    assert f"answered HTTP {status}" in err and "the store is on fire" in err


def test_a_truncated_answer_from_the_real_server_is_an_error(cli):
    """Oxigraph answers 200 and cuts the body when its own query timeout fires.

    It does so once it has started streaming rows, so the server gets the small
    seed graph, where the slow query finds its first rows at once.
    """
    from kg.pipeline import inferred_ntriples
    from kg.query.serve import start
    from tests.conftest import DATA

    slow = start(inferred_ntriples(DATA / "seed-facts"), 0, query_timeout=1)
    try:
        code, out, err = cli("sparql", SLOW, "--endpoint", slow.query_url, "--timeout", "60")
    finally:
        slow.stop()
    assert (code, out) == (2, "")
    assert slow.query_url in err and "cut off" in err


@pytest.mark.parametrize("query, media_type, body", [
    ("timeline", JSON_TYPE,
     b'{"head":{"vars":["event"]},"results":{"bindings":[{"event":{"type":"uri","value":"x:a"}},'
     b"The SPARQL operation has been cancelled"),
    ("timeline", JSON_TYPE, b"{}"),
    ("timeline", "text/html", b"<html>a login page</html>"),
    (EVERYTHING, "application/n-triples",
     b"<x:a> <x:b> <x:c> .\nThe SPARQL operation has been cancelled"),
])
def test_a_cut_or_foreign_answer_with_status_200_is_an_error(query, media_type, body, fake, cli):
    server = fake(lambda h, f: send(h, 200, body, media_type))
    command = ("query", query) if query == "timeline" else ("sparql", query)
    code, out, err = cli(*command, "--endpoint", server.url())
    assert (code, out) == (2, "")
    assert "is not complete" in err and "cut off" in err


def test_a_connection_closed_early_is_an_error(fake, cli):
    def short(handler, _):
        handler.send_response(200)
        handler.send_header("Content-Type", JSON_TYPE)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        handler.wfile.write(EMPTY_RESULTS[:20])
        handler.close_connection = True

    code, out, err = cli("query", "timeline", "--endpoint", fake(short).url())
    assert (code, out) == (2, "")
    assert "cut off" in err


def test_a_store_that_never_answers_times_out(fake, cli):
    server = fake(lambda h, f: f.release.wait(30))
    code, out, err = cli("query", "timeline", "--endpoint", server.url(), "--timeout", "0.3")
    assert (code, out) == (2, "")
    assert "timed out" in err


def test_an_answer_larger_than_the_bound_is_refused(remote):
    with pytest.raises(RemoteError, match="larger than 1000 bytes"):
        RemoteEngine(remote.endpoint, transport=Transport(max_bytes=1000)).run(EVERYTHING)


def test_a_redirect_to_another_host_is_not_followed_and_gets_no_credentials(fake, cli,
                                                                               monkeypatch):
    monkeypatch.setenv("DISPUTE_KG_USER", "ann")
    monkeypatch.setenv("DISPUTE_KG_PASSWORD", "secret")
    elsewhere = fake(lambda h, f: send(h, 200, EMPTY_RESULTS, JSON_TYPE))
    target = elsewhere.url(host="localhost")
    origin = fake(lambda h, f: send(h, 302, headers=[("Location", target)]))
    code, out, err = cli("query", "timeline", "--endpoint", origin.url())
    assert (code, out) == (2, "")
    assert "redirected (HTTP 302) to another host" in err and target in err
    assert elsewhere.requests == []
    assert origin.requests[0][2]["Authorization"] == "Basic " + base64.b64encode(
        b"ann:secret").decode()


def test_a_redirect_on_the_same_host_is_followed_with_credentials(fake, cli, monkeypatch):
    monkeypatch.setenv("DISPUTE_KG_USER", "ann")
    monkeypatch.setenv("DISPUTE_KG_PASSWORD", "secret")

    def respond(handler, _):
        if handler.path == "/old":
            send(handler, 301, headers=[("Location", "/query")])
        else:
            send(handler, 200, EMPTY_RESULTS, JSON_TYPE)

    server = fake(respond)
    code, out, err = cli("sparql", "SELECT ?s WHERE { ?s ?p ?o }", "--endpoint", server.url("/old"))
    assert (code, err) == (0, "")
    assert [r[1] for r in server.requests] == ["/old", "/query"]
    assert all(r[2]["Authorization"].startswith("Basic ") for r in server.requests)


def test_credentials_come_from_netrc(fake, cli, monkeypatch, tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login bo password hunter2\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    server = fake(lambda h, f: send(h, 200, EMPTY_RESULTS, JSON_TYPE))
    code, _, err = cli("sparql", "SELECT ?s WHERE { ?s ?p ?o }", "--endpoint", server.url())
    assert (code, err) == (0, "")
    assert server.requests[0][2]["Authorization"] == "Basic " + base64.b64encode(
        b"bo:hunter2").decode()


def test_no_credentials_no_authorization_header(fake, cli):
    server = fake(lambda h, f: send(h, 401, b"who are you?"))
    code, _, err = cli("query", "timeline", "--endpoint", server.url())
    assert code == 2
    assert "HTTP 401" in err and "DISPUTE_KG_USER" in err
    assert "Authorization" not in server.requests[0][2]


def test_credentials_are_not_sent_over_plain_http_to_another_machine(cli, monkeypatch):
    monkeypatch.setenv("DISPUTE_KG_USER", "ann")
    monkeypatch.setenv("DISPUTE_KG_PASSWORD", "secret")
    # 192.0.2.1 is TEST-NET-1: never routed, and refused before any connection anyway
    code, out, err = cli("query", "timeline", "--endpoint", "http://192.0.2.1/query",
                         "--timeout", "0.3")
    assert (code, out) == (2, "")
    assert "refusing to send credentials over plain HTTP to 192.0.2.1" in err


@pytest.mark.parametrize("url, insecure", [
    ("https://store.example/query", False),
    ("http://store.example/query", True),
    ("http://localhost:7878/query", False),
    ("http://[::1]:7878/query", False),
])
def test_when_credentials_may_be_sent(url, insecure, monkeypatch):
    monkeypatch.setenv("DISPUTE_KG_USER", "ann")
    monkeypatch.setenv("DISPUTE_KG_PASSWORD", "secret")
    request = urllib.request.Request(url)
    Transport(insecure_auth=insecure).authorize(request)
    assert "Authorization" in request.unredirected_hdrs
    assert "Authorization" not in request.headers  # so no redirect can carry it


@pytest.mark.parametrize("args, message", [
    (["--endpoint", "http://ann:secret@127.0.0.1:9/query"], "not in the URL"),
    (["--endpoint", "file:///etc/passwd"], "must be an http:// or https:// URL"),
    (["--endpoint", "http://127.0.0.1:9/query", "--timeout", "0"], "positive number of seconds"),
    (["--graph", NAMED], "give --endpoint too"),
    (["--endpoint", "http://127.0.0.1:9/query", "--engine", "rdflib"], "--engine applies"),
    (["--endpoint", "http://127.0.0.1:9/query", "--graph", "not an iri"], "absolute IRI"),
])
def test_bad_remote_options(args, message, cli):
    code, out, err = cli("query", "timeline", *args)
    assert (code, out) == (2, "")
    assert message in err


def test_half_set_credentials_are_an_error(monkeypatch, cli):
    monkeypatch.setenv("DISPUTE_KG_USER", "ann")
    code, _, err = cli("query", "timeline", "--endpoint", "http://127.0.0.1:9/query")
    assert code == 2 and "set both $DISPUTE_KG_USER and $DISPUTE_KG_PASSWORD" in err


def test_an_update_is_refused_before_anything_is_sent(fake, cli):
    server = fake(lambda h, f: send(h, 200, EMPTY_RESULTS, JSON_TYPE))
    code, _, err = cli("sparql", "CLEAR DEFAULT", "--endpoint", server.url())
    assert code == 2 and "SPARQL Update, not a query" in err
    assert server.requests == []
    with pytest.raises(QueryError):
        RemoteEngine(server.url()).run("INSERT DATA { <x:a> <x:b> <x:c> }")
    assert server.requests == []


def test_only_the_named_endpoint_is_contacted(fake, cli):
    server = fake(lambda h, f: send(h, 200, EMPTY_RESULTS, JSON_TYPE))
    code, _, err = cli("query", "who-held-post", "--endpoint", server.url())
    assert (code, err) == (0, "")
    [(method, path, headers, body)] = server.requests
    assert (method, path) == ("POST", "/query")
    assert headers["Accept"] == JSON_TYPE
    assert "Authorization" not in headers
    assert b"VALUES" in body


# ---------------------------------------------------------------------------
# dispute-kg serve: a read-only local endpoint
# ---------------------------------------------------------------------------

@pytest.mark.slow
def test_serve_answers_as_locally_is_read_only_and_stops_on_ctrl_c(cli):
    require_program("oxigraph", "pip install oxigraph")
    from kg.query.serve import free_port
    from tests.conftest import start_serve

    port = free_port()
    process = start_serve(port)
    try:
        printed = [process.stdout.readline() for _ in range(5)]
        query_url, page_url = f"http://127.0.0.1:{port}/query", f"http://127.0.0.1:{port}/"
        assert printed[0].split()[-1] == query_url and printed[1].split()[-1] == page_url
        for fmt in ("table", "json"):
            _, here, _ = cli("query", "timeline", "--format", fmt)
            code, there, err = cli("query", "timeline", "--format", fmt, "--endpoint", query_url)
            assert (code, err, there) == (0, "", here)
        page = Transport().send(urllib.request.Request(page_url), "page")
        assert page.media_type == "text/html" and b'id="site-search"' in page.body
        code, _, err = cli("push", "--endpoint", query_url)
        assert code == 2 and "HTTP 403" in err
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "stopped" in err
    code, _, err = cli("query", "timeline", "--endpoint", query_url)
    assert code == 2 and "connection refused" in err


def test_serve_on_a_busy_port_says_so(fake, cli):
    require_program("oxigraph", "pip install oxigraph")
    busy = fake(lambda h, f: send(h, 200))
    code, out, err = cli("serve", "--port", busy.port)
    assert (code, out) == (2, "")
    assert f"cannot listen on 127.0.0.1:{busy.port}" in err
