"""The release folder: every file re-read by an independent parser (pyoxigraph), isomorphic to what
was built, well-typed, prefixed, checksummed, versioned, and the same bytes on every build."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, Graph, Literal, URIRef

import kg
from kg.errors import RDFInputError, ReleaseError
from kg.graph import iris
from kg.graph import ntriples
from kg.graph.ontology import stamp_version
from kg.graph.rdfio import parse_file, rdflib_graph, serialize
from kg.publish.release import (
    BY_SOURCE,
    CATALOG,
    by_source,
    canonical,
    verify_release_file,
)
from tests.conftest import ROOT, every_file, require_program, run_command

OX_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD,
              ".trig": ox.RdfFormat.TRIG}
RDF_SUFFIXES = tuple(OX_FORMATS)
XSD = iris.PREFIXES["xsd"]
LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")


def rdf_files(directory):
    return sorted(p for p in directory.iterdir() if p.suffix in RDF_SUFFIXES and p.name != "context.jsonld")


def read(path) -> list[ox.Quad]:
    return list(ox.parse(path.read_bytes(), format=OX_FORMATS[path.suffix]))


def quads_of(graph: Graph) -> list[ox.Quad]:
    return list(ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES))


def assert_isomorphic(found: list[ox.Quad], expected: list[ox.Quad], what: str):
    """Isomorphism as equality of RDFC-1.0 canonical forms, with a readable diff."""
    a, b = ox.Dataset(found), ox.Dataset(expected)
    a.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    b.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    if a != b:
        extra = sorted(str(q) for q in a if q not in b)[:5]
        missing = sorted(str(q) for q in b if q not in a)[:5]
        pytest.fail(f"{what} is not isomorphic to what was built\n  extra: {extra}\n  missing: {missing}")


# ---------------------------------------------------------------------------
# Every file
# ---------------------------------------------------------------------------

def test_release_has_every_format_of_every_graph(release_dir):
    names = {p.name for p in release_dir.iterdir()}
    for stem in ("dispute-kg", "dispute-kg-inferred", "dispute-kg-ontology", "dispute-kg-shapes"):
        assert {f"{stem}.ttl", f"{stem}.nt", f"{stem}.jsonld"} <= names
    assert {"validation-report.ttl", BY_SOURCE, "void.ttl", "context.jsonld", "SHA256SUMS",
            "timeline.html", "timeline.svg"} <= names


def test_checksums_list_every_file(release_dir):
    lines = (release_dir / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in lines:
        digest, name = re.fullmatch(r"([0-9a-f]{64})  (\S+)", line).groups()
        listed[name] = digest
    assert set(listed) == set(every_file(release_dir)) - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256((release_dir / name).read_bytes()).hexdigest() == digest, name
    assert [line.split("  ")[1] for line in lines] == sorted(listed)


def test_the_ontology_page_comes_from_the_cache_while_the_ontology_is_unchanged(monkeypatch, isolated_cache):
    from kg.graph.ontology import load_ontology
    from kg.publish import docs

    ontology = load_ontology()
    first = docs.cached_ontology_html(ontology)
    assert first == docs.ontology_html(ontology)
    monkeypatch.setattr(docs, "ontology_html", lambda *_: pytest.fail("pyLODE ran again"))
    assert docs.cached_ontology_html(ontology) == first
    ontology.add((URIRef(iris.ONTOLOGY_IRI), OWL.versionInfo, Literal("changed")))
    with pytest.raises(pytest.fail.Exception, match="pyLODE ran again"):
        docs.cached_ontology_html(ontology)


def test_sha256sum_accepts_the_checksums(release_dir):
    program = require_program("sha256sum", "part of GNU coreutils")
    done = subprocess.run([program, "--check", "--strict", "SHA256SUMS"], cwd=release_dir,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_rdf_file_is_read_by_pyoxigraph_without_generalized_rdf(release_dir):
    for path in rdf_files(release_dir):
        quads = read(path)
        assert quads, f"{path.name} is empty"
        for quad in quads:
            assert isinstance(quad.subject, (ox.NamedNode, ox.BlankNode)), f"{path.name}: {quad}"
            assert isinstance(quad.predicate, ox.NamedNode), f"{path.name}: {quad}"


def test_the_oxigraph_server_loads_every_file(release_dir, tmp_path):
    program = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(program).is_file():
        require_program("oxigraph", "pip install oxigraph (part of the test extras)")
    for path in rdf_files(release_dir):
        done = subprocess.run([program, "load", "--location", str(tmp_path / path.name), "--file", str(path)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{path.name}: {done.stderr}"
        problems = [line for line in done.stderr.splitlines() if re.search(r"warn|error", line, re.I)]
        assert not problems, f"{path.name}: {problems}"


def test_no_ill_typed_literals(release_dir):
    for path in rdf_files(release_dir):
        for quad in read(path):
            term = quad.object
            if not isinstance(term, ox.Literal):
                continue
            if term.language:
                assert LANGUAGE_TAG.match(term.language), f"{path.name}: bad language tag in {quad}"
                continue
            rdflib_term = Literal(term.value, datatype=URIRef(term.datatype.value))
            assert not rdflib_term.ill_typed, f"{path.name}: ill-typed literal in {quad}"


def test_the_catalog_resolves_every_import_to_a_released_file(release_dir):
    """Protégé reads catalog-v001.xml beside the file it opens; every owl:imports must resolve there."""
    entries = {e.get("name"): e.get("uri")
               for e in ET.parse(release_dir / CATALOG).getroot().iter("{urn:oasis:names:tc:entity:xmlns:xml:catalog}uri")}
    assert entries[iris.ONTOLOGY_IRI] == entries[f"{iris.ONTOLOGY_IRI}/{kg.__version__}"] == "dispute-kg-ontology.ttl"
    imported = {str(q.object.value) for path in rdf_files(release_dir) for q in read(path)
                if q.predicate == ox.NamedNode(str(OWL.imports))}
    assert imported and imported <= set(entries)
    for name, target in entries.items():
        ontologies = {str(q.subject.value) for q in read(release_dir / target)
                      if q.object == ox.NamedNode(str(OWL.Ontology))}
        versions = {str(q.object.value) for q in read(release_dir / target)
                    if q.predicate == ox.NamedNode(str(OWL.versionIRI))}
        assert name in ontologies | versions, f"{name} -> {target}, which declares {ontologies}"


def test_a_malformed_catalog_stops_the_release(tmp_path):
    path = tmp_path / CATALOG
    path.write_bytes(b"<catalog><uri name='x'></catalog>")
    with pytest.raises(ReleaseError, match=CATALOG):
        verify_release_file(path, path.read_bytes())


def test_ill_typed_check_can_fail():
    assert Literal("2019-02-30", datatype=URIRef(XSD + "date")).ill_typed
    assert Literal("zero", datatype=URIRef(XSD + "positiveInteger")).ill_typed


def test_blank_nodes_only_where_owl_or_shacl_need_them(release_dir):
    """The facts never have blank nodes; ontology and shapes keep theirs with canonical labels."""
    for path in rdf_files(release_dir):
        for quad in read(path):
            blank = [t for t in (quad.subject, quad.object) if isinstance(t, ox.BlankNode)]
            if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(iris.ID):
                assert not blank, f"{path.name}: blank node in the data: {quad}"
            if path.name in (BY_SOURCE, "void.ttl", "validation-report.ttl"):
                assert not blank, f"{path.name}: {quad}"
    for path in release_dir.glob("*.nt"):
        labels = set(re.findall(rb"_:(\S+)", path.read_bytes()))
        assert all(re.fullmatch(rb"c14n\d+", label) for label in labels), (path.name, sorted(labels)[:3])
    assert re.search(rb"_:c14n\d+", (release_dir / "dispute-kg-shapes.nt").read_bytes())


def test_turtle_declares_a_prefix_for_every_namespace_used(release_dir):
    for path in sorted(release_dir.glob("*.ttl")) + [release_dir / BY_SOURCE]:
        text = path.read_text(encoding="utf-8")
        declared = dict(re.findall(r"^@prefix\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>\s*\.\s*$", text, re.M))
        used = set()
        for quad in read(path):
            if quad.predicate.value == iris.PREFIXES["rdf"] + "type":
                used.add(quad.object.value)  # the predicate is written 'a'
            else:
                used.add(quad.predicate.value)
            if isinstance(quad.object, ox.Literal) and not quad.object.language \
                    and quad.object.datatype.value != XSD + "string":
                used.add(quad.object.datatype.value)
            for term in (quad.subject, quad.object):
                if isinstance(term, ox.NamedNode) and term.value.startswith(iris.ID):
                    used.add(term.value)
        missing = sorted(iri for iri in used if not any(iri.startswith(ns) for ns in declared.values()))
        assert not missing, f"{path.name}: no prefix declared for {missing[:5]}"
        body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix"))
        assert f"<{iris.ID}" not in body, f"{path.name} writes resource IRIs in full"


@pytest.mark.slow  # rdflib's graphs of the whole curated graph, as the reference
def test_graphs_are_isomorphic_to_what_was_built(release_dir, built):
    for stem, graph in (("dispute-kg", built.asserted), ("dispute-kg-inferred", built.inferred)):
        expected = quads_of(graph)
        for suffix in (".ttl", ".nt", ".jsonld"):
            assert_isomorphic(read(release_dir / f"{stem}{suffix}"), expected, stem + suffix)


def test_ontology_and_shapes_are_isomorphic_to_their_sources(release_dir):
    """Read the hand-edited sources with pyoxigraph too: rdflib is in neither path."""
    from kg.resources import ontology_files, shapes_files

    for stem, sources in (("dispute-kg-ontology", ontology_files()), ("dispute-kg-shapes", shapes_files())):
        expected = [q for path in sources for q in ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE)]
        for suffix in (".ttl", ".nt", ".jsonld"):
            assert_isomorphic(read(release_dir / f"{stem}{suffix}"), expected, stem + suffix)


def test_canonical_labels_do_not_depend_on_input_labels():
    text = """@prefix ex: <http://example.org/> .
        ex:s ex:p [ ex:q ( "a" "b" ) ] , [ ex:r 1 ] ."""
    first = Graph().parse(data=text, format="turtle")
    second = Graph().parse(data=text, format="turtle")
    assert serialize(canonical(first), "ntriples") == serialize(canonical(second), "ntriples")
    assert set(first.all_nodes()) != set(second.all_nodes())  # rdflib picked other labels


# ---------------------------------------------------------------------------
# JSON-LD
# ---------------------------------------------------------------------------

def test_jsonld_files_embed_the_published_context(release_dir):
    context = json.loads((release_dir / "context.jsonld").read_text(encoding="utf-8"))
    assert isinstance(context["@context"], dict)
    assert all(isinstance(v, str) and v.startswith(("http://", "https://")) for v in context["@context"].values())
    for path in release_dir.glob("*.jsonld"):
        if path.name != "context.jsonld":
            document = json.loads(path.read_text(encoding="utf-8"))
            assert document["@context"] == context["@context"], path.name


def test_context_file_works_with_a_jsonld_parser(release_dir):
    context = json.loads((release_dir / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    document = {"@context": context, "@id": "event:example", "@type": "dkg:Meeting",
                "dkg:earliestDate": {"@value": "2019-08-21", "@type": "xsd:date"},
                "dkg:representing": {"@id": "agent:japan"}}
    quads = {str(q) for q in ox.parse(json.dumps(document).encode(), format=ox.RdfFormat.JSON_LD)}
    event = f"<{iris.ID}event/example>"
    assert f"{event} <{iris.DKG}representing> <{iris.ID}agent/japan>" in quads
    assert f'{event} <{iris.DKG}earliestDate> "2019-08-21"^^<{XSD}date>' in quads


@pytest.mark.slow  # rdflib's graphs of the whole curated graph, as the reference
def test_the_direct_jsonld_writer_gives_rdflibs_bytes(built):
    """Blank-node-free graphs are written without rdflib's JSON-LD processor, to the same bytes."""
    from kg.graph import ntriples
    from kg.graph.rdfio import _stable_jsonld, jsonld_from_ntriples
    from kg.publish.release import CONTEXT, with_prefixes

    for graph in (built.asserted, built.inferred):
        graph = with_prefixes(graph)
        direct = jsonld_from_ntriples(ntriples.document(ntriples.lines(graph)), CONTEXT["@context"])
        assert direct == _stable_jsonld(graph, CONTEXT["@context"])


