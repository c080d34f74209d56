"""The build at scale: facts -> asserted, inferred and validation graphs as N-Triples, no rdflib Graph.

An rdflib Graph costs about a kilobyte and ten microseconds per triple; the
pipeline used to hold four of them (asserted, a copy for the reasoner,
inferred, the validation view). Here each graph is a set of N-Triples lines
written straight from the builder's terms (:mod:`kg.ntriples`); ``reasonable``
reads them from a file, Oxigraph checks consistency, and the result is the
same graphs :func:`kg.reference.infer.infer` and :func:`kg.reference.infer.validation_view` give
(tests compare them), as sorted N-Triples bytes.

``reasonable`` is run without the ontology's ``owl:FunctionalProperty`` and
``owl:disjointWith`` axioms: its rules for them (prp-fp, cax-dw) join on
shared values and grew quadratically here (3.5 GB at 2*10^5 triples, because
thousands of events share the confidence "high"). On a consistent graph those
rules entail only ``x owl:sameAs x``, which the cleaned closure drops anyway;
inconsistencies are found by the consistency gate, which checks both axioms
itself.
"""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field

from kg.graph import iris, ntriples
from kg.reason.gate import consistency_problems

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
OWL = "http://www.w3.org/2002/07/owl#"
#: Axioms ``reasonable`` is run without (see the module docstring).
CHECKED_BY_THE_GATE = (f"<{RDF_TYPE}> <{OWL}FunctionalProperty> .", f"<{OWL}disjointWith>")


@dataclass
class Graphs:
    """The three graphs of a build, as sorted N-Triples, and what the gate found."""

    asserted: bytes
    inferred: bytes
    view: bytes
    asserted_count: int
    inferred_count: int
    entailed: int
    problems: list[str]
    #: The inferred graph already loaded into Oxigraph (for the gate), for later stages to reuse.
    store: object = field(default=None, compare=False, repr=False)


class Iri(str):
    """An IRI of ``reasonable``'s answer: its text, nothing more (see :func:`light_terms`)."""

    __slots__ = ()


class Blank(str):
    """A blank node of ``reasonable``'s answer, by its label."""

    __slots__ = ()


class Written(str):
    """A literal of ``reasonable``'s answer, already written as N-Triples."""

    __slots__ = ()


XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def literal(value, lang=None, datatype=None) -> Written:
    """A literal as :func:`kg.graph.ntriples.term` writes rdflib's: strings, language strings
    and ``YYYY-MM-DD`` dates as given (rdflib keeps those forms); anything else through rdflib's
    Literal, so its normal form (``"05"`` as ``"5"``, ``"1"`` as ``"true"``) stays what it was."""
    if lang:
        return Written(f'"{str(value).translate(ntriples._ESCAPES)}"@{lang.lower()}')
    if datatype is None or datatype == ntriples.XSD_STRING:
        return Written(f'"{str(value).translate(ntriples._ESCAPES)}"')
    if datatype == XSD_DATE and _DAY.fullmatch(value):
        return Written(f'"{value}"^^<{datatype}>')
    from rdflib.term import Literal, URIRef

    return Written(ntriples.term(Literal(value, None, URIRef(datatype))))


@contextmanager
def light_terms():
    """While ``reasonable`` answers, ``rdflib.URIRef``, ``Literal`` and ``BNode`` name the light
    classes above.

    It builds its answer with whatever those names hold when it runs: at 10^6 triples 3.3
    million IRIs, each validated, and 250,000 literals, each parsed to a Python value, two
    thirds of its time, only for the pipeline to write them back as text. The names are
    restored when it returns or fails; tests compare the closure with owlrl's.
    """
    import rdflib

    saved = rdflib.URIRef, rdflib.Literal, rdflib.BNode
    rdflib.URIRef, rdflib.Literal, rdflib.BNode = Iri, literal, Blank
    try:
        yield
    finally:
        rdflib.URIRef, rdflib.Literal, rdflib.BNode = saved


