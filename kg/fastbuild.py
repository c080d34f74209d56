"""The build at scale: facts -> asserted, inferred and validation graphs as N-Triples, no rdflib Graph.

An rdflib Graph costs about a kilobyte and ten microseconds per triple; the
pipeline used to hold four of them (asserted, a copy for the reasoner,
inferred, the validation view). Here each graph is a set of N-Triples lines
written straight from the builder's terms (:mod:`kg.ntriples`); ``reasonable``
reads them from a file, Oxigraph checks consistency, and the result is the
same graphs :func:`kg.infer.infer` and :func:`kg.infer.validation_view` give
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

import gc
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass

from kg import iris, ntriples

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


@contextmanager
def paused_gc():
    """Pause Python's cyclic garbage collector while building.

    Building makes millions of small acyclic objects (records, terms, lines);
    each full collection walks all of them, which made loading 10^6 triples'
    facts take 14 s instead of 6 and grew faster than the data.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def ontology_lines() -> set[str]:
    """The ontology files as N-Triples lines (parsed by pyoxigraph, owl:imports not followed)."""
    import pyoxigraph as ox

    from kg.resources import ontology_files

    found = set()
    for path in ontology_files():
        triples = ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE,
                           base_iri=path.resolve().as_uri())
        found.update(f"{q.subject} {q.predicate} {q.object} ." for q in triples)
    return found


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
    """The useful entailed triples (see :mod:`kg.infer`) not already asserted, as lines."""
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
    """The validation view (see :func:`kg.infer.validation_view`) of the inferred lines."""
    curated_type = f"<{RDF_TYPE}> "
    prefix = f"<{iris.ID}"
    view = {line for line in inferred if not (line.startswith(prefix) and curated_type in line)}

    from kg.infer import ancestors

    up: dict[str, set[str]] = {}
    for subject, cls in asserted_types:
        if cls not in up:
            up[cls] = ancestors(subclass, cls)
        for sup in up[cls]:
            view.add(f"<{subject}> <{RDF_TYPE}> <{sup}> .")
    return view


def consistency_problems(store, locate=None) -> list[str]:
    """:func:`kg.infer.consistency_problems` on an Oxigraph store (same messages, same order).

    Args:
        store: the inferred graph in Oxigraph.
        locate: optional ``iri -> "file:line: noun 'id'"`` naming the facts entry behind a node.
    """
    from rdflib import Literal, URIRef

    def where(node) -> str:
        found = locate(node.value) if locate and type(node).__name__ == "NamedNode" else None
        return f" ({found})" if found else ""

    problems = []
    rows = list(store.query(f"SELECT ?m WHERE {{ ?m a <{OWL}Nothing> }}"))
    for member in sorted((row["m"] for row in rows), key=_order):
        problems.append(f"{_name(member)} is a member of owl:Nothing{where(member)}")
    pairs: dict[tuple, set] = {}
    for row in store.query(f"SELECT DISTINCT ?a ?b ?m WHERE {{ {{ ?a <{OWL}disjointWith> ?b }} UNION "
                           f"{{ ?b <{OWL}disjointWith> ?a }} ?m a ?a, ?b }}"):
        a, b = row["a"].value, row["b"].value
        if a < b:
            pairs.setdefault((a, b), set()).add(row["m"])
    for (a, b), members in sorted(pairs.items()):
        for member in sorted(members, key=_order):
            problems.append(f"{_name(member)} is both a {_name_iri(a)} and a {_name_iri(b)}, "
                            f"which are disjoint{where(member)}")
    clashes: dict[str, dict] = {}
    query = (f"SELECT DISTINCT ?p ?s ?o WHERE {{ ?p a <{OWL}FunctionalProperty> . ?s ?p ?o, ?o2 "
             f"FILTER(!sameTerm(?o, ?o2)) }}")
    for row in store.query(query):
        clashes.setdefault(row["p"].value, {}).setdefault(row["s"], []).append(row["o"])
    for prop in sorted(clashes):
        for subject in sorted(clashes[prop], key=_order):
            values = set()
            for value in clashes[prop][subject]:
                if type(value).__name__ == "Literal":
                    literal = Literal(value.value, lang=value.language) if value.language else \
                        Literal(value.value, datatype=URIRef(value.datatype.value))
                    values.add(literal.toPython())
                else:
                    values.add(value.value)
            if len(values) > 1:
                shown = ", ".join(sorted(str(v) for v in values))
                problems.append(f"{_name(subject)} has {len(values)} values for functional "
                                f"property {_name_iri(prop)}: {shown}{where(subject)}")
    return problems


def _order(term) -> str:
    return term.value


def _name_iri(iri: str) -> str:
    for prefix, namespace in sorted(iris.PREFIXES.items(), key=lambda kv: -len(kv[1])):
        local = iri[len(namespace):]
        if iri.startswith(namespace) and local and all(c.isalnum() or c in "-_." for c in local):
            return f"{prefix}:{local}"
    return f"<{iri}>"


def _name(term) -> str:
    if type(term).__name__ == "NamedNode":
        return _name_iri(term.value)
    return repr(term.value)


def asserted_lines(facts) -> set[str]:
    """The asserted graph (ontology plus records) as N-Triples lines."""
    from kg.build import fact_triples

    return ontology_lines() | ntriples.lines(fact_triples(facts))


def infer_lines(asserted: set[str], locate=None) -> Graphs:
    """The cleaned closure, the consistency gate's problems and the validation view."""
    subclass: dict[str, set[str]] = {}
    types = []
    for line in asserted:
        s, p, o = line[:-2].split(" ", 2)
        if p == f"<{SUBCLASS}>" and s[0] == "<" and o[0] == "<":
            subclass.setdefault(s[1:-1], set()).add(o[1:-1])
        elif p == f"<{RDF_TYPE}>" and s.startswith(f"<{iris.ID}") and o[0] == "<":
            types.append((s[1:-1], o[1:-1]))
    entailed = entailed_lines(closure(asserted), asserted)
    inferred = asserted | entailed
    inferred_bytes = ntriples.document(inferred)
    problems = consistency_problems(ntriples.store(inferred_bytes), locate)
    view = ntriples.document(view_lines(inferred, types, subclass))
    return Graphs(ntriples.document(asserted), inferred_bytes, view, len(asserted), len(inferred),
                  len(entailed), problems)


def build_graphs(facts, locate=None) -> Graphs:
    """Asserted, inferred and validation-view N-Triples of curated records (or generated ones).

    Args:
        facts: records from :func:`kg.facts_loader.load_facts`.
        locate: optional ``iri -> location`` for the consistency gate's messages.

    Returns:
        The graphs and the consistency gate's problems (not raised here).
    """
    return infer_lines(asserted_lines(facts), locate)
