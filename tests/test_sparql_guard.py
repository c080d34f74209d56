"""SERVICE is refused on the parsed query, wherever a local query comes from, and the engines
themselves cannot call out: a logging server on 127.0.0.1 receives nothing.

The property tests build queries from parts whose meaning is known (a real SERVICE pattern,
or the word hidden in comments, strings, IRIs, prefixed names and escapes), so the oracle
is the construction, not the guard.
"""

from __future__ import annotations

import http.server
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import QueryError
from kg.graph.sparql import LocalQuery, expand_codepoints, local_query, rdflib_offline, read_local
from kg.query.engines import OxigraphEngine, bounded

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"


class _Logger(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def _answer(self):
        self.hits.append((self.command, self.path))
        body = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def listener():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Logger)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", _Logger.hits
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def engines(built):
    from kg.graph.rdfio import serialize
    from kg.reference.rdflib_engine import RdflibEngine

    return [OxigraphEngine(serialize(built.inferred, "ntriples")), RdflibEngine(built.inferred)]


HIDDEN_SERVICE = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "ASK {{ ?s ?p ?o FILTER NOT EXISTS {{ ?s ?p ?o MINUS {{ SERVICE SILENT <{url}> {{ }} }} }} }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT (EXISTS {{ SERVICE <{url}> {{ }} }} AS ?e) WHERE {{ }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ SERVICE ?x {{ ?s ?p ?o }} VALUES ?x {{ <{url}> }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\U00000053\\U00000045RVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE \\u003C{url}> {{ ?s ?p ?o }} }}",
    "PREFIX ex: <http://example.org/>\nSELECT * WHERE {{ ?s ex:a\\#b ?o .\n SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX e: <{url}#>\nSELECT * WHERE {{ sErViCe e: {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o # }}\n SERVICE <{url}> {{ ?s ?p ?o }} }}",
]
#: Texts that one parser could read without SERVICE and another with it: refused, unread.
DIVERGENT = [
    # an escape spelling an escape: read once by Oxigraph, twice by rdflib
    "SELECT * WHERE {{ \\u005Cu0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    # \U with four digits: rdflib reads it, SPARQL does not
    "SELECT * WHERE {{ \\U0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
]
HARMLESS = [
    # read as SPARQL says (escapes first): \u005C escapes the quote and all of it is one string;
    # Oxigraph alone would end the string there and call out, so it is given the expanded text
    'SELECT * WHERE {{ ?s ?p "a\\u005C" }} SERVICE <{url}> {{ ?s ?p ?o }} #" }}',
    'SELECT ?s WHERE {{ ?s ?p "SERVICE <{url}> {{ }}" }} # SERVICE <{url}> {{ }}\nLIMIT 1',
    "PREFIX service: <{url}#>\nSELECT ?service WHERE {{ ?service service:SERVICE ?o }} LIMIT 1",
    "SELECT * WHERE {{ ?s <{url}#SERVICE> ?o }} LIMIT 1",
    'SELECT * WHERE {{ BIND("\\u0053ERVICE <{url}> {{ }}" AS ?x) }}',
    "SELECT * WHERE {{ ?s ?p ?o . FILTER(?o != 'SERVICE') }} LIMIT 1",
]


@pytest.mark.parametrize("query", HIDDEN_SERVICE + DIVERGENT)
def test_service_anywhere_is_refused_by_every_engine(engines, listener, query):
    url, hits = listener
    for engine in engines:
        with pytest.raises(QueryError, match="SERVICE is blocked|invalid SPARQL|escape"):
            engine.run(query.format(url=url))
    assert hits == []


@pytest.mark.parametrize("query", HARMLESS)
def test_the_word_service_elsewhere_is_not_refused(engines, listener, query):
    url, hits = listener
    for engine in engines:
        engine.run(query.format(url=url))
    assert hits == []


def test_a_query_the_guard_cannot_read_is_refused():
    with pytest.raises(QueryError, match="invalid SPARQL"):
        local_query("SELECT * WHERE { ?s ?p ")
    with pytest.raises(QueryError, match="not a Unicode character"):
        expand_codepoints("SELECT * WHERE { ?s ?p '\\uD800' }")


def test_oxigraph_cannot_call_out_even_past_the_guard(engines, listener):
    """The query process has no network: SERVICE fails there even if the guard missed it."""
    url, hits = listener
    unread = LocalQuery(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", None)
    with pytest.raises(QueryError):
        bounded(engines[0]._run, unread, None, 30)
    assert hits == []


def test_rdflib_cannot_call_out_even_past_the_guard(listener):
    from rdflib import Graph

    url, hits = listener
    with rdflib_offline(), pytest.raises(QueryError, match="SERVICE is blocked"):
        list(Graph().query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))
    assert hits == []


# ---------------------------------------------------------------------------
# Every place a query comes from
# ---------------------------------------------------------------------------

def _query_file(folder, name, text, check=False):
    header = ("#+ summary: test\n#+ description: test\n"
              + ("#+ severity: error\n#+ message: {s} found\n" if check else ""))
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + text, encoding="utf-8")
    return path


