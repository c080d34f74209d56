"""events.jsonl: one JSON record per event, in the data fields of the PLOVER event-data standard.

PLOVER (the Open Event Data Alliance's successor to CAMEO) names its fields
in its manual's "Data Fields" chapter and suggests newline-delimited JSON.
Our mapping (documented in the README):

* ``id``: the event's IRI; ``date`` / ``enddate``: earliest and latest
  possible day; ``date_precision`` (our own field, which PLOVER allows):
  day, week, month or year.
* ``event``: the PLOVER type the ontology matches (``skos:closeMatch``), as a
  list; empty where PLOVER has none (statements: PLOVER drops CAMEO 01).
* ``mode``, ``context``: from the CAMEO-to-PLOVER table for the event's
  CAMEO code (below), where it gives them.
* ``actor`` / ``recipient``: entity objects for the actors (participants of
  a meeting are all actors, as PLOVER codes a meeting) and the targets, each
  with ``code`` (the ISO 3166-1 alpha-3 code of its state), ``entity_text``
  (label), ``identifier_id`` (the Wikidata IRI, else ours) and ``office``
  (the post it acted in, for a person).
* ``event_loc``: the place's name and its state's code.
* ``event_text``: the quotes the sources give; ``cite_info``: one citation
  object per source (url, title, language, publication, citation = its IRI,
  and our ``text``: the quote from it).
* ``comment``: the English label.
"""

from __future__ import annotations

import json

from kg.facts import records as R
from kg.graph import iris
from kg.publish.tables import EventClass

#: CAMEO code -> (PLOVER event, mode, context), the rows of the Open Event Data Alliance's
#: CAMEO2PLOVER-2021.txt (PLOVER manual draft 0.8) for the codes our ontology uses.
CAMEO_TO_PLOVER = {
    "040": ("CONSULT", None, None),
    "085": ("RETREAT", "ease", "economic"),
    "116": ("ACCUSE", "disapprove", "legal"),
    "163": ("COERCE", "restrict", "diplomatic"),
}
#: ISO 3166-1 alpha-3 codes of the states in the facts, by slug (PLOVER's entity ``code``).
STATE_CODES = {"japan": "JPN", "south-korea": "KOR", "china": "CHN"}


def _state_of(agent: R.Agent | None, agents: dict[str, R.Agent]) -> str | None:
    """The state an agent is, or belongs to (country, or the country of what it is part of)."""
    seen = set()
    while agent is not None and agent.id not in seen:
        seen.add(agent.id)
        if agent.type == "State":
            return agent.id
        if agent.country:
            return agent.country
        agent = agents.get(agent.part_of) if agent.part_of else None
    return None


def entity(slug: str, agents: dict[str, R.Agent], office: str | None = None) -> dict:
    """A PLOVER entity object for one agent."""
    agent = agents[slug]
    out = {"entity_text": agent.label.en,
           "identifier_id": f"http://www.wikidata.org/entity/{agent.wikidata}" if agent.wikidata
           else iris.resource_iri("agents", slug)}
    code = STATE_CODES.get(_state_of(agent, agents) or "")
    if code:
        out["code"] = code
    if office and agent.type == "Person":
        out["office"] = office
    return dict(sorted(out.items()))


def _citations(citations: tuple[R.Citation, ...], sources: dict[str, R.Source],
               agents: dict[str, R.Agent]) -> tuple[list[str], list[dict]]:
    texts, infos = [], []
    for citation in citations:
        source = sources[citation.source]
        info = {"citation": iris.resource_iri("sources", source.id), "title": source.title,
                "language": source.language, "publication": agents[source.publisher].label.en}
        if source.url:
            info["url"] = source.url
        if citation.quote:
            info["text"] = citation.quote
            texts.append(citation.quote)
        infos.append(dict(sorted(info.items())))
    return texts, infos


def record(rec, kind: str, known: EventClass, facts_index) -> dict:
    """The PLOVER record of one event or statement."""
    sources, agents, places, posts = facts_index
    office = posts.get(rec.in_capacity_of) if rec.in_capacity_of else None
    if kind == "statements":
        actors, recipients = [rec.speaker], []
    else:
        actors, recipients = sorted(set(rec.actor) | set(rec.participant)), list(rec.target)
    plover = CAMEO_TO_PLOVER.get(known.cameo or "", (None, None, None))
    texts, infos = _citations(rec.sources, sources, agents)
    out = {
        "id": iris.resource_iri(kind, rec.id),
        "date": rec.date.earliest.isoformat(),
        "enddate": rec.date.latest.isoformat(),
        "date_precision": rec.date.precision,
        "event": [known.plover] if known.plover else [],
        "mode": [plover[1]] if plover[1] else [],
        "context": [plover[2]] if plover[2] else [],
        "actor": [entity(a, agents, office) for a in actors],
        "recipient": [entity(t, agents) for t in recipients],
        "event_text": texts,
        "cite_info": infos,
        "comment": rec.label.en,
    }
    if rec.place:
        place = places[rec.place]
        loc = {"resolved_place": place.label.en}
        if STATE_CODES.get(place.country or ""):
            loc["country_code"] = STATE_CODES[place.country]
        out["event_loc"] = loc
    return out


def events_jsonl(facts: R.Facts, classes: dict[str, EventClass]) -> bytes:
    """Every event and statement as one JSON object per line, in the order of events.csv.

    Args:
        facts: the typed records of the build.
        classes: event classes with their codes (kg.publish.tables.event_classes).

    Returns:
        UTF-8 JSON lines with sorted keys.
    """
    index = ({s.id: s for s in facts.sources}, {a.id: a for a in facts.agents},
             {p.id: p for p in facts.places}, {p.id: p.label.en for p in facts.posts})
    found = [record(e, "events", classes[e.type], index) for e in facts.events]
    found += [record(s, "statements", classes[s.type], index) for s in facts.statements]
    found.sort(key=lambda r: (r["date"], r["enddate"], r["id"]))
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in found).encode("utf-8")
