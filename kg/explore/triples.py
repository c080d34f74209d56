"""The inferred graph as in-memory lookups, and the statements a reader wants from it.

The closure repeats every fact in several forms: under each super-property (``dkg:speaker``
is also a ``dkg:actor`` and a ``prov:wasAssociatedWith``), under each declared inverse
(``dkg:actorIn`` beside ``dkg:actor``) and every type with all its super-classes.
:meth:`Triples.said` drops those copies by the ontology's own axioms, so a description shows
each fact once, in the direction the facts state it:

- a property on the right of ``owl:inverseOf`` is the inverse view of the one on the left;
- ``s p o`` is a copy when ``s q o`` holds for a strict sub-property ``q`` of ``p``;
- ``s p o`` is a copy when ``o r s`` holds for a strict sub-property ``r`` of ``p``'s inverse
  (``X dkg:precedes Y`` when ``Y dkg:respondsTo X``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kg.graph import iris
from kg.query.prefixes import PREFIXES

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
SUBCLASS = PREFIXES["rdfs"] + "subClassOf"
SUBPROPERTY = PREFIXES["rdfs"] + "subPropertyOf"
INVERSE = PREFIXES["owl"] + "inverseOf"
OWL_THING = PREFIXES["owl"] + "Thing"
DKG = iris.DKG


@dataclass(frozen=True)
class Literal:
    """A literal: its lexical value, datatype IRI (None for a plain or tagged string), language."""

    value: str
    datatype: str | None = None
    language: str | None = None


Term = str | Literal  # an IRI is a plain string


class Triples:
    """Subject -> predicate -> objects, and object -> predicate -> subjects, for one graph."""

    def __init__(self, triples):
        self.out: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.inc: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in triples:
            self.out[s][p].append(o)
            if isinstance(o, str):
                self.inc[o][p].append(s)
        self._superclasses = self._closure(SUBCLASS)
        self._superproperties = self._closure(SUBPROPERTY)
        self._subproperties: dict[str, set[str]] = defaultdict(set)
        for prop, supers in self._superproperties.items():
            for sup in supers:
                self._subproperties[sup].add(prop)
        self._said: dict[str, list[tuple[str, Term]]] = {}
        self.inverse_views: set[str] = set()
        self.inverse: dict[str, str] = {}
        for prop, targets in self._pairs(INVERSE):
            for target in targets:
                self.inverse_views.add(target)
                self.inverse[prop], self.inverse[target] = target, prop

    @classmethod
    def from_ntriples(cls, data: bytes) -> Triples:
        """Parse N-Triples (pyoxigraph's parser) into lookups."""
        import pyoxigraph as ox

        def term(node):
            if isinstance(node, ox.NamedNode):
                return node.value
            if isinstance(node, ox.BlankNode):
                return "_:" + node.value
            datatype = node.datatype.value
            plain = node.language or datatype == PREFIXES["xsd"] + "string"
            return Literal(node.value, None if plain else datatype, node.language)

        return cls((term(q.subject), q.predicate.value, term(q.object))
                   for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES))

    def _pairs(self, predicate: str):
        for s, props in self.out.items():
            if predicate in props:
                yield s, [o for o in props[predicate] if isinstance(o, str)]

    def _closure(self, predicate: str) -> dict[str, set[str]]:
        """Strict ancestors along ``predicate`` (rdfs:subClassOf, rdfs:subPropertyOf)."""
        direct = {s: set(objs) - {s} for s, objs in self._pairs(predicate)}
        closed: dict[str, set[str]] = {}

        def up(node: str, seen: frozenset) -> set[str]:
            if node in closed:
                return closed[node]
            found = set()
            for parent in direct.get(node, ()):
                if parent not in seen:
                    found |= {parent} | up(parent, seen | {parent})
            closed[node] = found
            return found

        for node in direct:
            up(node, frozenset({node}))
        return closed

    def subjects(self) -> list[str]:
        return sorted(s for s in self.out if not s.startswith("_:"))

    def objects(self, s: str, p: str) -> list[Term]:
        found = self.out.get(s)
        return list(found.get(p, ())) if found else []

    def first(self, s: str, p: str) -> Term | None:
        found = self.objects(s, p)
        return sorted(found, key=str)[0] if found else None

    def value(self, s: str, p: str) -> str | None:
        """The lexical value of the first literal object (or the IRI)."""
        found = self.first(s, p)
        return found.value if isinstance(found, Literal) else found

    def pointing(self, o: str, p: str) -> list[str]:
        found = self.inc.get(o)
        return sorted(found.get(p, ())) if found else []

    def labels(self, s: str, predicate: str = RDFS_LABEL) -> dict[str, str]:
        """Labels by language tag (the smallest text where a language has several)."""
        out: dict[str, str] = {}
        for o in self.objects(s, predicate):
            if isinstance(o, Literal):
                lang = o.language or ""
                if lang not in out or o.value < out[lang]:
                    out[lang] = o.value
        return dict(sorted(out.items()))

    def label(self, s: str) -> str | None:
        """The English label, else any label."""
        found = self.labels(s)
        return found.get("en") or found.get("") or next(iter(found.values()), None)

    def types(self, s: str) -> set[str]:
        return {t for t in self.objects(s, RDF_TYPE) if isinstance(t, str)}

    def specific_types(self, s: str) -> list[str]:
        """The most specific types: none of them a super-class of another; ours first."""
        types = self.types(s)
        implied = set().union(*(self._superclasses.get(t, set()) for t in types)) if types else set()
        specific = types - implied - ({OWL_THING} if len(types) > 1 else set())
        return sorted(specific, key=lambda t: (not t.startswith(DKG), t))

    def superclasses(self, cls: str) -> set[str]:
        return self._superclasses.get(cls, set())

    def said(self, s: str) -> list[tuple[str, Term]]:
        """``(predicate, object)`` pairs about ``s`` without the closure's copies (see module)."""
        if s in self._said:
            return self._said[s]
        props = self.out.get(s, {})
        kept = []
        for p, objects in props.items():
            if p == RDF_TYPE or p in self.inverse_views:
                continue
            subs = self._subproperties.get(p, set())
            inverse_subs = self._subproperties.get(self.inverse.get(p, ""), set())
            for o in objects:
                if any(o in props.get(q, ()) for q in subs):
                    continue
                if isinstance(o, str) and any(s in self.out.get(o, {}).get(r, ()) for r in inverse_subs):
                    continue
                kept.append((p, o))
        self._said[s] = sorted(kept, key=lambda po: (po[0], str(po[1])))
        return self._said[s]

    def said_of(self, o: str) -> list[tuple[str, str]]:
        """``(predicate, subject)`` pairs pointing at ``o``, without the closure's copies."""
        found = []
        for p, subjects in self.inc.get(o, {}).items():
            if p == RDF_TYPE or p in self.inverse_views:
                continue
            for s in subjects:
                if (p, o) in self.said(s):
                    found.append((p, s))
        return sorted(set(found))