def test_the_direct_jsonld_writer_keeps_every_literal_and_iri():
    from kg.graph.rdfio import jsonld_from_ntriples

    turtle = """@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:s ex:p "05"^^xsd:integer, "5"^^xsd:integer, "-0"^^xsd:integer, "true"^^xsd:boolean, "1"^^xsd:boolean,
            "x"@ko, "x", "2019-08-20"^^xsd:date, "1.0E0"^^xsd:double, "12345678901234567890123"^^xsd:integer ;
            a ex:C, ex:D ; ex:q <http://example.org/a(b)>, <http://example.org/>, <http://other.example/x> ."""
    graph = Graph().parse(data=turtle, format="turtle")
    context = {"ex": "http://example.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"}
    for written in (jsonld_from_ntriples(graph.serialize(format="nt", encoding="utf-8"), context),
                    serialize(graph, "jsonld", context=context)):
        assert_isomorphic(list(ox.parse(written, format=ox.RdfFormat.JSON_LD)), quads_of(graph), "direct JSON-LD")
    for data in ('<ex:thing> <http://example.org/p> "v" .', '<ex:thing> <http://example.org/p> _:b .'):
        clash = Graph().parse(data=data, format="nt")  # rdflib would write "ex:thing": another IRI
        with pytest.raises(RDFInputError, match="ex:thing.*'ex' is a prefix"):
            serialize(clash, "jsonld", context=context)


