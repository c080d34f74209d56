"""The graph as the site reads it: each resource's own triples, what points at it, and labels.

Read once from the sorted N-Triples of the asserted graph (ontology + facts), with pyoxigraph's
parser; the lines of each subject are kept as they are, so a resource's concise bounded
description is a slice of the release's own N-Triples and costs no second serialisation.

A ``dkg:Claim`` says which source supports a record, quoting it: it is our reification of
statements about the record. As the W3C's concise bounded description includes the reifications
of the statements it holds, a record's description includes its claims, and a claim has no page
of its own: its IRI leads to the record's page, where the claim stands under its source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import ReleaseError
from kg.graph import iris

RDF_TYPE = iris.PREFIXES["rdf"] + "type"
RDFS_LABEL = iris.PREFIXES["rdfs"] + "label"
DCTERMS_TITLE = iris.PREFIXES["dcterms"] + "title"
CLAIM_ABOUT = iris.DKG + "claimAbout"
CLAIM_SEGMENT = iris.KIND_SEGMENTS["claims"]
#: A resource's path under the site: ``id/<segment>/<slug>``, slugs as the facts loader allows them.
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
SEGMENTS = frozenset(iris.KIND_SEGMENTS.values())


@dataclass(frozen=True)
class Literal:
    value: str
    language: str | None
    datatype: str | None  # None for language-tagged strings


#: An object: an IRI (str), a blank node label ("_:x") or a Literal.
Value = str | Literal


class SiteGraph:
    """Triples by subject and by object, and the N-Triples lines of every subject."""

    def __init__(self, ntriples: bytes):
        import pyoxigraph as ox

        self.out: dict[str, list[tuple[str, Value]]] = {}
        self.incoming: dict[str, list[tuple[str, str]]] = {}
        self._lines: dict[str, list[bytes]] = {}
        self._triples: dict[str, list] = {}
        self._by_predicate: dict[str, dict[str, list[Value]]] = {}
        lines = [line for line in ntriples.split(b"\n") if line.strip()]
        triples = list(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
        if len(lines) != len(triples):
            raise ReleaseError("the graph's N-Triples do not hold one triple per line")
        for line, triple in zip(lines, triples):
            subject = _value(triple.subject, ox)
            obj = _value(triple.object, ox)
            predicate = triple.predicate.value
            self.out.setdefault(subject, []).append((predicate, obj))
            self._lines.setdefault(subject, []).append(line)
            self._triples.setdefault(subject, []).append(triple)
            if isinstance(obj, str):
                self.incoming.setdefault(obj, []).append((predicate, subject))

    def resources(self) -> list[str]:
        """Every IRI under the resource namespace that is described here and gets a page (claims
        do not: see :meth:`claim_record`), in order.

        Raises:
            ReleaseError: a resource IRI that cannot be a page's path.
        """
        found = []
        for subject in self.out:
            if not subject.startswith(iris.ID):
                continue
            path = path_of(subject)
            if path is None:
                raise ReleaseError(f"<{subject}>: not a resource IRI the site can mirror "
                                   f"({iris.ID}<kind>/<slug>)")
            if path.split("/")[1] != CLAIM_SEGMENT:
                found.append(subject)
        return sorted(found)

    def claim_record(self, claim: str) -> str | None:
        """The record a claim is about (whose page and description hold the claim)."""
        about = self.first(claim, CLAIM_ABOUT)
        return about if isinstance(about, str) else None

    def claims(self, record: str) -> list[str]:
        return sorted(s for p, s in self.incoming.get(record, ()) if p == CLAIM_ABOUT)

    def objects(self, subject: str, predicate: str) -> list[Value]:
        by_predicate = self._by_predicate.get(subject)
        if by_predicate is None:
            by_predicate = self._by_predicate[subject] = {}
            for p, o in self.out.get(subject, ()):
                by_predicate.setdefault(p, []).append(o)
        return by_predicate.get(predicate, [])

    def first(self, subject: str, predicate: str) -> Value | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def types(self, subject: str) -> list[str]:
        return sorted(o for o in self.objects(subject, RDF_TYPE) if isinstance(o, str))

    def labels(self, subject: str) -> list[Literal]:
        """rdfs:label values (English first, then by language), else the dcterms:title."""
        found = [o for o in self.objects(subject, RDFS_LABEL) if isinstance(o, Literal)] or \
            [o for o in self.objects(subject, DCTERMS_TITLE) if isinstance(o, Literal)]
        return sorted(found, key=lambda lit: (lit.language != "en", lit.language or "", lit.value))

    def label(self, subject: str) -> str | None:
        """The English label (or the first label there is)."""
        found = self.labels(subject)
        return found[0].value if found else None

    def description(self, subject: str) -> tuple[bytes, list]:
        """The concise bounded description: the subject's triples, those of every blank node they
        reach, and its claims (reifications of statements about it).

        Returns:
            Sorted N-Triples, and the same triples as pyoxigraph parsed them.
        """
        lines, triples, seen = [], [], set()
        todo = [subject] + self.claims(subject)
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            lines += self._lines.get(node, [])
            triples += self._triples.get(node, [])
            todo += [o for _, o in self.out.get(node, ()) if isinstance(o, str) and o.startswith("_:")]
        return b"".join(line + b"\n" for line in sorted(lines)), triples


def _value(term, ox) -> Value:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if term.language:
        return Literal(term.value, term.language, None)
    return Literal(term.value, None, term.datatype.value)


def path_of(iri: str) -> str | None:
    """``id/<segment>/<slug>`` for a resource IRI the site mirrors, else None."""
    if not iri.startswith(iris.ID):
        return None
    segment, _, slug = iri[len(iris.ID):].partition("/")
    if segment in SEGMENTS and SLUG.fullmatch(slug):
        return f"id/{segment}/{slug}"
    return None
