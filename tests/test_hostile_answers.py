"""Hostile servers on 127.0.0.1 and hostile files: slow drips, cut-off bodies, malformed results,
XML entity bombs, shapes pySHACL cannot run. Each ends in exit 2 with a one-line message that
names the endpoint or file, never a traceback, a hang or a reported success."""

from __future__ import annotations

import json
import time

import pytest

from tests.test_remote import Fake

pytestmark = pytest.mark.slow  # waits out the deadlines of dripping servers; `make test-fast` leaves it out

NT = "application/n-triples"
JSON_TYPE = "application/sparql-results+json"
RESULTS = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": [
    {"s": {"type": "uri", "value": f"http://example.org/s{i}"}} for i in range(10)]}}).encode()
TRIPLES = b"".join(b"<http://example.org/s%d> <http://example.org/p> <http://example.org/o> .\n" % i
                   for i in range(10))
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:p>&i;</ex:p></rdf:Description>
</rdf:RDF>
"""
QUADRATIC = (b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY x "' + b"x" * 50000 + b'"> ]>\n'
             b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
             b'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
             b"<ex:p>" + b"&x;" * 50000 + b"</ex:p></rdf:Description></rdf:RDF>\n")
EXTERNAL = (b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY ext SYSTEM "file:///etc/passwd"> ]>\n'
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            b'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
            b"<ex:p>&ext;</ex:p></rdf:Description></rdf:RDF>\n")
PARAMETER = (b'<?xml version="1.0"?>\n<!DOCTYPE r [ <!ENTITY % p "<!ENTITY q \'x\'>"> %p; ]>\n'
             b"<r>&q;</r>\n")


@pytest.fixture
def serve():
    """A logging server on 127.0.0.1 (test_remote's) answering with ``respond(handler)``."""
    made = []

    def make(respond):
        made.append(Fake(lambda handler, _: respond(handler)))
        return made[-1]

    yield make
    for server in made:
        server.close()


def answer(body: bytes, media_type: str, length: int | None = None, status: int = 200):
    def respond(handler):
        handler.send_response(status)
        handler.send_header("Content-Type", media_type)
        handler.send_header("Content-Length", str(len(body) if length is None else length))
        handler.end_headers()
        handler.wfile.write(body)
        handler.close_connection = True
    return respond


def drip(status_line: bytes = b"HTTP/1.1 200 OK\r\n", every: float = 0.5, body: bytes = RESULTS,
         media_type: str = JSON_TYPE):
    """Headers sent one byte at a time, ``every`` seconds apart (about 40 s in all)."""
    def respond(handler):
        head = status_line + (f"Content-Type: {media_type}\r\nContent-Length: {len(body)}\r\n"
                              f"X-Padding: {'x' * 40}\r\n\r\n").encode()
        for byte in head:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(every)
        handler.wfile.write(body)
    return respond


def body_drip(body: bytes = RESULTS, media_type: str = JSON_TYPE):
    """Quick headers, then the body one byte every 0.5 s."""
    def respond(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", media_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for byte in body:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.5)
    return respond


# ---------------------------------------------------------------------------
# One deadline for the whole exchange
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("respond", [drip(), body_drip(), drip(every=0.3)],
                         ids=["headers-drip", "body-drip", "faster-drip"])
def test_a_dripping_server_cannot_hold_a_query_past_its_deadline(serve, cli, respond):
    server = serve(respond)
    code, out, err = cli("query", "timeline", "--endpoint", server.url(), "--timeout", "3")
    assert (code, out) == (2, "")
    assert "timed out" in err and "whole exchange" in err and server.url() in err


@pytest.mark.parametrize("protocol, path", [("graph-store", "/store"), ("update", "/update")])
def test_push_to_a_dripping_store_is_not_a_success(serve, cli, protocol, path):
    server = serve(drip(b"HTTP/1.1 204 No Content\r\n", body=b""))
    code, out, err = cli("push", "--endpoint", server.url(), "--protocol", protocol, "--timeout", "3")
    assert code == 2 and "pushed" not in out
    assert "timed out" in err and server.url(path) in err


# ---------------------------------------------------------------------------
# Cut-off answers: Content-Length 540, 270 bytes sent, ending on a line break
# ---------------------------------------------------------------------------

def _cut(body: bytes) -> bytes:
    cut = body[:270]
    return cut[:cut.rindex(b"\n") + 1] if b"\n" in cut else cut


@pytest.mark.parametrize("command, body, media_type", [
    (("sparql", "CONSTRUCT WHERE { ?s ?p ?o }"), TRIPLES, NT),
    (("sparql", "CONSTRUCT WHERE { ?s ?p ?o }"), TRIPLES, "text/turtle"),
    (("query", "timeline"), json.dumps(json.loads(RESULTS), indent=1).encode(), JSON_TYPE),
    (("sparql", "ASK { ?s ?p ?o }"), b'{"head": {},\n "boolean": true\n}\n' + b" " * 300, JSON_TYPE),
])
def test_a_cut_off_answer_is_an_error_for_every_kind(serve, cli, command, body, media_type):
    server = serve(answer(_cut(body.ljust(540, b"\n")), media_type, length=540))
    code, out, err = cli(*command, "--endpoint", server.url())
    assert (code, out) == (2, "")
    assert "cut off" in err and server.url() in err


@pytest.mark.parametrize("protocol", ["graph-store", "update"])
def test_a_cut_off_push_response_is_an_error(serve, cli, protocol):
    server = serve(answer(b"stored\n" * 40, "text/plain", length=540))
    code, out, err = cli("push", "--endpoint", server.url(), "--protocol", protocol)
    assert code == 2 and "pushed" not in out
    assert "cut off" in err


def test_a_malformed_content_length_is_an_error(serve, cli):
    def respond(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", JSON_TYPE)
        handler.send_header("Content-Length", str(len(RESULTS)))
        handler.send_header("Content-Length", str(len(RESULTS) + 5))
        handler.end_headers()
        handler.wfile.write(RESULTS)
        handler.close_connection = True

    code, out, err = cli("query", "timeline", "--endpoint", serve(respond).url())
    assert (code, out) == (2, "")
    assert "Content-Length" in err


# ---------------------------------------------------------------------------
# Malformed results documents
# ---------------------------------------------------------------------------

MALFORMED = {
    "nested-arrays": b'{"head":{"vars":["s"]},"results":{"bindings":' + b"[" * 200000 + b"]" * 200000 + b"}}",
    "nested-objects": b'{"head":{"vars":["s"]},"x":' + b'{"a":' * 100000 + b"1" + b"}" * 100000 + b"}",
    "value-not-string": b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":5}}]}}',
    "vars-not-names": b'{"head":{"vars":[1,null]},"results":{"bindings":[]}}',
    "bindings-not-list": b'{"head":{"vars":["s"]},"results":{"bindings":{"s":1}}}',
    "unknown-term-type": b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"alien","value":"x"}}]}}',
    "bad-iri": b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"a b"}}]}}',
    "head-not-object": b'{"head":[],"results":{"bindings":[]}}',
    "not-json": b"\xff\xfe{",
    "boolean-not-bool": b'{"head":{},"boolean":"yes"}',
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_results_are_exit_2_naming_the_endpoint(serve, cli, name):
    server = serve(answer(MALFORMED[name], JSON_TYPE))
    code, out, err = cli("query", "timeline", "--endpoint", server.url())
    assert (code, out) == (2, "")
    assert server.url() in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("body, media_type", [
    (BOMB, "application/rdf+xml"),
    (PARAMETER, "application/rdf+xml"),
    (BOMB.replace(b"<rdf:RDF", b"<sparql xmlns='http://www.w3.org/2005/sparql-results#'><rdf:RDF")
     + b"</sparql>", "application/sparql-results+xml"),
])
def test_an_entity_bomb_from_a_store_is_refused(serve, cli, body, media_type):
    server = serve(answer(body, media_type))
    query = "ASK { ?s ?p ?o }" if "results" in media_type else "CONSTRUCT WHERE { ?s ?p ?o }"
    code, out, err = cli("sparql", query, "--endpoint", server.url())
    assert (code, out) == (2, "")
    assert "declares entities is refused" in err and server.url() in err


