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
import tempfile
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


def closure(asserted_lines: set[str]):
    """``reasonable``'s closure of the asserted lines, as rdflib-term triples."""
    import reasonable

    kept = [line for line in asserted_lines if not any(a in line for a in CHECKED_BY_THE_GATE)]
    handle, path = tempfile.mkstemp(suffix=".ttl", prefix="dispute-kg-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write("\n".join(kept) + "\n")
        reasoner = reasonable.PyReasoner()
        reasoner.load_file(path)
        return reasoner.reason()
    finally:
        os.unlink(path)


def entailed_lines(triples, asserted_lines: set[str]) -> set[str]:
    """The useful entailed triples (see :mod:`kg.reference.infer`) not already asserted, as lines."""
    from rdflib import OWL as OWL_NS
    from rdflib import BNode, URIRef

    found = set()
    term = ntriples.term
    cache: dict = {}
    for s, p, o in triples:
        if not isinstance(s, URIRef) or not s.startswith(iris.ID) or isinstance(o, BNode):
            continue
        if p == OWL_NS.sameAs and s == o:
            continue
        parts = []
        for t in (s, p, o):
            text = cache.get(t) if isinstance(t, URIRef) else None
            if text is None:
                text = term(t)
                if isinstance(t, URIRef):
                    cache[t] = text
            parts.append(text)
        line = f"{parts[0]} {parts[1]} {parts[2]} ."
        if line not in asserted_lines:
            found.add(line)
    return found


def view_lines(inferred: set[str], asserted_types: list[tuple[str, str]], subclass: dict) -> set[str]:
    """The validation view (see :func:`kg.reference.infer.validation_view`) of the inferred lines."""
    curated_type = f"<{RDF_TYPE}> "
    prefix = f"<{iris.ID}"
    view = {line for line in inferred if not (line.startswith(prefix) and curated_type in line)}

    up: dict[str, set[str]] = {}
    for subject, cls in asserted_types:
        if cls not in up:
            up[cls] = ancestors(subclass, cls)
        for sup in up[cls]:
            view.add(f"<{subject}> <{RDF_TYPE}> <{sup}> .")
    return view


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
        s, p, o = line[:-2].split(" ", 2)
        if p == f"<{SUBCLASS}>" and s[0] == "<" and o[0] == "<":
            subclass.setdefault(s[1:-1], set()).add(o[1:-1])
        elif p == f"<{RDF_TYPE}>" and s.startswith(f"<{iris.ID}") and o[0] == "<":
            types.append((s[1:-1], o[1:-1]))
    entailed = last.entailed(asserted) if last is not None else None
    if entailed is None:
        entailed = entailed_lines(closure(asserted), asserted)
    inferred = asserted | entailed
    inferred_bytes = ntriples.document(inferred)
    asserted_bytes = ntriples.document(asserted)
    if last is not None:
        last.keep(asserted_bytes, entailed)
    store = ntriples.store(inferred_bytes)
    problems = consistency_problems(store, locate)
    view = ntriples.document(view_lines(inferred, types, subclass))
    return Graphs(asserted_bytes, inferred_bytes, view, len(asserted), len(inferred),
                  len(entailed), problems, store)


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
