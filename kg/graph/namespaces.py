"""rdflib namespaces: a closed namespace for our own terms, plus reused vocabularies.

``DKG`` is closed (``_fail = True``): a misspelt term is an AttributeError at
import time rather than a silently minted IRI. A test checks it lists exactly
the terms the ontology declares.
"""

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg.graph import iris


class DKG(DefinedNamespace):
    """Terms of the dispute-kg ontology (ontology/dispute-kg.ttl)."""

    _NS = Namespace(iris.DKG)
    _fail = True

    # Classes
    Agent: URIRef
    Agreement: URIRef
    AgreementAction: URIRef
    AnonymousSource: URIRef
    BilateralMeeting: URIRef
    Claim: URIRef
    Court: URIRef
    CourtRuling: URIRef
    DeclinedComment: URIRef
    Event: URIRef
    EventStatus: URIRef
    ExportApproval: URIRef
    ExportControlEasing: URIRef
    ExportControlLifting: URIRef
    ExportControlTightening: URIRef
    Firm: URIRef
    GovernmentBody: URIRef
    InternationalOrganisation: URIRef
    LegalCase: URIRef
    LegalProceedingStep: URIRef
    Material: URIRef
    Measure: URIRef
    MeasureStep: URIRef
    Meeting: URIRef
    NewsOrganisation: URIRef
    NewsReport: URIRef
    OfficialDocument: URIRef
    Organisation: URIRef
    Person: URIRef
    Place: URIRef
    PolicyDialogue: URIRef
    Post: URIRef
    RelationsDevelopment: URIRef
    Report: URIRef
    SourceDocument: URIRef
    State: URIRef
    Statement: URIRef
    StepKind: URIRef
    Summit: URIRef
    Tenure: URIRef
    TrilateralMeeting: URIRef
    WhiteListRemoval: URIRef
    WhiteListRestoration: URIRef

    # Properties
    about: URIRef
    actor: URIRef
    actorIn: URIRef
    amends: URIRef
    approvalCount: URIRef
    attestedOn: URIRef
    attributedTo: URIRef
    caseNumber: URIRef
    citedIn: URIRef
    claimAbout: URIRef
    claimedCount: URIRef
    claimedEarliestDate: URIRef
    claimedEndDate: URIRef
    claimedLatestDate: URIRef
    claimedStartDate: URIRef
    concernsAgreement: URIRef
    concernsMaterial: URIRef
    confidence: URIRef
    curationNote: URIRef
    datePrecision: URIRef
    dateResolvedAgainst: URIRef
    dateText: URIRef
    earliestDate: URIRef
    endDate: URIRef
    endUser: URIRef
    eventStatus: URIRef
    followed: URIRef
    follows: URIRef
    hasCaseStep: URIRef
    hasClaim: URIRef
    hasStep: URIRef
    hasTenure: URIRef
    heldTenure: URIRef
    holder: URIRef
    inOfficeAsOf: URIRef
    inCapacityOf: URIRef
    latestDate: URIRef
    materialCount: URIRef
    ordinal: URIRef
    partOfCase: URIRef
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
    shortLabel: URIRef
    source: URIRef
    speaker: URIRef
    startDate: URIRef
    statementText: URIRef
    stepKind: URIRef
    stepOf: URIRef
    stepOrder: URIRef
    target: URIRef
    tenureOf: URIRef
    underMeasure: URIRef
    usedIn: URIRef
    webDomain: URIRef

    # Individuals (step kinds, event codes)
    announcement: URIRef
    cabinetDecision: URIRef
    easing: URIRef
    entryIntoForce: URIRef
    lifting: URIRef
    planned: URIRef
    promulgation: URIRef
    publicComment: URIRef
    unconfirmed: URIRef
    EventCodeScheme: URIRef
    cameo010: URIRef
    cameo011: URIRef
    cameo040: URIRef
    cameo085: URIRef
    cameo116: URIRef
    cameo163: URIRef
    ploverAccuse: URIRef
    ploverCoerce: URIRef
    ploverConsult: URIRef
    ploverRetreat: URIRef

TIME = Namespace("http://www.w3.org/2006/time#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
WD = Namespace("http://www.wikidata.org/entity/")


def bind_prefixes(graph) -> None:
    """Bind every prefix we use, so Turtle output is readable and stable."""
    for prefix, namespace in iris.PREFIXES.items():
        graph.bind(prefix, Namespace(namespace), override=True, replace=True)


def new_graph() -> Graph:
    """An empty graph with only our prefixes bound (rdflib binds dozens by default)."""
    graph = Graph(bind_namespaces="none")
    bind_prefixes(graph)
    return graph
