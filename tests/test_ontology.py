"""The ontology file itself: closed namespace, version in sync with the package,
reuse without hijacking, alignments that do not narrow by accident, and its page."""

from __future__ import annotations

import tomllib

import pytest
from rdflib import OWL, RDF, RDFS, Namespace, URIRef

import kg
from kg.graph import iris
from kg.graph.ontology import load_ontology
from kg.graph.namespaces import DKG
from tests.conftest import ROOT

ONTOLOGY = URIRef(iris.ONTOLOGY_IRI)
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
DECLARATIONS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDFS.Datatype}


@pytest.fixture(scope="module")
def ontology():
    return load_ontology()


def test_version_matches_the_package(ontology):
    with (ROOT / "pyproject.toml").open("rb") as handle:
        package_version = tomllib.load(handle)["project"]["version"]
    assert kg.__version__ == package_version
    assert str(ontology.value(ONTOLOGY, OWL.versionInfo)) == package_version
    assert ontology.value(ONTOLOGY, OWL.versionIRI) == URIRef(f"{iris.ONTOLOGY_IRI}/{package_version}")
    assert f"version {package_version}." in str(ontology.value(ONTOLOGY, DCTERMS.bibliographicCitation))


def test_release_dates_are_in_order(ontology):
    created, modified, issued = (ontology.value(ONTOLOGY, DCTERMS[p]).toPython()
                                 for p in ("created", "modified", "issued"))
    assert created <= issued <= modified


def test_reused_terms_are_declared_only(ontology):
    """No axioms added to, and no terms minted in, another vocabulary's namespace."""
    for subject in set(ontology.subjects()):
        if not isinstance(subject, URIRef) or subject.startswith(iris.DKG) or subject == ONTOLOGY:
            continue
        statements = set(ontology.predicate_objects(subject))
        assert len(statements) == 1 and next(iter(statements))[0] == RDF.type \
            and next(iter(statements))[1] in DECLARATIONS, f"{subject} gets {statements}"


#: Domains and ranges of the reused properties our properties specialise, as their
#: specifications give them (PROV-O, W3C ORG, OWL-Time); a tuple is a union.
REUSED = {
    PROV.wasAssociatedWith: (PROV.Activity, PROV.Agent),
    PROV.wasAttributedTo: (PROV.Entity, PROV.Agent),
    PROV.wasDerivedFrom: (PROV.Entity, PROV.Entity),
    PROV.atLocation: ((PROV.Activity, PROV.Agent, PROV.Entity, PROV.InstantaneousEvent), PROV.Location),
    ORG.postIn: (ORG.Post, ORG.Organization),
    ORG.member: (ORG.Membership, FOAF.Agent),
    TIME.before: (TIME.TemporalEntity, TIME.TemporalEntity),
    TIME.after: (TIME.TemporalEntity, TIME.TemporalEntity),
}
#: Sub-class links inside the reused vocabularies that the alignment relies on.
REUSED_SUBCLASSES = {ORG.FormalOrganization: ORG.Organization}


def _fits(ontology, narrow, wide) -> bool:
    wides = wide if isinstance(wide, tuple) else (wide,)
    supers = set(ontology.transitive_objects(narrow, RDFS.subClassOf))
    supers |= {REUSED_SUBCLASSES[s] for s in supers if s in REUSED_SUBCLASSES}
    return bool(supers & set(wides))


@pytest.mark.parametrize("reused", sorted(REUSED), ids=lambda p: p.n3().rsplit("/", 1)[-1])
def test_alignment_does_not_narrow_by_accident(ontology, reused):
    """A sub-property's own domain and range must already lie inside the reused
    property's, or the inherited axioms would intersect with ours (OOPS! P19)."""
    domain, range_ = REUSED[reused]
    ours = list(ontology.subjects(RDFS.subPropertyOf, reused))
    assert ours, f"nothing specialises {reused}"
    for prop in ours:
        assert _fits(ontology, ontology.value(prop, RDFS.domain), domain), f"{prop} domain"
        assert _fits(ontology, ontology.value(prop, RDFS.range), range_), f"{prop} range"


TOP_LEVEL = ("Agent", "Place", "Post", "Tenure", "Material", "Event", "Agreement", "LegalCase",
             "StepKind", "SourceDocument", "Claim")


def test_top_level_classes_are_pairwise_disjoint(ontology):
    for i, a in enumerate(TOP_LEVEL):
        for b in TOP_LEVEL[i + 1:]:
            assert ((DKG[a], OWL.disjointWith, DKG[b]) in ontology
                    or (DKG[b], OWL.disjointWith, DKG[a]) in ontology), f"{a} and {b}"


def test_precedes_is_transitive_and_not_declared_irreflexive(ontology):
    assert (DKG.precedes, RDF.type, OWL.TransitiveProperty) in ontology
    assert (DKG.precedes, RDF.type, OWL.IrreflexiveProperty) not in ontology
    assert (ROOT / "queries" / "checks" / "precedes-reflexive-violation.rq").is_file()


def test_inferred_graph_holds_inverses_memberships_and_ordering(built):
    """What OWL 2 RL adds that people query: inverse links, class memberships
    (own and reused vocabularies) and transitive ordering."""
    g = built.inferred
    event = URIRef(iris.resource_iri("events", "japan-tightens-export-controls-july-2019"))
    earlier = URIRef(iris.resource_iri("events", "relations-worsen-late-2018"))
    japan = URIRef(iris.resource_iri("agents", "japan"))
    assert (earlier, DKG.precedes, event) in g
    assert (japan, DKG.actorIn, event) in g
    assert (event, RDF.type, PROV.Activity) in g
    assert (japan, RDF.type, ORG.FormalOrganization) in g
    assert (event, PROV.wasAssociatedWith, japan) in g
    assert (event, DKG.follows, earlier) in g


def test_ontology_page_documents_every_term(ontology):
    from kg.publish.docs import ontology_html

    page = ontology_html().decode("utf-8")
    assert page == ontology_html().decode("utf-8"), "the page must be byte-identical between runs"
    for term in set(ontology.subjects(RDF.type, None)):
        if term.startswith(iris.DKG) and (term, RDF.type, OWL.NamedIndividual) not in ontology \
                and set(ontology.objects(term, RDF.type)) & DECLARATIONS:
            assert str(ontology.value(term, RDFS.label)) in page, term
    assert "first-photoresist-approval" in page  # an example
    assert "http://www.w3.org/ns/prov#Agent</code>" not in page  # reused terms are not listed as ours