# ---------------------------------------------------------------------------
# XML entity bombs in files
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("content", [BOMB, QUADRATIC, EXTERNAL, PARAMETER],
                         ids=["billion-laughs", "quadratic-blowup", "external-entity", "parameter-entity"])
@pytest.mark.parametrize("suffix", [".rdf", ".owl", ".xml"])
@pytest.mark.parametrize("as_shapes", [False, True], ids=["data", "shapes"])
def test_an_entity_bomb_file_is_refused(tmp_path, cli, content, suffix, as_shapes):
    bomb = tmp_path / f"bomb{suffix}"
    bomb.write_bytes(content)
    args = ("validate", "--shapes", bomb) if as_shapes else ("validate", bomb)
    code, out, err = cli(*args)
    assert code == 2, out + err
    assert str(bomb) in err and "declares entities is refused" in err and "Traceback" not in err


def test_rdfxml_without_entities_still_reads(tmp_path, cli):
    plain = tmp_path / "plain.rdf"
    plain.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF>\n'
                     '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                     'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
                     "<ex:p>x</ex:p></rdf:Description></rdf:RDF>\n", encoding="utf-8")
    code, out, err = cli("validate", plain)
    assert code in (0, 1) and "conforms:" in out, err  # read and validated (its checks may fail)


# ---------------------------------------------------------------------------
# Shapes pySHACL cannot run; ill-typed literals
# ---------------------------------------------------------------------------

