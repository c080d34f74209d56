"""Citable and findable: CITATION.cff and .zenodo.json from the version source, DCAT 3 with a
distribution per file (size, SHA-256, media type) linked from the VoID, schema.org Dataset JSON-LD,
and the stored queries published as SPARQL examples."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pyoxigraph as ox
import pytest

import kg
from kg.files import RELEASE_MARKER
from kg.graph import iris
from kg.publish import citation, dcat, examples
from kg.publish.release import CHECKSUMS
from tests.conftest import ROOT, require_program

DCAT, SPDX, DCTERMS = dcat.DCAT, dcat.SPDX, iris.PREFIXES["dcterms"]


def store_of(path, fmt=ox.RdfFormat.TURTLE) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path.read_bytes(), format=fmt)
    return store


def values(store, subject, predicate) -> list[str]:
    return sorted(q.object.value for q in store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None))


# ---------------------------------------------------------------------------
# CITATION.cff and .zenodo.json
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, render", [("CITATION.cff", citation.citation_cff),
                                          (".zenodo.json", citation.zenodo_json)])
def test_citation_files_are_rendered_from_the_version_source(name, render, request):
    expected = render(citation.ontology_header())
    path = ROOT / name
    if request.config.getoption("--update-goldens"):
        path.write_bytes(expected)
    assert path.read_bytes() == expected, f"{name} is stale: run pytest {__file__} --update-goldens"


def test_citation_cff_is_valid_for_cffconvert(tmp_path):
    program = require_program("cffconvert", "pip install cffconvert (part of the test extras)")
    done = subprocess.run([program, "--validate", "-i", str(ROOT / "CITATION.cff")], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    bibtex = subprocess.run([program, "-i", str(ROOT / "CITATION.cff"), "-f", "bibtex"], capture_output=True,
                            text=True, timeout=120)
    assert bibtex.returncode == 0 and "author = {dispute-kg contributors}" in bibtex.stdout


def test_a_broken_citation_cff_is_caught_by_cffconvert(tmp_path):
    program = require_program("cffconvert", "pip install cffconvert (part of the test extras)")
    broken = tmp_path / "CITATION.cff"
    broken.write_text((ROOT / "CITATION.cff").read_text(encoding="utf-8").replace("cff-version: 1.2.0",
                                                                                 "cff-version: 1.2.0\nauthors: 7"))
    done = subprocess.run([program, "--validate", "-i", str(broken)], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0


def test_citation_carries_version_licence_and_date():
    header = citation.ontology_header()
    assert header.version == kg.__version__ and header.license == citation.CC_BY and header.issued
    zenodo = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert (zenodo["version"], zenodo["license"], zenodo["publication_date"]) == (
        kg.__version__, "cc-by-4.0", header.issued)


@pytest.mark.slow
def test_the_release_carries_the_same_citation(release_dir):
    assert (release_dir / "CITATION.cff").read_bytes() == (ROOT / "CITATION.cff").read_bytes()


# ---------------------------------------------------------------------------
# DCAT and schema.org
# ---------------------------------------------------------------------------

def test_dcat_describes_every_file_with_size_checksum_and_media_type(release_dir):
    store = store_of(release_dir / dcat.DCAT_FILE)
    assert values(store, dcat.DATASET, iris.PREFIXES["rdf"] + "type") == [DCAT + "Dataset"]
    assert values(store, dcat.DATASET, DCAT + "version") == [kg.__version__]
    # every download: not the checksums, the description itself, the release marker, nor the
    # web site (a site to browse, not a file to download)
    described = {p.name for p in release_dir.iterdir() if p.is_file()} - {CHECKSUMS, dcat.DCAT_FILE,
                                                                           RELEASE_MARKER}
    distributions = values(store, dcat.DATASET, DCAT + "distribution")
    assert distributions == sorted(dcat.distribution(name) for name in described)
    for name in sorted(described):
        data = (release_dir / name).read_bytes()
        node = dcat.distribution(name)
        assert values(store, node, DCAT + "byteSize") == [str(len(data))], name
        (checksum,) = values(store, node, SPDX + "checksum")
        assert values(store, checksum, SPDX + "algorithm") == [SPDX + "checksumAlgorithm_sha256"]
        assert values(store, checksum, SPDX + "checksumValue") == [hashlib.sha256(data).hexdigest()], name
        assert values(store, node, DCAT + "downloadURL") == [dcat.download(kg.__version__, name)]
        media = values(store, node, DCAT + "mediaType")
        assert media or name.endswith(".jsonl"), f"{name} has no media type"
        assert all(m.startswith(dcat.MEDIA_TYPES_BASE) for m in media)
    assert values(store, dcat.distribution("events.csv"), DCAT + "mediaType") == [dcat.MEDIA_TYPES_BASE + "text/csv"]


def test_the_void_links_to_the_dcat_description_of_the_same_dataset(release_dir):
    void = store_of(release_dir / "void.ttl")
    assert values(void, dcat.DATASET, iris.PREFIXES["rdfs"] + "seeAlso") == [
        dcat.download(kg.__version__, dcat.DCAT_FILE)]
    header = citation.ontology_header()
    store = store_of(release_dir / dcat.DCAT_FILE)
    assert values(store, dcat.DATASET, DCTERMS + "license") == [header.license]
    assert values(store, dcat.DATASET, DCTERMS + "issued") == [header.issued]


def test_schema_org_dataset_for_search_engines(release_dir):
    store = store_of(release_dir / dcat.SCHEMA_FILE, ox.RdfFormat.JSON_LD)
    schema = iris.PREFIXES["schema"]
    assert values(store, dcat.DATASET, iris.PREFIXES["rdf"] + "type") == [schema + "Dataset"]
    assert values(store, dcat.DATASET, schema + "version") == [kg.__version__]
    assert values(store, dcat.DATASET, schema + "license") == [citation.ontology_header().license]
    downloads = values(store, dcat.DATASET, schema + "distribution")
    assert dcat.download(kg.__version__, "events.csv") in downloads
    (coverage,) = values(store, dcat.DATASET, schema + "temporalCoverage")
    start, end = coverage.split("/")
    assert start < "2019-07-01" < end
    assert not any(isinstance(q.subject, ox.BlankNode) for q in store)


# ---------------------------------------------------------------------------
# SPARQL examples
# ---------------------------------------------------------------------------

def test_every_stored_query_is_published_as_a_sparql_example(release_dir):
    from kg.query.catalogue import catalogue

    store = store_of(release_dir / examples.FILE)
    sh = examples.SH
    for name, query in catalogue().items():
        node = examples.EXAMPLES_BASE + name
        assert sh + "SPARQLSelectExecutable" in values(store, node, iris.PREFIXES["rdf"] + "type")
        assert values(store, node, sh + "select") == [query.text]
        (comment,) = values(store, node, iris.PREFIXES["rdfs"] + "comment")
        assert comment.startswith(query.summary)
        assert values(store, node, examples.SCHEMA + "target") == [dcat.DATASET]


def test_the_examples_change_no_stored_query_answer(built):
    """serve loads them beside the graph: every stored query must answer as without them."""
    from kg.query.catalogue import bind, catalogue
    from kg.query.engines import OxigraphEngine

    alone = OxigraphEngine(built.ntriples("inferred"))
    with_examples = OxigraphEngine(built.ntriples("inferred") + examples.example_lines("http://127.0.0.1:1/query"))
    for query in catalogue().values():
        bindings = bind(query, {})
        assert with_examples.run(query.text, bindings, timeout=None).comparable(query.ordered) == \
            alone.run(query.text, bindings, timeout=None).comparable(query.ordered), query.name


def test_the_form_of_a_query_comes_from_its_parse():
    assert examples.query_form("SELECT * WHERE { ?s ?p ?o }") == "select"
    assert examples.query_form("# SELECT in a comment\nASK { ?s ?p ?o }") == "ask"
    assert examples.query_form("CONSTRUCT WHERE { ?s ?p ?o }") == "graph"


@pytest.mark.slow
def test_serve_offers_the_examples_with_its_own_endpoint_as_target():
    require_program("oxigraph", "pip install oxigraph")
    import sys
    from pathlib import Path

    from kg.query.catalogue import catalogue
    from kg.query.remote import RemoteEngine
    from kg.query.serve import free_port

    port = free_port()
    exe = Path(sys.executable).with_name("dispute-kg")
    process = subprocess.Popen([str(exe), "serve", "--port", str(port)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().split()[-1]
        assert url == f"http://127.0.0.1:{port}/query"
        rows = RemoteEngine(url).run(
            "PREFIX sh: <http://www.w3.org/ns/shacl#> PREFIX schema: <https://schema.org/> "
            "SELECT ?example ?target WHERE { ?example a sh:SPARQLExecutable ; sh:select ?text ; "
            "schema:target ?target }").rows
        assert sorted(r[0].value for r in rows) == sorted(examples.EXAMPLES_BASE + n for n in catalogue())
        assert {r[1].value for r in rows} == {url}
    finally:
        process.terminate()
        process.communicate(timeout=60)
