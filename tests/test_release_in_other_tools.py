"""The release opened by the tools people will open it with, not by our own code:

* **Apache Jena** (Debian's ``libapache-jena-java``): ``riot --validate --strict``
  reads every RDF file without a warning and counts the same triples as
  pyoxigraph; Jena's SHACL engine finds the released data conforming to the
  released shapes and reports exactly what our engine reports on every failing
  shapes example.
* **Protégé's parser stack**, the OWL API 5 (Debian's ``libowlapi-java``): every
  file opens with the directory's ``catalog-v001.xml`` resolving imports, with no
  unparsed triple, no missing import and no logged warning; the same number of
  axioms from each serialisation; the ontology in the OWL 2 DL profile.

Java programs run with the JDK's source launcher (no build step), on the
classpaths tests/javatools.py knows. Each check is also shown to fail on a
broken input, so a silent tool cannot pass it.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from tests import javatools, shape_examples
from tests.shape_examples import INVALID
from tests.test_release import rdf_files, read

pytestmark = pytest.mark.slow
LOGGED_PROBLEM = re.compile(r"\b(WARN|ERROR)\b|Unparsed triple")
XSD_DATE = "xsd:date"


def tool(which, tmp_path_factory):
    """A runner for Jena or the OWL API; skip (fail under CI=true) when it is not installed."""
    scratch = tmp_path_factory.mktemp("java")
    try:
        javatools.java()
        javatools.classpath(which, scratch)
    except javatools.MissingTool as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{exc}; CI must install it")
        pytest.skip(str(exc))
    return lambda *args: javatools.run(which, args, scratch)


@pytest.fixture(scope="module")
def jena(tmp_path_factory):
    return tool(javatools.JENA, tmp_path_factory)


@pytest.fixture(scope="module")
def owlapi(tmp_path_factory):
    run = tool(javatools.OWLAPI, tmp_path_factory)
    return lambda *files: run(javatools.JAVA_SOURCES / "ProtegeLoad.java", *files)


# ---------------------------------------------------------------------------
# Apache Jena
# ---------------------------------------------------------------------------

def riot(jena, *args):
    """Jena's riot; JSON-LD read by its JSON-LD 1.0 reader (jsonld-java): Debian packages
    no JSON-P provider, which the JSON-LD 1.1 reader (Titanium) needs."""
    files = [Path(a) for a in args if isinstance(a, Path)]
    options = [a for a in args if not isinstance(a, Path)]
    runs = []
    for jsonld in (False, True):
        chosen = [f for f in files if (f.suffix == ".jsonld") == jsonld]
        if chosen:
            runs.append(jena("riotcmd.riot", *options, *(["--syntax=jsonld10"] if jsonld else []), *chosen))
    return runs


def test_jena_reads_every_file_strictly_without_a_word(jena, release_dir):
    files = rdf_files(release_dir) + [release_dir / "context.jsonld"]
    for run in riot(jena, "--validate", "--strict", *files):
        said = [line for line in (run.stdout + run.stderr).splitlines()
                if line.strip() and not re.fullmatch(r"\[main\] INFO org\.apache\.jena\.riot - File: \S+", line)]
        assert run.returncode == 0 and not said, "\n".join(said)


def test_jena_counts_what_pyoxigraph_reads(jena, release_dir):
    files = rdf_files(release_dir)
    counted = {}
    for run in riot(jena, "--count", *files):
        assert run.returncode == 0, run.stderr
        for line in run.stdout.splitlines() + run.stderr.splitlines():
            found = re.match(r"(?:file://)?(\S+)\s*:\s*(?:Triples|Quads) = ([\d,]+)", line.strip())
            if found:
                counted[Path(found[1]).name] = int(found[2].replace(",", ""))
    assert counted == {path.name: len(read(path)) for path in files}


def test_jena_strict_reading_can_fail(jena, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                   '<http://example.org/a> <http://example.org/date> "2019-02-30"^^xsd:date .\n'
                   '<http://example.org/b> <http://example.org/p> <not an iri> .\n')
    (run,) = riot(jena, "--validate", "--strict", bad)
    assert run.returncode != 0, run.stdout + run.stderr
    assert "2019-02-30" in run.stdout + run.stderr


def jena_shacl(jena, shapes: Path, *data: Path) -> tuple[dict[str, bool], set[tuple]]:
    """Jena SHACL's verdict per data file and its results as (file, focus, component, path, severity)."""
    run = jena(javatools.JAVA_SOURCES / "JenaShacl.java", shapes, *data)
    assert run.returncode == 0, run.stderr
    assert not LOGGED_PROBLEM.search(run.stderr), run.stderr
    conforms, results = {}, set()
    for line in run.stdout.splitlines():
        if line.startswith("CONFORMS "):
            _, name, verdict = line.split(" ")
            conforms[name] = verdict == "true"
        elif line.startswith("RESULT\t"):
            _, name, focus, component, path, severity = line.split("\t")
            results.add((name, focus, component, path if path.startswith("http") or path == "-" else "complex",
                         severity))
    return conforms, results


def test_jena_shacl_finds_the_released_data_conforming(jena, release_dir):
    data = release_dir / "dispute-kg-inferred.ttl"
    conforms, results = jena_shacl(jena, release_dir / "dispute-kg-shapes.ttl", data)
    assert conforms == {str(data): True} and not results