SH = ("@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"
      "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n")
UNRUNNABLE = {
    "select-does-not-parse": 'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:message "m" ; '
                             'sh:select "SELECT $this WHERE {" ] .',
    "select-is-an-ask": 'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:message "m" ; '
                        'sh:select "ASK { }" ] .',
    "undeclared-prefix": 'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:message "m" ; '
                         'sh:select "SELECT $this WHERE { $this ex:p ?o }" ] .',
    "bad-regex": 'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; '
                 'sh:pattern "(" ; sh:message "m" ] .',
    "rule-does-not-parse": 'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:rule [ a sh:SPARQLRule ; '
                           'sh:construct "CONSTRUCT { $this ex:q 1 } WHERE { " ] .',
}


@pytest.mark.parametrize("name", sorted(UNRUNNABLE))
def test_shapes_pyshacl_cannot_run_are_a_clean_error(tmp_path, cli, name):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SH + UNRUNNABLE[name] + "\n", encoding="utf-8")
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> a <http://example.org/C> ; <http://example.org/p> \"x\" .\n",
                    encoding="utf-8")
    code, out, err = cli("validate", data, "--shapes", shapes, "--validator", "pyshacl")
    assert code == 2, out + err
    assert "shapes" in err and "Traceback" not in err and "Error:" not in err.split(": ", 1)[0]


@pytest.mark.parametrize("literal", ['"2019-13-01"^^xsd:date', '"2019-02-30"^^xsd:date',
                                     '"soon"^^xsd:dateTime', '"x1"^^xsd:integer'])
@pytest.mark.parametrize("as_shapes", [False, True], ids=["data", "shapes"])
def test_an_ill_typed_literal_is_one_message_without_a_logged_traceback(tmp_path, cli, literal,
                                                                          as_shapes):
    from kg.graph.rdfio import parse_file

    path = tmp_path / "ill-typed.ttl"
    path.write_text(SH + f"ex:a ex:d {literal} .\n", encoding="utf-8")
    args = ("validate", "--shapes", path) if as_shapes else ("validate", path)
    code, out, err = cli(*args)
    assert code == 2
    assert "ill-typed literal" in err and "Traceback" not in err and "Failed to convert" not in err
    assert len(err.strip().splitlines()) == 1
    with pytest.raises(Exception, match="ill-typed"):
        parse_file(path)
