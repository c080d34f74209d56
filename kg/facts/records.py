"""Typed records of the curated facts, one dataclass per section of the facts files.

The loader (kg/facts/loader.py) turns YAML entries into these; the builder
(kg/graph/builder.py) turns these into triples. Nothing here touches RDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

PRECISIONS = ("day", "week", "month", "year")
REPORTED_AS = ("past", "ongoing", "future")
CONFIDENCE = ("high", "medium", "low")

AGENT_TYPES = (
    "State",
    "Person",
    "Firm",
    "GovernmentBody",
    "Court",
    "NewsOrganisation",
    "InternationalOrganisation",
    "Organisation",
    "AnonymousSource",
)
SOURCE_TYPES = ("NewsReport", "OfficialDocument", "Report")
MEASURE_TYPES = (
    "ExportControlTightening",
    "ExportControlEasing",
    "ExportControlLifting",
    "ExportApproval",
    "WhiteListRemoval",
    "WhiteListRestoration",
    "AgreementAction",
    "Measure",
)
EVENT_TYPES = MEASURE_TYPES + (
    "MeasureStep",
    "BilateralMeeting",
    "TrilateralMeeting",
    "Summit",
    "PolicyDialogue",
    "Meeting",
    "LegalProceedingStep",
    "CourtRuling",
    "RelationsDevelopment",
)
#: Kinds of measure step, in the order they happen (dkg:stepOrder in the ontology).
STEP_KINDS = {
    "announcement": "announcement",
    "public-comment": "publicComment",
    "cabinet-decision": "cabinetDecision",
    "promulgation": "promulgation",
    "entry-into-force": "entryIntoForce",
    "easing": "easing",
    "lifting": "lifting",
}
STATEMENT_TYPES = ("Statement", "DeclinedComment")
#: An event no source reports as having happened: announced but not confirmed, or still planned.
EVENT_STATUSES = ("unconfirmed", "planned")


@dataclass(frozen=True)
class Origin:
    """Where a record came from, for error messages that point at the facts file."""

    file: str
    line: int


@dataclass(frozen=True)
class Labels:
    """Labels by language tag; English is required."""

    by_lang: tuple[tuple[str, str], ...]

    @property
    def en(self) -> str:
        return dict(self.by_lang)["en"]


@dataclass(frozen=True)
class DateRange:
    """When something happened, as bounds plus how they were obtained."""

    earliest: date
    latest: date
    precision: str
    phrase: str | None = None
    resolved_against: str | None = None


@dataclass(frozen=True)
class Citation:
    """One source document's claim about a record.

    ``date`` and ``count`` hold what this source says where sources disagree;
    ``followed`` marks the claim the curated record follows. ``quote_language``
    is not written by curators: the loader sets it to the cited source's language.
    """

    source: str
    quote: str | None = None
    attributed_to: str | None = None
    reported_as: str = "past"
    date: DateRange | None = None
    count: int | None = None
    followed: bool | None = None
    quote_language: str = "en"


@dataclass(frozen=True)
class Source:
    id: str
    origin: Origin
    type: str
    title: str
    publisher: str
    published: date
    url: str | None = None
    republished_by: str | None = None
    language: str = "en"


@dataclass(frozen=True)
class Agent:
    id: str
    origin: Origin
    type: str
    label: Labels
    country: str | None = None
    part_of: str | None = None
    description: str | None = None
    wikidata: str | None = None
    domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class Place:
    id: str
    origin: Origin
    label: Labels
    country: str | None = None
    wikidata: str | None = None


@dataclass(frozen=True)
class Material:
    id: str
    origin: Origin
    label: Labels
    used_in: str | None = None
    description: str | None = None
    sources: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Post:
    id: str
    origin: Origin
    label: Labels
    post_in: str


@dataclass(frozen=True)
class Tenure:
    id: str
    origin: Origin
    post: str
    holder: str
    sources: tuple[Citation, ...]
    start: date | None = None
    end: date | None = None
    attested: tuple[date, ...] = ()
    in_office_as_of: date | None = None


@dataclass(frozen=True)
class Event:
    id: str
    origin: Origin
    type: str
    label: Labels
    date: DateRange
    sources: tuple[Citation, ...]
    actor: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    participant: tuple[str, ...] = ()
    representing: tuple[str, ...] = ()
    material: tuple[str, ...] = ()
    end_user: tuple[str, ...] = ()
    under_measure: str | None = None
    place: str | None = None
    material_count: int | None = None
    ordinal: int | None = None
    responds_to: tuple[str, ...] = ()
    in_capacity_of: str | None = None
    confidence: str = "high"
    description: str | None = None
    step_of: str | None = None
    step: str | None = None
    agreement: tuple[str, ...] = ()
    case: str | None = None
    approval_count: int | None = None
    curation_note: str | None = None
    amends: str | None = None
    status: str | None = None
    short_label: str | None = None


@dataclass(frozen=True)
class Agreement:
    id: str
    origin: Origin
    label: Labels
    description: str | None = None
    wikidata: str | None = None
    sources: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Case:
    id: str
    origin: Origin
    label: Labels
    number: str | None = None
    description: str | None = None
    wikidata: str | None = None
    sources: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Statement:
    id: str
    origin: Origin
    type: str
    label: Labels
    speaker: str
    date: DateRange
    sources: tuple[Citation, ...]
    text: str | None = None
    language: str = "en"
    in_capacity_of: str | None = None
    place: str | None = None
    about: tuple[str, ...] = ()
    confidence: str = "high"


@dataclass
class Facts:
    """All curated records, by section, in file order."""

    sources: list[Source] = field(default_factory=list)
    agents: list[Agent] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    materials: list[Material] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    tenures: list[Tenure] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)

    def section(self, name: str) -> list:
        return getattr(self, name)

    def count(self) -> int:
        return sum(len(self.section(name)) for name in SECTIONS)


SECTIONS = ("sources", "agents", "places", "materials", "posts", "tenures", "agreements", "cases",
            "events", "statements")
