"""Independent checks of the ontology with Java tools, not our own code:

* the OWL API's OWL 2 DL profile checker (what Protege and ROBOT use), run on
  the ontology alone and together with the curated data;
* HermiT (through owlready2) for the consistency of the ontology with the data.

Both ship inside the owlready2 package (a test dependency) and run offline;
they need Java 11 or later (`apt-get install -y default-jre-headless`). Each is
shown to fail on a broken copy. HermiT runs with --ignoreUnsupportedDatatypes:
xsd:date is outside the OWL 2 datatype map (see ontology/README.md).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from rdflib import Graph

from kg.graph.ontology import load_ontology
from tests.conftest import require_program

pytestmark = pytest.mark.slow
PROFILE_CHECKER = Path(__file__).parent / "java" / "OWL2DLProfile.java"
DKG = "@prefix dkg: <https://w3id.org/dispute-kg/ontology#> .\n"


@pytest.fixture(scope="module")
def java():
    return require_program("java", "install Java 17: apt-get install -y default-jre-headless")


def _rdfxml(graph: Graph, path: Path) -> Path:
    graph.serialize(path, format="xml")
    return path


def _with(graph: Graph, turtle: str) -> Graph:
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    broken.parse(data=DKG + turtle, format="turtle")
    return broken


def owl2_dl_violations(java: str, graph: Graph, tmp_path: Path) -> list[str]:
    """The OWL API's OWL 2 DL profile violations of ``graph`` (empty: in the profile)."""
    import owlready2

    classpath = str(Path(owlready2.__file__).parent / "pellet" / "*")
    document = _rdfxml(graph, tmp_path / "profile-input.owl")
    run = subprocess.run([java, "-cp", classpath, str(PROFILE_CHECKER), str(document)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode in (0, 1), run.stderr
    violations = [line for line in run.stdout.splitlines() if line.strip()]
    assert (run.returncode == 0) == (not violations)
    return violations


def hermit_consistent(graph: Graph, tmp_path: Path) -> bool:
    """Whether HermiT finds ``graph`` consistent."""
    import owlready2

    world = owlready2.World()
    world.get_ontology(_rdfxml(graph, tmp_path / "hermit-input.owl").as_uri()).load()
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                       ignore_unsupported_datatypes=True)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    finally:
        world.close()
    return True


def test_ontology_is_in_owl2_dl(java, tmp_path):
    assert owl2_dl_violations(java, load_ontology(), tmp_path) == []


def test_ontology_with_the_curated_data_is_in_owl2_dl(java, built, tmp_path):
    assert owl2_dl_violations(java, built.asserted, tmp_path) == []


@pytest.mark.parametrize("broken, expected", [
    ("dkg:precedes a <http://www.w3.org/2002/07/owl#IrreflexiveProperty> .",
     "Use of non-simple property in IrrefexiveObjectProperty axiom"),
    ("dkg:quote a <http://www.w3.org/2002/07/owl#ObjectProperty> .",
     "Cannot pun between properties"),
    ("dkg:Event dkg:undeclaredAnnotation \"x\" .", "Use of undeclared annotation property"),
], ids=["irreflexive-transitive", "property-punning", "undeclared-property"])
def test_profile_check_fails_on_a_broken_copy(java, tmp_path, broken, expected):
    violations = owl2_dl_violations(java, _with(load_ontology(), broken), tmp_path)
    assert any(expected in v for v in violations), violations


def test_hermit_finds_the_ontology_and_data_consistent(java, built, tmp_path):
    assert hermit_consistent(built.asserted, tmp_path)


@pytest.mark.parametrize("broken", [
    "dkg:Person <http://www.w3.org/2000/01/rdf-schema#subClassOf> dkg:Organisation .",
    "<https://w3id.org/dispute-kg/id/agent/japan> a dkg:Person .",
], ids=["broken-ontology", "broken-data"])
def test_hermit_finds_a_broken_copy_inconsistent(java, built, tmp_path, broken):
    assert not hermit_consistent(_with(built.asserted, broken), tmp_path)
