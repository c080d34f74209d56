"""Rules across curated records: references resolve to records of the right kind and type, no
hierarchy loops back on itself, and dates agree with the sources that report them.

References and cycles follow from the schema (a field's ``ref``, ``ref_types`` and
``acyclic``); the date and duplicate rules are written out here, one function each.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from kg.errors import FactsError
from kg.facts import records as R
from kg.facts.schema import PARTS, SECTIONS, Kind


def check(facts: R.Facts) -> None:
    """Every rule, in the order a curator would want to hear about them.

    Raises:
        FactsError: the first problem, naming file, entry, field and line.
    """
    check_references(facts)
    check_cycles(facts)
    check_dates(facts)
    check_steps(facts)
    check_disagreements(facts)
    check_duplicates(facts)
    resolve_quote_languages(facts)


def _kind_of(record) -> Kind:
    return next(kind for kind in SECTIONS.values() if kind.record == type(record).__name__)


def fail(record, message: str, field: str | None = None) -> FactsError:
    """An error about one record, located at its entry."""
    return FactsError(record.origin.file, message, entry=f"{_kind_of(record).noun} '{record.id}'",
                      field=field, line=record.origin.line or None)


def _refs(value) -> tuple:
    return value if isinstance(value, tuple) else (() if value is None else (value,))


def check_references(facts: R.Facts) -> None:
    """Every reference names an existing record of the right section and type."""
    index = {name: {r.id: r for r in facts.section(name)} for name in SECTIONS}
    cited = PARTS["citations"].by_key
    dated = PARTS["daterange"].by_key
    for name, kind in SECTIONS.items():
        for record in facts.section(name):
            for field in kind.fields:
                value = getattr(record, field.key)
                if field.type == "ref":
                    for ref in _refs(value):
                        _check_ref(record, field.key, ref, field.ref, field.ref_types, index)
                elif field.type == "citations":
                    for cite in value or ():
                        _check_ref(record, field.key, cite.source, cited["source"].ref, (), index,
                                   verb="cites")
                        if cite.attributed_to is not None:
                            _check_ref(record, f"{field.key}.attributed_to", cite.attributed_to,
                                       cited["attributed_to"].ref, (), index,
                                       verb="attributes a claim to")
                elif field.type == "daterange" and value is not None and value.resolved_against:
                    _check_ref(record, f"{field.key}.resolved_against", value.resolved_against,
                               dated["resolved_against"].ref, (), index)


def _check_ref(record, field: str, ref: str, section: str, types: tuple, index: dict,
               verb: str = "refers to") -> None:
    found = index[section].get(ref)
    if found is None:
        raise fail(record, f"{verb} unknown {SECTIONS[section].noun} '{ref}'", field)
    if types and found.type not in types:
        raise fail(record, f"'{ref}' is a {found.type}; expected {' or '.join(sorted(types))}", field)


_VERBS = {"amends": "amend", "part_of": "be part of", "responds_to": "respond to"}


def check_cycles(facts: R.Facts) -> None:
    """No record reaches itself through a field declared acyclic (part of, amends, responds to)."""
    for name, kind in SECTIONS.items():
        records = {r.id: r for r in facts.section(name)}
        for field in kind.fields:
            if not field.acyclic:
                continue
            edges = {rid: _refs(getattr(r, field.key)) for rid, r in records.items()}
            state: dict[str, int] = {}
            for start in records:
                if start in state:
                    continue
                stack = [(start, iter(edges[start]))]
                path = [start]
                state[start] = 1
                while stack:
                    node, targets = stack[-1]
                    target = next(targets, None)
                    if target is None:
                        state[node] = 2
                        stack.pop()
                        path.pop()
                    elif state.get(target) == 1:
                        loop = path[path.index(target):] + [target]
                        if len(loop) == 2:
                            raise fail(records[target], f"a {kind.noun} cannot "
                                       f"{_VERBS.get(field.key, 'refer to')} itself", field.key)
                        raise fail(records[target], f"'{field.key}' forms a cycle: "
                                   + " -> ".join(loop), field.key)
                    elif target not in state and target in edges:
                        state[target] = 1
                        stack.append((target, iter(edges[target])))
                        path.append(target)


def check_dates(facts: R.Facts) -> None:
    """Tenures end after they start; what a source reports as past it reports after it began,
    and what it reports as to come it reports before it ended; resolved phrases lie near their
    anchor."""
    published = {s.id: s.published for s in facts.sources}
    for tenure in facts.tenures:
        if tenure.start and tenure.end and tenure.end < tenure.start:
            raise fail(tenure, f"end {tenure.end} is before start {tenure.start}", "end")
        for day in tenure.attested + ((tenure.in_office_as_of,) if tenure.in_office_as_of else ()):
            if (tenure.start and day < tenure.start) or (tenure.end and day > tenure.end):
                field = "attested" if day in tenure.attested else "in_office_as_of"
                raise fail(tenure, f"{field.replace('_', ' ')} day {day} lies outside the tenure",
                           field)
        if tenure.end and tenure.in_office_as_of:
            raise fail(tenure, "give 'end' or 'in_office_as_of', not both", "in_office_as_of")
    for record in [*facts.events, *facts.statements]:
        for cite in record.sources:
            day = published[cite.source]
            if cite.reported_as == "past" and record.date.earliest > day:
                raise fail(record, f"earliest {record.date.earliest} is after {day}, when source "
                           f"'{cite.source}' reported it as past", "date.earliest")
            if cite.reported_as == "future" and record.date.latest < day:
                raise fail(record, f"latest {record.date.latest} is before {day}, when source "
                           f"'{cite.source}' reported it as still to come", "date.latest")
        if record.date.resolved_against:
            anchor = published[record.date.resolved_against]
            if not record.date.phrase:
                raise fail(record, "resolved_against needs the phrase it resolved", "date.phrase")
            if (record.date.earliest > anchor + timedelta(days=366)
                    or record.date.latest < anchor - timedelta(days=3660)):
                raise fail(record, f"dates lie implausibly far from {anchor}, the date they were "
                           "resolved against", "date")


def check_steps(facts: R.Facts) -> None:
    """Steps belong to measures, cases to rulings and proceedings, amendments to measures."""
    from kg.facts.schema import MEASURE_TYPES

    for event in facts.events:
        is_step = event.type == "MeasureStep"
        if is_step and not (event.step_of and event.step):
            raise fail(event, "a MeasureStep needs 'step_of' (its measure) and 'step' (its kind)",
                       "step_of" if not event.step_of else "step")
        if not is_step and (event.step_of or event.step):
            raise fail(event, "only a MeasureStep has 'step_of' and 'step'", "type")
        if event.case and event.type not in ("LegalProceedingStep", "CourtRuling"):
            raise fail(event, "only a LegalProceedingStep or CourtRuling is part of a case", "case")
        if event.amends and event.type not in MEASURE_TYPES:
            raise fail(event, "only a measure amends another measure", "amends")


def check_disagreements(facts: R.Facts) -> None:
    """``followed`` marks one of disagreeing claims: on dates, counts or attribution."""
    for record in [*facts.events, *facts.statements]:
        marked = [c for c in record.sources if c.followed is not None]
        if not marked:
            continue
        attributions = {c.attributed_to for c in record.sources if c.attributed_to}
        if not (any(c.date or c.count is not None for c in record.sources) or len(attributions) > 1):
            raise fail(record, "'followed' marks one of disagreeing claims; give the disagreeing "
                       "'date', 'count' or 'attributed_to' on the citations", "sources.followed")


def check_duplicates(facts: R.Facts) -> None:
    """One record per document and per happening: two sources at one address are one source;
    two events of one type, dates and parties are one event."""
    addresses: dict[str, object] = {}
    for source in facts.sources:
        if source.url in addresses:
            first = addresses[source.url]
            raise fail(source, f"has the address of source '{first.id}' ({first.origin.file}:"
                       f"{first.origin.line}); one document is one source", "url")
        if source.url:
            addresses[source.url] = source
    signatures: dict[tuple, object] = {}
    for record in facts.events:
        signature = (record.type, record.date.earliest, record.date.latest, record.actor,
                     record.target, record.participant, record.material, record.end_user,
                     record.ordinal, record.step_of, record.step, record.case)
        if signature in signatures:
            first = signatures[signature]
            raise fail(record, f"duplicates event '{first.id}' ({first.origin.file}:"
                       f"{first.origin.line}): same type, dates, actors, targets and "
                       "materials; merge their sources into one event", "id")
        signatures[signature] = record


def resolve_quote_languages(facts: R.Facts) -> None:
    """Tag each citation's quote with its source's language: quotes are verbatim, so a
    quote from a Japanese article is Japanese text, whatever the record's language."""
    language = {source.id: source.language for source in facts.sources}
    for name in SECTIONS:
        records = facts.section(name)
        for index, record in enumerate(records):
            cites = getattr(record, "sources", None)
            if not isinstance(cites, tuple) or not cites:
                continue
            records[index] = replace(record, sources=tuple(
                replace(cite, quote_language=language[cite.source]) for cite in cites))