def test_jena_shacl_reports_what_ours_reports_on_every_failing_example(jena, release_dir, tmp_path):
    ours, files = set(), []
    for example in INVALID:
        path = tmp_path / f"{example.stem}.nt"
        path.write_bytes(shape_examples.view(example).serialize(format="nt", encoding="utf-8"))
        files.append(path)
        for p in shape_examples.report(example).problems:  # made once per run, shared with test_shapes
            route = "-" if p.path_term is None else str(p.path_term)
            ours.add((str(path), str(p.focus_term), str(p.component_term),
                      route if route == "-" or route.startswith("http") else "complex", p.severity))
    conforms, theirs = jena_shacl(jena, release_dir / "dispute-kg-shapes.ttl", *files)
    assert not any(conforms.values())
    # our engine leaves a complex path (a blank node) out of its result: compare it as "complex"
    theirs = {r if r[3] != "complex" else r[:3] + ("-",) + r[4:] for r in theirs}
    ours = {r if r[3] != "complex" else r[:3] + ("-",) + r[4:] for r in ours}
    assert theirs == ours, f"only Jena: {sorted(theirs - ours)[:5]}\nonly ours: {sorted(ours - theirs)[:5]}"


# ---------------------------------------------------------------------------
# Protégé (the OWL API 5)
# ---------------------------------------------------------------------------

def protege_open(owlapi, *files: Path) -> tuple[dict[str, int], list[str], dict[str, list[str]]]:
    """What the OWL API said: axioms per file, problems (its own and logged), profile violations per file."""
    run = owlapi(*files)
    axioms, problems, profile = {}, [], defaultdict(list)
    for line in run.stdout.splitlines():
        kind, _, rest = line.partition(" ")
        name, _, detail = rest.partition(" ")
        if kind == "LOADED":
            axioms[Path(name).name] = int(detail.rsplit("axioms=", 1)[1])
        elif kind == "PROFILE":
            profile[Path(name).name].append(detail)
        elif line.strip():
            problems.append(line)
    problems += [line for line in run.stderr.splitlines() if LOGGED_PROBLEM.search(line)]
    assert run.returncode in (0, 1), run.stderr[-2000:]  # 1: problems of its own (logged ones: exit 0)
    return axioms, problems, profile


@pytest.fixture(scope="module")
def protege_on_release(owlapi, release_dir):
    files = [p for p in rdf_files(release_dir) if p.suffix != ".trig"] + [release_dir / "dispute-kg-by-source.trig"]
    return protege_open(owlapi, *files)


def test_protege_opens_every_file_without_a_problem(protege_on_release, release_dir):
    axioms, problems, _ = protege_on_release
    assert not problems
    assert set(axioms) == {p.name for p in rdf_files(release_dir)}


def test_protege_reads_the_same_axioms_from_every_serialisation(protege_on_release):
    axioms, _, _ = protege_on_release
    by_stem = defaultdict(set)
    for name, count in axioms.items():
        by_stem[name.rsplit(".", 1)[0]].add(count)
    assert all(len(counts) == 1 for counts in by_stem.values()), dict(by_stem)
    assert min(by_stem["dispute-kg-ontology"]) > 500


def test_owl_api_5_finds_the_ontology_in_owl2_dl(protege_on_release):
    _, _, profile = protege_on_release
    for suffix in (".ttl", ".nt", ".jsonld"):
        assert profile.get("dispute-kg-ontology" + suffix, []) == []


def test_the_graphs_leave_owl2_dl_only_by_their_date_literals(protege_on_release):
    """OWL 2 DL has no xsd:date literals (the datatype is outside its datatype map):
    that is the only profile violation the data adds."""
    _, _, profile = protege_on_release
    for stem in ("dispute-kg", "dispute-kg-inferred"):
        found = profile[stem + ".ttl"]
        assert found, "a date literal should be reported"
        assert {v.split(" ", 1)[0] for v in found} == {"UseOfDefinedDatatypeInLiteral"}
        assert all(f"^^{XSD_DATE} " in v for v in found), [v for v in found if f"^^{XSD_DATE} " not in v][:3]


def test_the_catalog_resolves_the_shapes_import(owlapi, release_dir, tmp_path):
    alone = tmp_path / "dispute-kg-shapes.ttl"
    shutil.copy(release_dir / alone.name, alone)
    _, problems, _ = protege_open(owlapi, alone)
    assert [p.split(" ")[0] for p in problems] == ["MISSING-IMPORT"]
    shutil.copy(release_dir / "catalog-v001.xml", tmp_path)
    shutil.copy(release_dir / "dispute-kg-ontology.ttl", tmp_path)
    assert protege_open(owlapi, alone)[1] == []


def test_the_protege_check_can_fail(owlapi, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                   "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                   "<http://example.org/> a owl:Ontology .\n"
                   "<http://example.org/A> a owl:Class ;\n"
                   "    rdfs:subClassOf [ a owl:Restriction ; owl:onProperty <http://example.org/p> ] .\n")
    _, problems, profile = protege_open(owlapi, bad)
    assert any("Unparsed triple" in p for p in problems)
    assert profile["bad.ttl"]