def test_jsonld_keeps_list_order():
    graph = Graph().parse(data='@prefix ex: <http://example.org/> . ex:s ex:p ( "c" "a" "b" ) .',
                          format="turtle")
    assert_isomorphic(list(ox.parse(serialize(graph, "jsonld"), format=ox.RdfFormat.JSON_LD)),
                      quads_of(graph), "a JSON-LD list")


# ---------------------------------------------------------------------------
# Version
# ---------------------------------------------------------------------------

def test_package_version_is_the_pyproject_version():
    with open(ROOT / "pyproject.toml", "rb") as handle:
        assert kg.__version__ == tomllib.load(handle)["project"]["version"]


def test_release_carries_the_version(release_dir):
    ontology = URIRef(iris.ONTOLOGY_IRI)
    for name in ("dispute-kg-ontology.ttl", "dispute-kg.ttl", "dispute-kg-inferred.ttl"):
        graph = parse_file(release_dir / name)
        assert list(graph.objects(ontology, OWL.versionInfo)) == [Literal(kg.__version__)], name
        assert list(graph.objects(ontology, OWL.versionIRI)) == \
            [URIRef(f"{iris.ONTOLOGY_IRI}/{kg.__version__}")], name
    void = parse_file(release_dir / "void.ttl")
    assert Literal(kg.__version__) in set(void.objects(URIRef(iris.BASE + "dataset"), OWL.versionInfo))


