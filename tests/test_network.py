"""No network behind the user's back: a logging HTTP server on 127.0.0.1 receives nothing
while local queries, parsing and validation run on inputs that point at it."""

from __future__ import annotations

import http.server
import threading

import pytest

from kg.errors import QueryError, RDFInputError
from kg.graph.rdfio import parse_file
from kg.query.engines import OxigraphEngine
from kg.reference.rdflib_engine import RdflibEngine


class _Logger(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def _answer(self):
        self.hits.append((self.command, self.path))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"@context": {}}')

    do_GET = do_POST = do_HEAD = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    _Logger.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Logger)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Logger.hits
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def engines(built):
    from kg.graph.rdfio import serialize

    return [OxigraphEngine(serialize(built.inferred, "ntriples")), RdflibEngine(built.inferred)]


def test_plain_stack_would_call_out(listener):
    """The hazard is real: rdflib executes SERVICE by sending a request."""
    from rdflib import Graph

    url, hits = listener
    try:
        list(Graph().query(f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"))
    except Exception:
        pass
    assert hits, "rdflib no longer calls SERVICE endpoints; the guard may be obsolete"


@pytest.mark.parametrize("query", [
    "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o . SERVICE SILENT <{url}/sparql> {{ ?s ?p ?x }} }}",
    "PREFIX e: <{url}/>\nSELECT * WHERE {{\n  sErViCe e:sparql {{ ?s ?p ?o }}\n}}",
])
def test_service_is_blocked(engines, listener, query):
    url, hits = listener
    for engine in engines:
        with pytest.raises(QueryError, match="SERVICE is blocked"):
            engine.run(query.format(url=url))
    assert hits == []


def test_from_does_not_fetch(engines, listener):
    url, hits = listener
    for engine in engines:
        engine.run(f"SELECT * FROM <{url}/graph> WHERE {{ ?s ?p ?o }} LIMIT 1")
    assert hits == []


def test_words_inside_strings_and_iris_are_not_keywords(engines):
    query = ('SELECT ?s WHERE { ?s ?p "SERVICE <http://x/> { }" } # SERVICE\n'
             'LIMIT 1')
    for engine in engines:
        assert engine.run(query).kind == "select"


def test_remote_jsonld_context_is_not_fetched(tmp_path, listener):
    url, hits = listener
    doc = tmp_path / "remote-context.jsonld"
    doc.write_text('{"@context": "%s/context.jsonld", "@id": "http://example.org/a", "name": "x"}' % url,
                   encoding="utf-8")
    with pytest.raises(RDFInputError, match="remote-context.jsonld"):
        parse_file(doc)
    assert hits == []


def test_owl_imports_are_not_followed(tmp_path, listener, cli):
    url, hits = listener
    doc = tmp_path / "imports.ttl"
    doc.write_text(f"<http://example.org/o> a <http://www.w3.org/2002/07/owl#Ontology> ;\n"
                   f"  <http://www.w3.org/2002/07/owl#imports> <{url}/ontology.ttl> .\n", encoding="utf-8")
    code, out, err = cli("validate", doc)
    assert code == 0, err
    assert hits == []


def test_rdfxml_external_entities_are_not_fetched(tmp_path, listener):
    url, hits = listener
    doc = tmp_path / "entity.rdf"
    doc.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY ext SYSTEM "{url}/entity"> ]>\n'
                   '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                   'xmlns:ex="http://example.org/">\n'
                   '  <rdf:Description rdf:about="http://example.org/a"><ex:p>&ext;</ex:p></rdf:Description>\n'
                   '</rdf:RDF>\n', encoding="utf-8")
    try:
        parse_file(doc)
    except RDFInputError:
        pass
    assert hits == []


def test_validating_and_querying_the_curated_facts_stays_offline(cli, listener):
    _, hits = listener
    assert cli("validate")[0] == 0
    assert cli("query", "timeline", "--format", "csv")[0] == 0
    assert hits == []