def closure(asserted_lines: set[str]):
    """``reasonable``'s closure of the asserted lines, as triples of :class:`Iri`,
    :class:`Written` and :class:`Blank` terms."""
    import reasonable

    functional, disjoint = CHECKED_BY_THE_GATE
    handle, path = tempfile.mkstemp(suffix=".ttl", prefix="dispute-kg-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            # a chunk at a time: the whole file as one str would be hundreds of megabytes at 10^6
            chunk = []
            for line in asserted_lines:
                if functional not in line and disjoint not in line:
                    chunk.append(line)
                    if len(chunk) == ntriples.CHUNK:
                        out.write("\n".join(chunk) + "\n")
                        chunk.clear()
            out.write("\n".join(chunk) + "\n")
        reasoner = reasonable.PyReasoner()
        reasoner.load_file(path)
        with light_terms():
            return reasoner.reason()
    finally:
        os.unlink(path)


def entailed_lines(triples, asserted_lines: set[str]) -> set[str]:
    """The useful entailed triples (see :mod:`kg.reference.infer`) not already asserted, as lines.

    Args:
        triples: :func:`closure`'s answer (light terms).
        asserted_lines: what is asserted, as N-Triples lines.
    """
    same_as = f"<{OWL}sameAs>"
    resource = iris.ID
    found = set()
    add = found.add
    for s, p, o in triples:
        if type(s) is not Iri or not s.startswith(resource) or type(o) is Blank:
            continue
        subject = f"<{s}>"
        obj = f"<{o}>" if type(o) is Iri else o
        predicate = f"<{p}>"
        if predicate == same_as and subject == obj:
            continue
        line = f"{subject} {predicate} {obj} ."
        if line not in asserted_lines:
            add(line)
    return found


def view_lines(inferred: list[str], asserted_types: list[tuple[str, str]], subclass: dict) -> list[str]:
    """The validation view (see :func:`kg.reference.infer.validation_view`) of the inferred lines.

    Args:
        inferred: the inferred graph's lines, sorted and unique.
        asserted_types: (resource, class) of each asserted type of a resource.
        subclass: each class's direct superclasses.

    Returns:
        The view's lines, sorted and unique.
    """
    curated_type = f"<{RDF_TYPE}> "
    prefix = f"<{iris.ID}"
    kept = [line for line in inferred if not (line.startswith(prefix) and curated_type in line)]

    up: dict[str, set[str]] = {}
    added = set()
    for subject, cls in asserted_types:
        if cls not in up:
            up[cls] = ancestors(subclass, cls)
        for sup in up[cls]:
            added.add(f"<{subject}> <{RDF_TYPE}> <{sup}> .")
    # every added line is a resource's type, which ``kept`` left out: the two never overlap,
    # and sorting two sorted runs is a linear merge
    return sorted(kept + sorted(added))


def asserted_lines(facts) -> set[str]:
    """The asserted graph (ontology plus records) as N-Triples lines."""
    from kg.graph.builder import fact_lines
    from kg.graph.ontology import ontology_lines

    return ontology_lines() | fact_lines(facts)


def infer_lines(asserted: set[str], locate=None, last=None) -> Graphs:
    """The cleaned closure, the consistency gate's problems and the validation view.

    ``last`` (a :class:`kg.reason.incremental.LastClosure`) lets an edit that only replaced
    literal values reuse the previous closure instead of running the reasoner.
    """
    subclass: dict[str, set[str]] = {}
    types = []
    for line in asserted:
        s, p, o = ntriples.parts(line)
        if p == f"<{SUBCLASS}>" and s[0] == "<" and o[0] == "<":
            subclass.setdefault(s[1:-1], set()).add(o[1:-1])
        elif p == f"<{RDF_TYPE}>" and s.startswith(f"<{iris.ID}") and o[0] == "<":
            types.append((s[1:-1], o[1:-1]))
    entailed = last.entailed(asserted) if last is not None else None
    if entailed is None:
        entailed = entailed_lines(closure(asserted), asserted)
    entailed_count = len(entailed)
    ordered = sorted(asserted)
    asserted_bytes = ntriples.encode(ordered)
    entailed = sorted(entailed)
    if last is not None:
        last.keep(asserted_bytes, entailed)
    # the entailed lines are not asserted ones: sorting two sorted runs is a linear merge
    inferred = sorted(ordered + entailed)
    del entailed, ordered
    inferred_bytes = ntriples.encode(inferred)
    store = ntriples.store(inferred_bytes)
    problems = consistency_problems(store, locate)
    view = ntriples.encode(view_lines(inferred, types, subclass))
    return Graphs(asserted_bytes, inferred_bytes, view, len(asserted), len(inferred),
                  entailed_count, problems, store)


def build_graphs(facts, locate=None) -> Graphs:
    """Asserted, inferred and validation-view N-Triples of curated records (or generated ones).

    Args:
        facts: records from :func:`kg.facts.loader.load_facts`.
        locate: optional ``iri -> location`` for the consistency gate's messages.

    Returns:
        The graphs and the consistency gate's problems (not raised here).
    """
    return infer_lines(asserted_lines(facts), locate)


def ancestors(direct: dict, cls) -> set:
    """``cls`` and everything above it in the ``direct`` superclass map."""
    seen, stack = {cls}, [cls]
    while stack:
        for sup in direct.get(stack.pop(), ()):
            if sup not in seen:
                seen.add(sup)
                stack.append(sup)
    return seen