def test_stamp_version_replaces_the_ontology_version():
    graph = Graph()
    ontology = URIRef(iris.ONTOLOGY_IRI)
    graph.add((ontology, RDF.type, OWL.Ontology))
    graph.add((ontology, OWL.versionInfo, Literal("0.0.1")))
    graph = rdflib_graph(ntriples.document(stamp_version(ntriples.lines(graph), "9.9.9")))
    assert set(graph.objects(ontology, OWL.versionInfo)) == {Literal("9.9.9")}
    assert set(graph.objects(ontology, OWL.versionIRI)) == {URIRef(iris.ONTOLOGY_IRI + "/9.9.9")}


# ---------------------------------------------------------------------------
# Shapes stay usable
# ---------------------------------------------------------------------------

def test_released_shapes_find_the_same_violations_as_the_sources(release_dir, built):
    from kg.graph.namespaces import DKG
    from kg.shacl.validate import load_shapes, validate_graph

    broken = Graph()
    for triple in built.inferred:
        broken.add(triple)
    japan = URIRef(iris.resource_iri("agents", "japan"))
    broken.remove((japan, URIRef(iris.PREFIXES["rdfs"] + "label"), Literal("Japan", lang="en")))
    claim = next(iter(broken.subjects(RDF.type, DKG.Claim)))
    broken.set((claim, DKG.reportedAs, Literal("someday")))  # sh:in, a list in the shapes

    def found(shapes):
        report = validate_graph(broken, shapes=shapes)
        return {(str(p.focus_term), str(p.component_term), str(p.path_term)) for p in report.problems}

    released = parse_file(release_dir / "dispute-kg-shapes.ttl")
    expected = found(load_shapes())
    assert {focus for focus, _, _ in expected} >= {str(japan), str(claim)}
    assert found(released) == expected
    assert validate_graph(built.inferred, shapes=released).conforms


