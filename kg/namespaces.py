"""rdflib namespaces: a closed namespace for our own terms, plus reused vocabularies.

``DKG`` is closed (``_fail = True``): a misspelt term is an AttributeError at
import time rather than a silently minted IRI. A test checks it lists exactly
the terms the ontology declares.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg import iris


class DKG(DefinedNamespace):
    """Terms of the dispute-kg ontology (ontology/dispute-kg.ttl)."""

    _NS = Namespace(iris.DKG)
    _fail = True

    # Classes
    Agent: URIRef
    AnonymousSource: URIRef
    BilateralMeeting: URIRef
    Claim: URIRef
    DeclinedComment: URIRef
    Event: URIRef
    ExportApproval: URIRef
    ExportControlTightening: URIRef
    Firm: URIRef
    GovernmentBody: URIRef
    InternationalOrganisation: URIRef
    Material: URIRef
    Measure: URIRef
    Meeting: URIRef
    NewsOrganisation: URIRef
    NewsReport: URIRef
    OfficialDocument: URIRef
    Organisation: URIRef
    Person: URIRef
    Place: URIRef
    Post: URIRef
    RelationsDevelopment: URIRef
    SourceDocument: URIRef
    State: URIRef
    Statement: URIRef
    Tenure: URIRef
    TrilateralMeeting: URIRef

    # Properties
    about: URIRef
    actor: URIRef
    actorIn: URIRef
    attestedOn: URIRef
    attributedTo: URIRef
    citedIn: URIRef
    claimAbout: URIRef
    concernsMaterial: URIRef
    confidence: URIRef
    datePrecision: URIRef
    dateResolvedAgainst: URIRef
    dateText: URIRef
    earliestDate: URIRef
    endDate: URIRef
    endUser: URIRef
    follows: URIRef
    hasClaim: URIRef
    hasTenure: URIRef
    heldTenure: URIRef
    holder: URIRef
    inCapacityOf: URIRef
    latestDate: URIRef
    materialCount: URIRef
    ordinal: URIRef
    participant: URIRef
    place: URIRef
    postIn: URIRef
    precedes: URIRef
    publishedOn: URIRef
    publisher: URIRef
    quote: URIRef
    reportedAs: URIRef
    representing: URIRef
    republishedBy: URIRef
    respondsTo: URIRef
    source: URIRef
    speaker: URIRef
    startDate: URIRef
    statementText: URIRef
    target: URIRef
    tenureOf: URIRef
    underMeasure: URIRef
    usedIn: URIRef


TIME = Namespace("http://www.w3.org/2006/time#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
WD = Namespace("http://www.wikidata.org/entity/")


def bind_prefixes(graph) -> None:
    """Bind every prefix we use, so Turtle output is readable and stable."""
    for prefix, namespace in iris.PREFIXES.items():
        graph.bind(prefix, Namespace(namespace), override=True, replace=True)
