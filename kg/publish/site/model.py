"""What the site holds: every resource with its page, title and kind, and the lists by kind.

A resource's kind is read from the ontology in the same graph (its most specific ``dkg:`` class
and the family right under ``dkg:Event``, the words the timeline's legend uses), so a new class
in the ontology shows on the site without a change here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.graph import iris
from kg.publish.site.graph import Literal, SiteGraph, path_of

DKG = iris.DKG
SUBCLASS = iris.PREFIXES["rdfs"] + "subClassOf"
EARLIEST = DKG + "earliestDate"
PUBLISHED = DKG + "publishedOn"


@dataclass(frozen=True)
class ListSpec:
    """One list page: resources of any of ``classes`` (and their subclasses), minus ``exclude``."""

    key: str
    heading: str
    classes: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    by_year: bool = False


#: The list pages, in the order the index and the navigation show them.
LISTS = (
    ListSpec("events", "Events by year", (DKG + "Event",), by_year=True),
    ListSpec("measures", "Measures", (DKG + "Measure",), by_year=True),
    ListSpec("people", "People", (DKG + "Person",)),
    ListSpec("posts", "Posts", (DKG + "Post",)),
    ListSpec("organisations", "Organisations", (DKG + "Agent",),
             exclude=(DKG + "Person", DKG + "State", DKG + "AnonymousSource")),
    ListSpec("states", "States", (DKG + "State",)),
    ListSpec("cases", "Legal cases", (DKG + "LegalCase",)),
    ListSpec("agreements", "Agreements", (DKG + "Agreement",)),
    ListSpec("materials", "Materials", (DKG + "Material",)),
    ListSpec("places", "Places", (DKG + "Place",)),
    ListSpec("sources", "Source documents", (DKG + "SourceDocument",), by_year=True),
)


@dataclass
class Resource:
    iri: str
    path: str            # id/<segment>/<slug>, without suffix
    title: str
    title_lang: str
    kind: str            # the most specific class's label: "export approval"
    family: str | None   # for events: the class right under dkg:Event: "measure"
    classes: frozenset[str] = field(default_factory=frozenset)   # every class, with superclasses
    date: str | None = None                                     # ISO day that orders it in lists

    @property
    def page(self) -> str:
        return self.path + ".html"

    @property
    def compact(self) -> str:
        segment, _, slug = self.path[len("id/"):].partition("/")
        return f"{segment}:{slug}"

    @property
    def kind_text(self) -> str:
        """The kind in the timeline legend's words: the family first where there is one."""
        return self.kind if not self.family or self.family == self.kind else f"{self.family}: {self.kind}"


class SiteModel:
    """Resources by IRI, with superclass closure, titles and list membership."""

    def __init__(self, graph: SiteGraph):
        self.graph = graph
        self._supers: dict[str, frozenset[str]] = {}
        self.resources: dict[str, Resource] = {}
        for iri in graph.resources():
            self.resources[iri] = self._resource(iri)

    def superclasses(self, cls: str) -> frozenset[str]:
        """The class and every class above it (rdfs:subClassOf, followed transitively)."""
        found = self._supers.get(cls)
        if found is None:
            seen, todo = {cls}, [cls]
            while todo:
                for parent in self.graph.objects(todo.pop(), SUBCLASS):
                    if isinstance(parent, str) and parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            found = self._supers[cls] = frozenset(seen)
        return found

    def class_label(self, cls: str) -> str:
        return self.graph.label(cls) or cls.rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    def _resource(self, iri: str) -> Resource:
        graph = self.graph
        types = [t for t in graph.types(iri) if t.startswith(DKG)]
        classes = frozenset().union(*(self.superclasses(t) for t in types)) if types else frozenset()
        specific = sorted(t for t in types if not any(t != o and t in self.superclasses(o) for o in types))
        kind = self.class_label(specific[0]) if specific else "resource"
        family = None
        if DKG + "Event" in classes and specific:
            below = [c for c in self.superclasses(specific[0])
                     if DKG + "Event" in self.graph.objects(c, SUBCLASS)]
            family = self.class_label(sorted(below)[0]) if below else None
        labels = graph.labels(iri)
        if labels:
            title, lang = labels[0].value, labels[0].language or "en"
        else:
            title, lang = self._derived_title(iri, types), "en"
        date = graph.first(iri, EARLIEST) or graph.first(iri, PUBLISHED)
        return Resource(iri, path_of(iri), title, lang, kind, family, classes,
                        date.value if isinstance(date, Literal) else None)

    def _derived_title(self, iri: str, types: list[str]) -> str:
        """A title for what has no label: a tenure by its holder and post."""
        graph = self.graph

        def named(predicate: str) -> str | None:
            target = graph.first(iri, DKG + predicate)
            if isinstance(target, str):
                return graph.label(target) or target.rsplit("/", 1)[-1]
            return None

        if DKG + "Tenure" in types and named("holder") and named("tenureOf"):
            return f"{named('holder')} as {named('tenureOf')}"
        return iri.rsplit("/", 1)[-1]

    def claim_link(self, claim: str) -> tuple[Resource, str] | None:
        """The page a claim stands on (its record's) and the claim's anchor there."""
        record = self.resources.get(self.graph.claim_record(claim) or "")
        return (record, claim.rsplit("/", 1)[-1]) if record else None

    def members(self, spec: ListSpec) -> list[Resource]:
        """The resources of a list, by date then title (or by title)."""
        found = [r for r in self.resources.values()
                 if any(c in r.classes for c in spec.classes) and not any(c in r.classes for c in spec.exclude)]
        if spec.by_year:
            return sorted(found, key=lambda r: (r.date or "9999", r.title.casefold(), r.iri))
        return sorted(found, key=lambda r: (r.title.casefold(), r.iri))

    def of_class(self, cls: str) -> list[Resource]:
        return [r for r in self.resources.values() if cls in r.classes]


def href(from_page: str, to_page: str) -> str:
    """A relative link between two pages of the site (paths from the site's root, ``/``-separated;
    ``../name`` is a file beside the site)."""
    here, there = from_page.split("/")[:-1], to_page.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:])
