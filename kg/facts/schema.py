"""The one declaration of the curated facts: every record kind, every field.

Per field: its YAML key, its type (which decides how the loader reads it and the builder
writes it), whether it is required or repeatable, its default, the RDF property it becomes,
the record kind it refers to and which types of record it accepts there. The loader
(:mod:`kg.facts.loader`), the typed records (:mod:`kg.facts.records`), the builder
(:mod:`kg.graph.builder`), the locator of validation results (:mod:`kg.graph.locate`) and the
benchmark generator all follow from this table; tests check it against the ontology (every
property declared, with a matching domain and range) and the shapes (every required field has a
``sh:minCount``). Adding a field is one entry here plus its term in the ontology (and a shape if
it is constrained): see the README, "How to add a field".

This module is plain data (no rdflib, no pyoxigraph): properties are CURIEs over the prefixes
of :mod:`kg.graph.iris`.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Field types: how a YAML value is read (kg.facts.loader) and written (kg.graph.builder).
#: line: one line of text; text: text that may span lines; slug; date (YYYY-MM-DD);
#: count: a whole number >= 1; amount: a whole number >= 0; flag: true/false; url; lang (a BCP 47
#: tag); wikidata (Q-id); domain (a host name); labels (text or {language: text}, English
#: required); choice (one of ``choices``); ref (a slug naming a record of kind ``ref``);
#: daterange (a day, or earliest/latest/precision/phrase/resolved_against); citations (a list
#: of sources with what each says).
TYPES = ("line", "text", "slug", "date", "count", "amount", "flag", "url", "lang", "wikidata",
         "domain", "labels", "choice", "ref", "daterange", "citations")


@dataclass(frozen=True)
class Field:
    """One key of a record kind.

    Attributes:
        key: the YAML key, also the record attribute.
        type: one of :data:`TYPES`.
        required: the loader refuses a record without it.
        many: a list (a single value stands for a list of one).
        default: the value when the key is absent (``()`` for lists, else None unless given).
        prop: the RDF property (CURIE) it becomes; a tuple writes each; None: not written
            as a property of its own (the type field, or a value other fields use).
        by_type: a property per record type, overriding ``prop`` (``*`` for the rest).
        ref: the record kind (section) a ``ref`` field names.
        ref_types: which ``type`` values the named record may have (empty: any).
        choices: for ``choice``: the allowed values, in the order the README lists them.
        values: for ``choice``: how each value is written (a CURIE), when not as a plain string.
        language: the language of a text literal: a tag, ``@language`` (the record's own
            ``language`` field), or ``@source`` (the cited source's language); None: untagged.
        acyclic: references through this field must not form a cycle.
        doc: what the field means, for the README and error messages.
    """

    key: str
    type: str
    required: bool = False
    many: bool = False
    default: object = None
    prop: str | tuple[str, ...] | None = None
    by_type: tuple[tuple[str, str], ...] = ()
    ref: str | None = None
    ref_types: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    values: tuple[tuple[str, str], ...] = ()
    language: str | None = None
    acyclic: bool = False
    doc: str = ""

    @property
    def properties(self) -> tuple[str, ...]:
        """Every property this field can be written with."""
        found = (self.prop,) if isinstance(self.prop, str) else (self.prop or ())
        return tuple(dict.fromkeys(found + tuple(p for _, p in self.by_type)))

    def property_for(self, record_type: str | None) -> tuple[str, ...]:
        """The properties to write for a record of this type."""
        if self.by_type:
            chosen = dict(self.by_type)
            return (chosen.get(record_type) or chosen["*"],)
        return (self.prop,) if isinstance(self.prop, str) else tuple(self.prop or ())


@dataclass(frozen=True)
class Kind:
    """A kind of record: a section of the facts files, or a part of a record (dates, citations).

    Attributes:
        name: the section name (``events``) or the part's name (``daterange``).
        noun: what one record is called in messages.
        record: the name of its typed record class.
        fields: its fields, in the order the README documents them.
        rdf_class: the class every record has (CURIE); None where the ``type`` field gives it.
        shorthand: a part written as a single scalar: ``date`` (a day) or ``source`` (a slug).
    """

    name: str
    noun: str
    record: str
    fields: tuple[Field, ...]
    rdf_class: str | None = None
    shorthand: str | None = None

    @property
    def by_key(self) -> dict[str, Field]:
        return {f.key: f for f in self.fields}


PRECISIONS = ("day", "week", "month", "year")
REPORTED_AS = ("past", "ongoing", "future")
CONFIDENCE = ("high", "medium", "low")
AGENT_TYPES = ("State", "Person", "Firm", "GovernmentBody", "Court", "NewsOrganisation",
               "InternationalOrganisation", "Organisation", "AnonymousSource")
SOURCE_TYPES = ("NewsReport", "OfficialDocument", "Report")
MEASURE_TYPES = ("ExportControlTightening", "ExportControlEasing", "ExportControlLifting",
                 "ExportApproval", "WhiteListRemoval", "WhiteListRestoration", "AgreementAction",
                 "Measure")
EVENT_TYPES = MEASURE_TYPES + ("MeasureStep", "BilateralMeeting", "TrilateralMeeting", "Summit",
                               "PolicyDialogue", "Meeting", "LegalProceedingStep", "CourtRuling",
                               "RelationsDevelopment")
STATEMENT_TYPES = ("Statement", "DeclinedComment")
#: Kinds of measure step, in the order they happen (dkg:stepOrder in the ontology).
STEP_KINDS = (("announcement", "dkg:announcement"), ("public-comment", "dkg:publicComment"),
              ("cabinet-decision", "dkg:cabinetDecision"), ("promulgation", "dkg:promulgation"),
              ("entry-into-force", "dkg:entryIntoForce"), ("easing", "dkg:easing"),
              ("lifting", "dkg:lifting"))
#: An event no source reports as having happened: announced but not confirmed, or still planned.
EVENT_STATUSES = (("unconfirmed", "dkg:unconfirmed"), ("planned", "dkg:planned"))
PRECISION_UNITS = (("day", "time:unitDay"), ("week", "time:unitWeek"),
                   ("month", "time:unitMonth"), ("year", "time:unitYear"))
PUBLISHER_TYPES = ("NewsOrganisation", "GovernmentBody", "InternationalOrganisation",
                   "Organisation", "Firm")


def _type(choices: tuple[str, ...]) -> Field:
    return Field("type", "choice", required=True, choices=choices, doc="the record's class")


def _labels() -> Field:
    return Field("label", "labels", required=True, prop="rdfs:label",
                 doc="names by language; English required")


def _note() -> Field:
    return Field("description", "text", prop="skos:note", language="en",
                 doc="a sentence on what it is")


def _wikidata() -> Field:
    return Field("wikidata", "wikidata", prop="skos:exactMatch",
                 doc="a verified Wikidata item id")


def _curation_note() -> Field:
    return Field("curation_note", "text", prop="dkg:curationNote", language="en",
                 doc="why the record follows one source over another")


def _sources(required: bool) -> Field:
    return Field("sources", "citations", required=required, prop="dkg:source",
                 doc="the source documents and what each says")


DATERANGE = Kind("daterange", "date", "DateRange", (
    Field("earliest", "date", required=True, prop="dkg:earliestDate",
          doc="the first day it can have happened"),
    Field("latest", "date", required=True, prop="dkg:latestDate",
          doc="the last day it can have happened"),
    Field("precision", "choice", required=True, choices=PRECISIONS, values=PRECISION_UNITS,
          prop="dkg:datePrecision", doc="the unit the date is known to"),
    Field("phrase", "line", prop="dkg:dateText",
          doc="the source's words for the date, when resolved from a relative phrase"),
    Field("resolved_against", "ref", ref="sources", prop="dkg:dateResolvedAgainst",
          doc="the source whose publication day the phrase was resolved against"),
), shorthand="date")

CITATION = Kind("citation", "citation", "Citation", (
    Field("source", "ref", required=True, ref="sources", prop="dkg:citedIn",
          doc="the source document"),
    Field("quote", "text", prop="dkg:quote", language="@source",
          doc="the supporting sentence, verbatim, in the source's language"),
    Field("attributed_to", "ref", ref="agents", prop="dkg:attributedTo",
          doc="whom the source attributes the claim to"),
    Field("reported_as", "choice", choices=REPORTED_AS, default="past",
          prop="dkg:reportedAs", doc="whether the source reports it as past, ongoing or to come"),
    Field("date", "daterange", prop=("dkg:claimedEarliestDate", "dkg:claimedLatestDate"),
          doc="the dates this source gives, where sources disagree"),
    Field("count", "amount", prop="dkg:claimedCount",
          doc="the count this source gives, where sources disagree"),
    Field("followed", "flag", prop="dkg:followed",
          doc="whether the record follows this claim, where sources disagree"),
), rdf_class="dkg:Claim", shorthand="source")

SOURCES = Kind("sources", "source", "Source", (
    _type(SOURCE_TYPES),
    Field("title", "line", required=True, prop=("dcterms:title", "rdfs:label"),
          language="@language", doc="the document's title, as published"),
    Field("publisher", "ref", required=True, ref="agents", ref_types=PUBLISHER_TYPES,
          prop="dkg:publisher", doc="who published it first"),
    Field("published", "date", required=True, prop="dkg:publishedOn",
          doc="its publication day"),
    Field("url", "url", prop="schema:url", doc="where it can be read"),
    Field("republished_by", "ref", ref="agents",
          ref_types=("NewsOrganisation", "Organisation", "GovernmentBody"),
          prop="dkg:republishedBy", doc="the site hosting the copy the URL points at"),
    Field("language", "lang", default="en", prop="dcterms:language",
          doc="the document's language (its quotes are tagged with it)"),
))

AGENTS = Kind("agents", "agent", "Agent", (
    _type(AGENT_TYPES),
    _labels(),
    Field("country", "ref", ref="agents", ref_types=("State",),
          by_type=(("Person", "schema:nationality"), ("*", "schema:location")),
          doc="the state it belongs to"),
    Field("part_of", "ref", ref="agents", prop="schema:parentOrganization", acyclic=True,
          doc="the organisation it is part of"),
    _note(),
    _wikidata(),
    Field("domains", "domain", many=True, prop="dkg:webDomain",
          doc="host names its web pages are published under"),
))

PLACES = Kind("places", "place", "Place", (
    _labels(),
    Field("country", "ref", ref="agents", ref_types=("State",), prop="schema:containedInPlace",
          doc="the state it lies in"),
    _wikidata(),
), rdf_class="dkg:Place")

MATERIALS = Kind("materials", "material", "Material", (
    _labels(),
    Field("used_in", "text", prop="dkg:usedIn", language="en", doc="what it is used for"),
    _note(),
    _sources(required=False),
), rdf_class="dkg:Material")

POSTS = Kind("posts", "post", "Post", (
    _labels(),
    Field("post_in", "ref", required=True, ref="agents",
          ref_types=("State", "GovernmentBody", "InternationalOrganisation", "Organisation"),
          prop="dkg:postIn", doc="the state or body the post belongs to"),
), rdf_class="dkg:Post")

TENURES = Kind("tenures", "tenure", "Tenure", (
    Field("post", "ref", required=True, ref="posts", prop="dkg:tenureOf", doc="the post held"),
    Field("holder", "ref", required=True, ref="agents", ref_types=("Person",),
          prop="dkg:holder", doc="who held it"),
    _sources(required=True),
    Field("start", "date", prop="dkg:startDate", doc="the first day in the post"),
    Field("end", "date", prop="dkg:endDate", doc="the last day in the post"),
    Field("attested", "date", many=True, prop="dkg:attestedOn",
          doc="days a source shows the holder in the post"),
    Field("in_office_as_of", "date", prop="dkg:inOfficeAsOf",
          doc="the latest day a source shows the holder still in office, when the end is unknown"),
), rdf_class="dkg:Tenure")

EVENTS = Kind("events", "event", "Event", (
    _type(EVENT_TYPES),
    _labels(),
    Field("date", "daterange", required=True, doc="when it happened"),
    _sources(required=True),
    Field("actor", "ref", many=True, ref="agents", prop="dkg:actor", doc="who did it"),
    Field("target", "ref", many=True, ref="agents", prop="dkg:target", doc="whom it was aimed at"),
    Field("participant", "ref", many=True, ref="agents", ref_types=("Person",),
          prop="dkg:participant", doc="the people who took part"),
    Field("representing", "ref", many=True, ref="agents", ref_types=("State",),
          prop="dkg:representing", doc="the states represented"),
    Field("material", "ref", many=True, ref="materials", prop="dkg:concernsMaterial",
          doc="the materials concerned"),
    Field("end_user", "ref", many=True, ref="agents", ref_types=("Firm",),
          prop="dkg:endUser", doc="the firms an export approval was for"),
    Field("under_measure", "ref", ref="events", ref_types=("ExportControlTightening",),
          prop="dkg:underMeasure", doc="the controls an approval was granted under"),
    Field("place", "ref", ref="places", prop="dkg:place", doc="where it happened"),
    Field("material_count", "count", prop="dkg:materialCount",
          doc="how many materials a measure covers"),
    Field("ordinal", "count", prop="dkg:ordinal", doc="its number in a series (2nd approval)"),
    Field("responds_to", "ref", many=True, ref="events", prop="dkg:respondsTo", acyclic=True,
          doc="the events it answers, as its sources say"),
    Field("in_capacity_of", "ref", ref="posts", prop="dkg:inCapacityOf",
          doc="the post its actor acted in"),
    Field("confidence", "choice", choices=CONFIDENCE, default="high", prop="dkg:confidence",
          doc="how sure the record is"),
    _note(),
    Field("step_of", "ref", ref="events", ref_types=MEASURE_TYPES, prop="dkg:stepOf",
          doc="the measure a MeasureStep is a stage of"),
    Field("step", "choice", choices=tuple(k for k, _ in STEP_KINDS), values=STEP_KINDS,
          prop="dkg:stepKind", doc="which stage a MeasureStep is"),
    Field("agreement", "ref", many=True, ref="agreements", prop="dkg:concernsAgreement",
          doc="the agreements concerned"),
    Field("case", "ref", ref="cases", prop="dkg:partOfCase",
          doc="the legal case a ruling or step belongs to"),
    Field("approval_count", "count", prop="dkg:approvalCount",
          doc="approvals so far, for a running total"),
    _curation_note(),
    Field("amends", "ref", ref="events", ref_types=MEASURE_TYPES, prop="dkg:amends",
          acyclic=True, doc="the measure it eases, lifts or reverses"),
    Field("status", "choice", choices=tuple(k for k, _ in EVENT_STATUSES), values=EVENT_STATUSES,
          prop="dkg:eventStatus", doc="unconfirmed or planned, when no source reports it as past"),
    Field("short_label", "line", prop="dkg:shortLabel", language="en",
          doc="a few words for the timeline, when the label is long"),
))

AGREEMENTS = Kind("agreements", "agreement", "Agreement", (
    _labels(), _note(), _wikidata(), _sources(required=False),
), rdf_class="dkg:Agreement")

CASES = Kind("cases", "case", "Case", (
    _labels(),
    Field("number", "line", prop="dkg:caseNumber", doc="its number, such as DS590"),
    _note(), _wikidata(), _sources(required=False),
), rdf_class="dkg:LegalCase")

STATEMENTS = Kind("statements", "statement", "Statement", (
    _type(STATEMENT_TYPES),
    _labels(),
    Field("speaker", "ref", required=True, ref="agents", prop="dkg:speaker", doc="who said it"),
    Field("date", "daterange", required=True, doc="when it was said"),
    _sources(required=True),
    Field("text", "text", prop="dkg:statementText", language="@language",
          doc="the words said, verbatim"),
    Field("language", "lang", default="en", doc="the language of the words"),
    Field("in_capacity_of", "ref", ref="posts", prop="dkg:inCapacityOf",
          doc="the post the speaker spoke in"),
    Field("place", "ref", ref="places", prop="dkg:place", doc="where it was said"),
    Field("about", "ref", many=True, ref="events", prop="dkg:about",
          doc="the events it is about"),
    Field("confidence", "choice", choices=CONFIDENCE, default="high", prop="dkg:confidence",
          doc="how sure the record is"),
    _note(),
    _curation_note(),
))

#: The sections of a facts file, in the order the builder writes them.
SECTIONS: dict[str, Kind] = {kind.name: kind for kind in (
    SOURCES, AGENTS, PLACES, MATERIALS, POSTS, TENURES, AGREEMENTS, CASES, EVENTS, STATEMENTS)}
#: The parts of records that are records of their own shape.
PARTS: dict[str, Kind] = {"daterange": DATERANGE, "citations": CITATION}