# ---------------------------------------------------------------------------
# The facts by source (TriG)
# ---------------------------------------------------------------------------

def test_trig_has_one_named_graph_per_source_and_its_union_is_the_facts(release_dir, built):
    from kg.graph.namespaces import DKG
    from kg.reference.infer import asserted_graph

    quads = read(release_dir / BY_SOURCE)
    names = {q.graph_name.value for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    cited = {str(s) for s in built.asserted.objects(None, DKG.citedIn)}
    assert names == cited
    facts = asserted_graph(built.facts, ontology=False)
    union = [ox.Quad(q.subject, q.predicate, q.object) for q in quads]
    assert_isomorphic(list(set(union)), quads_of(facts), "the union of the TriG graphs")


def test_what_a_source_says_is_one_graph_pattern(release_dir, built):
    from kg.graph.namespaces import DKG

    store = ox.Store()
    store.load((release_dir / BY_SOURCE).read_bytes(), format=ox.RdfFormat.TRIG)
    source = iris.resource_iri("sources", "reuters-2019-08-20-second-photoresist-approval")
    event = iris.resource_iri("events", "second-photoresist-approval")
    rows = store.query(f"""PREFIX dkg: <{iris.DKG}>
        SELECT ?quote WHERE {{ GRAPH <{source}> {{ ?claim dkg:claimAbout <{event}> ; dkg:quote ?quote }} }}""")
    quotes = {row["quote"].value for row in rows}
    expected = {str(q) for c in built.asserted.subjects(DKG.claimAbout, URIRef(event))
                if (c, DKG.citedIn, URIRef(source)) in built.asserted
                for q in built.asserted.objects(c, DKG.quote)}
    assert quotes == expected and quotes
    said = {(row["p"].value, str(row["o"])) for row in store.query(
        f"SELECT ?p ?o WHERE {{ GRAPH <{source}> {{ <{event}> ?p ?o }} }}")}
    earliest = built.asserted.value(URIRef(event), DKG.earliestDate)
    assert (iris.DKG + "earliestDate", f'"{earliest}"^^<{XSD}date>') in said
    assert (iris.DKG + "source", f"<{source}>") in said


def test_a_record_cited_by_two_sources_stands_in_both_graphs(facts_copy):
    from kg.facts.loader import load_facts
    from kg.graph.namespaces import DKG
    from kg.reference.infer import asserted_graph

    with open(facts_copy / "sources.yaml", "a", encoding="utf-8") as handle:
        handle.write("""
  - id: test-second-report
    type: NewsReport
    title: A second report, made up for this test
    publisher: reuters
    published: 2019-08-22
    language: en
""")
    events = facts_copy / "events.yaml"
    text = events.read_text(encoding="utf-8")
    anchor = "        reported_as: future\n\n  - id: china-japan-south-korea-foreign-ministers-meeting-2019-08"
    assert anchor in text
    events.write_text(text.replace(anchor, "        reported_as: future\n      - source: test-second-report\n"
                                   "        quote: The two ministers met in Beijing.\n\n"
                                   "  - id: china-japan-south-korea-foreign-ministers-meeting-2019-08"),
                      encoding="utf-8")
    facts = asserted_graph(load_facts(facts_copy), ontology=False)
    default, named = by_source(ntriples.document(ntriples.lines(facts)))
    first = ox.NamedNode(iris.resource_iri("sources", "reuters-2019-08-20-second-photoresist-approval"))
    second = ox.NamedNode(iris.resource_iri("sources", "test-second-report"))
    meeting = ox.NamedNode(iris.resource_iri("events", "kono-kang-meeting-beijing-2019-08-21"))
    earliest, source, claim_about, cited_in, published = (
        ox.NamedNode(str(p)) for p in (DKG.earliestDate, DKG.source, DKG.claimAbout, DKG.citedIn, DKG.publishedOn))

    def objects(graph, subject, predicate):
        return {t.object for t in graph if t.subject == subject and t.predicate == predicate}

    for own, other in ((first, second), (second, first)):
        graph = named[own]
        assert objects(graph, meeting, earliest)
        assert objects(graph, meeting, source) == {own}
        claims = {t.subject for t in graph if t.predicate == claim_about and t.object == meeting}
        assert len(claims) == 1 and objects(graph, next(iter(claims)), cited_in) == {own}
        assert not any(t.predicate == cited_in and t.object == other for t in graph)
    assert objects(default, second, published)


@pytest.mark.slow  # rdflib's graphs of the whole curated graph, as the reference
def test_big_graphs_are_written_from_their_ntriples_as_rdflib_would_write_them(built):
    """The asserted and inferred files skip the rdflib graph (the release's slowest part) and
    are the bytes graph_files writes from one."""
    from kg.publish.release import graph_files, ntriples_files

    for name in ("asserted", "inferred"):
        assert ntriples_files("x", built.ntriples(name)) == graph_files("x", built.rdflib(name))
    with_blank = b'<https://w3id.org/dispute-kg/id/event/a> <http://purl.org/dc/terms/source> _:b .\n'
    assert ntriples_files("x", with_blank) == graph_files("x", rdflib_graph(with_blank))


# ---------------------------------------------------------------------------
# VoID
# ---------------------------------------------------------------------------

def void_value(store: ox.Store, subject: str, predicate: str) -> list[str]:
    rows = store.query(f"SELECT ?o WHERE {{ <{subject}> <{predicate}> ?o }} ORDER BY ?o")
    return [row["o"].value for row in rows]


def count(store: ox.Store, query: str) -> int:
    return int(next(iter(store.query(query)))["n"].value)


def test_void_counts_match_the_inferred_graph(release_dir):
    void = ox.Store()
    void.load((release_dir / "void.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    data = ox.Store()
    data.load((release_dir / "dispute-kg-inferred.nt").read_bytes(), format=ox.RdfFormat.N_TRIPLES)
    dataset = iris.BASE + "dataset"
    ns = "http://rdfs.org/ns/void#"
    expected = {
        "triples": count(data, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        "entities": count(data, f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o '
                                f'FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{iris.ID}")) }}'),
        "classes": count(data, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }"),
        "properties": count(data, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }"),
        "distinctSubjects": count(data, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        "distinctObjects": count(data, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
    }
    for name, value in expected.items():
        assert void_value(void, dataset, ns + name) == [str(value)], name
    event_partition = f"{dataset}/class/dkg-Event"
    assert void_value(void, event_partition, ns + "entities") == \
        [str(count(data, f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a <{iris.DKG}Event> }}"))]
    assert void_value(void, dataset, "http://purl.org/dc/terms/license") == \
        ["https://creativecommons.org/licenses/by/4.0/"]
    assert void_value(void, dataset, ns + "uriSpace") == [iris.ID]
    assert void_value(void, dataset, ns + "sparqlEndpoint") == []
    dumps = [d for s in (dataset, dataset + "/asserted", dataset + "/by-source")
             for d in void_value(void, s, ns + "dataDump")]
    prefix = f"{iris.BASE}release/{kg.__version__}/"
    assert dumps and all(d.startswith(prefix) for d in dumps)
    assert all((release_dir / d[len(prefix):]).is_file() for d in dumps)


def test_void_names_the_endpoint_and_links_to_wikidata(facts_copy, tmp_path):
    from kg.pipeline import release

    agents = facts_copy / "agents.yaml"
    agents.write_text(agents.read_text(encoding="utf-8").replace(
        "  - id: japan\n    type: State\n", "  - id: japan\n    type: State\n    wikidata: Q17\n"),
        encoding="utf-8")
    release(tmp_path / "dist", facts_copy, sparql_endpoint="http://127.0.0.1:7878/query")
    void = ox.Store()
    void.load((tmp_path / "dist" / "void.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    rows = list(void.query("""PREFIX void: <http://rdfs.org/ns/void#>
        SELECT ?endpoint ?predicate ?links ?space WHERE {
          ?dataset void:sparqlEndpoint ?endpoint ; void:subset ?linkset .
          ?linkset a void:Linkset ; void:linkPredicate ?predicate ; void:triples ?links ;
                   void:subjectsTarget ?dataset ; void:objectsTarget/void:uriSpace ?space }"""))
    assert [(r["endpoint"].value, r["predicate"].value, r["links"].value, r["space"].value) for r in rows] == \
        [("http://127.0.0.1:7878/query", iris.PREFIXES["skos"] + "exactMatch", "1",
          "http://www.wikidata.org/entity/")]


def test_a_bad_endpoint_is_bad_input_and_writes_nothing(cli, tmp_path):
    code, _, err = cli("build", "--out", tmp_path / "dist", "--sparql-endpoint", "not a url")
    assert code == 2 and "--sparql-endpoint" in err
    assert not (tmp_path / "dist").exists()


# ---------------------------------------------------------------------------
# Atomic and deterministic
# ---------------------------------------------------------------------------

def test_a_failed_build_leaves_the_previous_release_intact(cli, release_dir, facts_copy, tmp_path):
    out = tmp_path / "dist"
    shutil.copytree(release_dir, out)
    events = facts_copy / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("earliest: 2019-08-21", "earliest: 2019-08-32"),
                      encoding="utf-8")
    code, _, err = cli("build", "--out", out, "--facts", facts_copy)
    assert code == 2 and "events.yaml" in err
    assert every_file(out) == every_file(release_dir)


def test_release_files_are_readable_by_others(tmp_path):
    from kg.files import write_atomic

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "f.ttl", b"")
    finally:
        os.umask(old)
    assert (tmp_path / "f.ttl").stat().st_mode & 0o777 == 0o644


@pytest.mark.slow
def test_two_builds_give_byte_identical_releases(tmp_path):
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"dist-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = run_command("build", "--out", out, env=env)
        assert done.returncode == 0, done.stderr
        outs.append(out)
    first = every_file(outs[0])
    assert "site/index.html" in first and every_file(outs[1]) == first


def test_the_ontology_page_renders_from_a_read_only_pylode(monkeypatch, tmp_path):
    """pyLODE caches a pickle in its own folder on first use; a read-only install must not fail the build."""
    import builtins
    import errno

    from pylode import utils

    from kg.publish import docs

    expected = docs.ontology_html()
    fresh = tmp_path / "rdf"
    shutil.copytree(utils.RDF_FOLDER, fresh, ignore=shutil.ignore_patterns("refs.pickle"))
    monkeypatch.setattr(utils, "RDF_FOLDER", fresh)
    real_open, refused = builtins.open, []

    def read_only(file, mode="r", *args, **kwargs):
        if str(file).startswith(str(fresh)) and "w" in mode:
            refused.append(file)
            raise OSError(errno.EROFS, "Read-only file system", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", read_only)
    assert docs.ontology_html() == expected
    assert refused and not (fresh / "refs.pickle").exists()