def test_a_stored_query_with_service_is_refused(tmp_path, engines, listener):
    from kg.query.catalogue import catalogue

    url, hits = listener
    _query_file(tmp_path / "competency", "federated.rq",
                f"SELECT ?s WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}\n")
    query = catalogue(tmp_path)["federated"]
    for engine in engines:
        with pytest.raises(QueryError, match="SERVICE is blocked"):
            engine.run(query.text)
    assert hits == []


def test_a_quality_check_with_service_is_refused(tmp_path, built, listener):
    from kg.query.checks import check_catalogue, run_checks

    url, hits = listener
    _query_file(tmp_path / "checks", "federated-violation.rq",
                f"SELECT ?s WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}\n", check=True)
    with pytest.raises(QueryError, match="SERVICE is blocked"):
        run_checks(built.inferred, check_catalogue(tmp_path))
    assert hits == []


SHAPE_SERVICE = [
    'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:message "m" ; sh:select '
    '"SELECT $this WHERE {{ SERVICE <{url}> {{ $this ?p ?o }} }}" ] .',
    'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:message "m" ; sh:select '
    '"SELECT $this WHERE {{ $this ?p ?o FILTER NOT EXISTS {{ \\\\u0053ERVICE <{url}> {{ ?o ?p ?x }} }} }}" ] .',
    'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:message "m" ; sh:prefixes ex:P ; sh:select '
    '"SELECT $this WHERE {{ SERVICE far:q {{ $this ?p ?o }} }}" ] . ex:P sh:declare '
    '[ sh:prefix "far" ; sh:namespace "{url}/"^^<http://www.w3.org/2001/XMLSchema#anyURI> ] .',
]


@pytest.mark.parametrize("validator", ["fast", "pyshacl"])
@pytest.mark.parametrize("shape", SHAPE_SERVICE)
def test_a_shapes_file_with_service_is_refused_by_both_validators(tmp_path, cli, listener, validator,
                                                                     shape):
    url, hits = listener
    shapes = tmp_path / "federated-shapes.ttl"
    shapes.write_text(SH + shape.format(url=url) + "\n", encoding="utf-8")
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> a <http://example.org/C> ; <http://example.org/p> 1 .\n",
                    encoding="utf-8")
    code, out, err = cli("validate", data, "--shapes", shapes, "--validator", validator)
    assert code == 2, out + err
    assert "SERVICE is blocked" in err and "Traceback" not in err
    assert hits == []


# ---------------------------------------------------------------------------
# Property: random queries, SERVICE real or hidden
# ---------------------------------------------------------------------------

URL = "http://127.0.0.1:9/sparql"
KEYWORD = st.sampled_from(["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "S\\u0045RVICE",
                           "\\U00000053ERVICE", "SERVIC\\u0045"])
DECOYS = st.sampled_from([
    "# SERVICE <{url}> {{ ?s ?p ?o }}\n",
    '?s ?p "SERVICE <{url}> {{ ?s ?p ?o }}" .\n',
    "?s ?p '''\nSERVICE <{url}> {{ }}\n''' .\n",
    "?s <{url}#SERVICE> ?o .\n",
    "?s svc:SERVICE ?o .\n",
    "?s svc:a\\#b ?o .\n",
    '?s ?p "\\u0053ERVICE <{url}>" .\n',
    "?s ?p ?o . # \\u0053ERVICE\n",
    "FILTER(?o != \"}} SERVICE <{url}> {{\")\n",
    "BIND(\"SERVICE\" AS ?service)\n",
])
WRAPPERS = st.sampled_from([
    "{body}",
    "FILTER EXISTS {{ {body} }}",
    "FILTER NOT EXISTS {{ {body} }}",
    "OPTIONAL {{ {body} }}",
    "MINUS {{ {body} }}",
    "{{ SELECT * WHERE {{ {body} }} }}",
    "GRAPH ?g {{ {body} }}",
    "{{ {body} }} UNION {{ ?s ?p ?o }}",
])


@st.composite
def queries(draw):
    decoys = draw(st.lists(DECOYS, max_size=4))
    real = draw(st.booleans())
    parts = [d.format(url=URL) for d in decoys]
    if real:
        service = f"{draw(KEYWORD)} {draw(st.sampled_from(['', 'SILENT ']))}<{URL}> {{ ?s ?p ?x }}"
        parts.insert(draw(st.integers(0, len(parts))), draw(WRAPPERS).format(body=service) + "\n")
    prefix = "PREFIX svc: <http://example.org/service#>\n"
    return prefix + "SELECT * WHERE {\n?s ?p ?o .\n" + "".join(parts) + "}", real


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries())
def test_every_query_with_a_real_service_is_refused_and_no_other(case):
    """Read without the verdict cache, so every example is parsed."""
    text, real = case
    if real:
        with pytest.raises(QueryError, match="SERVICE is blocked"):
            read_local(expand_codepoints(text))
    else:
        assert read_local(expand_codepoints(text)).text == expand_codepoints(text)
