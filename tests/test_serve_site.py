"""``dispute-kg serve`` over real HTTP: the site, content negotiation on resource IRIs, 404s and the
SPARQL endpoint behind the front server."""

from __future__ import annotations

import http.client
import json
from urllib.parse import quote

import pytest

from tests.conftest import require_program, start_serve

pytestmark = pytest.mark.slow  # starts the front server; `make test-fast` leaves it out

SEKO = "/id/agent/hiroshige-seko"
CLAIM = "/id/claim/event--second-photoresist-approval--yonhap-2019-08-20-second-shipment"
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture(scope="module")
def served():
    """A running ``dispute-kg serve`` on a free port; its address."""
    require_program("oxigraph", "pip install oxigraph (a dependency of dispute-kg)")
    from kg.query.serve import free_port

    port = free_port()
    process = start_serve(port)
    try:
        printed = [process.stdout.readline() for _ in range(5)]
        assert printed[-1].startswith("press Ctrl-C"), printed + [process.stderr.read()]
        yield port
    finally:
        process.terminate()
        process.communicate(timeout=60)


def get(port: int, path: str, accept: str | None = None, method: str = "GET", body: bytes | None = None):
    """One request, no redirect followed: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Accept": accept} if accept else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    answer = connection.getresponse()
    data = answer.read()
    connection.close()
    return answer.status, {k.lower(): v for k, v in answer.getheaders()}, data


@pytest.mark.parametrize("accept, suffix, media", [
    ("text/turtle", ".ttl", "text/turtle"),
    ("application/ld+json", ".jsonld", "application/ld+json"),
    ("application/n-triples", ".nt", "application/n-triples"),
    ("text/html", ".html", "text/html"),
    (FIREFOX, ".html", "text/html"),
    ("text/turtle;q=0.5, application/ld+json", ".jsonld", "application/ld+json"),
    (None, ".html", "text/html"),
])
def test_an_iri_negotiates_its_description(served, release_dir, accept, suffix, media):
    status, headers, _ = get(served, SEKO, accept)
    assert status == 303 and headers["location"] == SEKO + suffix
    assert "accept" in headers["vary"].lower()
    status, headers, body = get(served, headers["location"], accept)
    assert status == 200 and headers["content-type"].split(";")[0] == media
    assert body == (release_dir / "site" / (SEKO[1:] + suffix)).read_bytes()


def test_the_description_is_rdf_about_the_resource(served):
    import pyoxigraph as ox

    _, headers, _ = get(served, SEKO, "text/turtle")
    _, _, body = get(served, headers["location"])
    names = {t.object.value for t in ox.parse(body, format=ox.RdfFormat.TURTLE)
             if t.predicate.value.endswith("#label")}
    assert names == {"Hiroshige Seko", "世耕弘成", "세코 히로시게"}


def test_a_claim_leads_to_its_record(served):
    status, headers, _ = get(served, CLAIM, "text/html")
    assert status == 303
    assert headers["location"] == "/id/event/second-photoresist-approval.html#" + CLAIM.rsplit("/", 1)[1]
    status, headers, _ = get(served, CLAIM, "text/turtle")
    assert (status, headers["location"]) == (303, "/id/event/second-photoresist-approval.ttl")


def test_an_unknown_iri_is_a_useful_404(served):
    status, headers, body = get(served, "/id/event/second-photoresist-aproval", "text/turtle")
    assert status == 404 and headers["content-type"].startswith("text/html")
    assert b"Not found" in body and b'href="/id/event/second-photoresist-approval.html"' in body
    status, _, body = get(served, "/no/such/page.html")
    assert status == 404 and b"/id/agent/hiroshige-seko" in body   # says what addresses look like


def test_what_it_cannot_give_is_406(served):
    status, headers, _ = get(served, SEKO, "image/png")
    assert status == 406 and "accept" in headers["vary"].lower()


def test_the_site_and_the_query_page(served):
    status, headers, body = get(served, "/")
    assert status == 200 and b'id="site-search"' in body
    status, _, body = get(served, "/query.html")
    assert status == 200 and b"PREFIX dkg: &lt;https://w3id.org/dispute-kg/ontology#&gt;" in body
    assert b'"name":"approvals-before-meetings"' in body
    status, _, _ = get(served, "/index.html", method="HEAD")
    assert status == 200
    status, _, _ = get(served, "/../../etc/passwd")
    assert status == 404


def test_query_passes_to_the_read_only_endpoint(served):
    from kg.pipeline import local_engine
    from kg.publish.examples import example_lines

    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    status, headers, body = get(served, "/query?query=" + quote(count), "application/sparql-results+json")
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+json")
    found = json.loads(body)["results"]["bindings"][0]["n"]["value"]
    examples = example_lines("http://127.0.0.1/query").count(b"\n")  # the stored queries, as RDF
    assert int(found) == int(local_engine().run(count).rows[0][0].value) + examples
    status, _, body = get(served, "/query", "application/sparql-results+json", method="POST",
                          body=b"query=" + quote(count).encode())
    assert status == 200 and b'"n"' in body
    status, _, _ = get(served, "/update", method="POST", body=b"update=" + quote("CLEAR ALL").encode())
    assert status == 403
    status, _, _ = get(served, "/query?query=" + quote("SELECT WHERE"), "application/sparql-results+json")
    assert status == 400
