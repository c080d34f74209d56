"""OWL 2 RL closure, cleaned of reasoner noise, and a consistency gate.

Two engines give the same inferred graph (tests prove it):

* ``reasonable`` (Rust, the default): tens of times faster than owlrl.
* ``owlrl`` (pure Python): the reference implementation.

The inferred graph is the asserted graph plus every entailed triple whose
subject is a curated resource (an IRI under ``https://w3id.org/dispute-kg/id/``),
except ``x owl:sameAs x``; plain literals the engine re-typed as ``xsd:string``
are written back as plain literals (the same term in RDF 1.1). Everything else
a reasoner adds -- axiomatic triples about rdf/rdfs/owl terms, literal
subjects, blank-node copies of axioms, reflexive schema links -- is noise for
our users and is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef

from kg.errors import InconsistencyError
from kg.graph import iris
from kg.graph.namespaces import new_graph
from kg.reason.closure import ancestors

ENGINES = ("reasonable", "owlrl")


@dataclass
class Inference:
    graph: Graph
    entailed: int
    engine: str
    problems: list[str] = field(default_factory=list)
    asserted: Graph | None = None
    view: Graph | None = None

    def validation_view(self) -> Graph:
        """What SHACL validates: see :func:`validation_view`."""
        return self.view if self.view is not None else validation_view(self.asserted, self.graph)


def _owlrl_closure(asserted: Graph) -> Graph:
    import owlrl

    scratch = Graph(bind_namespaces="none")
    scratch += asserted
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(scratch)
    return scratch


def _useful(triples, asserted: Graph):
    for s, p, o in triples:
        if not isinstance(s, URIRef) or not s.startswith(iris.ID) or isinstance(o, BNode):
            continue
        if p == OWL.sameAs and s == o:
            continue
        if isinstance(o, Literal) and o.datatype == XSD.string and o.language is None:
            o = Literal(str(o))
        if (s, p, o) not in asserted:
            yield s, p, o


def infer(asserted: Graph, engine: str = "reasonable", check: bool = True,
          locate=None) -> Inference:
    """The cleaned OWL 2 RL closure of an rdflib graph, for callers that hold one.

    ``reasonable`` runs the pipeline's own fast path (:func:`kg.reason.closure.infer_lines`)
    on the graph's N-Triples; ``owlrl`` is the reference implementation, run on rdflib.

    Args:
        asserted: ontology plus facts.
        engine: ``reasonable`` (fast) or ``owlrl`` (reference).
        check: raise :class:`InconsistencyError` when the closure is inconsistent.
        locate: optional ``iri -> "file:line: noun 'id'" or None``, to point each
            inconsistency at the facts entry a curator must fix.

    Returns:
        The inferred graph and how many triples were entailed.
    """
    if engine == "reasonable":
        from kg.graph import ntriples
        from kg.graph.rdfio import rdflib_graph
        from kg.reason.closure import infer_lines

        graphs = infer_lines(ntriples.lines(asserted), locate)
        inference = Inference(rdflib_graph(graphs.inferred), graphs.entailed, engine,
                              graphs.problems, asserted, rdflib_graph(graphs.view))
    elif engine == "owlrl":
        graph = new_graph()
        graph += asserted
        entailed = list(_useful(_owlrl_closure(asserted), asserted))
        graph.addN((s, p, o, graph) for s, p, o in entailed)
        inference = Inference(graph, len(set(entailed)), engine,
                              consistency_problems(graph, locate), asserted)
    else:
        raise ValueError(f"unknown reasoner '{engine}'; choose one of {', '.join(ENGINES)}")
    if check and inference.problems:
        raise InconsistencyError(inference.problems)
    return inference


def asserted_graph(facts, ontology: bool = True) -> Graph:
    """The asserted graph (the ontology and the records, or the records alone) as rdflib, for
    the reference engines and the tests that compare with them."""
    from kg.graph import ntriples
    from kg.graph.builder import fact_lines
    from kg.graph.ontology import ontology_lines
    from kg.graph.rdfio import rdflib_graph

    lines = fact_lines(facts) | (ontology_lines() if ontology else set())
    return rdflib_graph(ntriples.document(lines))


def reference_graphs(asserted_lines: set[str], engine: str = "owlrl", locate=None):
    """The pipeline's graphs (:class:`kg.reason.closure.Graphs`) made by the reference reasoner."""
    from kg.graph import ntriples
    from kg.graph.rdfio import rdflib_graph
    from kg.reason.closure import Graphs

    if engine != "owlrl":
        raise ValueError(f"unknown reference reasoner '{engine}'; the reference is owlrl")
    asserted = rdflib_graph(ntriples.document(asserted_lines))
    inference = infer(asserted, engine, check=False, locate=locate)
    inferred = ntriples.lines(inference.graph)
    return Graphs(ntriples.document(asserted_lines), ntriples.document(inferred),
                  ntriples.document(ntriples.lines(inference.validation_view())),
                  len(asserted_lines), len(inferred), inference.entailed, inference.problems)


def superclasses(graph: Graph) -> dict:
    """Each class's superclasses (reflexive, transitive) from rdfs:subClassOf."""
    direct: dict = {}
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            direct.setdefault(sub, set()).add(sup)

    return {cls: ancestors(direct, cls) for cls in direct}


def validation_view(asserted: Graph, inferred: Graph) -> Graph:
    """The graph SHACL checks: the inferred graph, but with the class memberships
    of curated resources limited to asserted types and their superclasses.

    Types entailed from a property's domain or range would make every
    ``sh:class`` constraint vacuous (an end user that is a news agency would
    simply become a firm too); the consistency gate reports such clashes, and
    SHACL reports them against the fact a curator edits.
    """
    view = new_graph()
    up = superclasses(asserted)
    for s, p, o in inferred:
        if p == RDF.type and isinstance(s, URIRef) and s.startswith(iris.ID):
            continue
        view.add((s, p, o))
    for s, cls in asserted.subject_objects(RDF.type):
        if isinstance(s, URIRef) and s.startswith(iris.ID):
            for sup in up.get(cls, {cls}):
                view.add((s, RDF.type, sup))
    return view


def _name(graph: Graph, term) -> str:
    try:
        return graph.namespace_manager.normalizeUri(term) if isinstance(term, URIRef) else repr(str(term))
    except Exception:
        return str(term)


def consistency_problems(closure: Graph, locate=None) -> list[str]:
    """What makes a closed graph inconsistent: members of owl:Nothing,
    members of two disjoint classes, two values of a functional property."""
    problems = []

    def where(node) -> str:
        found = locate(str(node)) if locate else None
        return f" ({found})" if found else ""

    for member in sorted(closure.subjects(RDF.type, OWL.Nothing)):
        problems.append(f"{_name(closure, member)} is a member of owl:Nothing{where(member)}")
    disjoint = set()
    for a, b in closure.subject_objects(OWL.disjointWith):
        disjoint.add((a, b))
        disjoint.add((b, a))
    for a, b in sorted(disjoint):
        if a >= b:
            continue
        both = set(closure.subjects(RDF.type, a)) & set(closure.subjects(RDF.type, b))
        for member in sorted(both):
            problems.append(f"{_name(closure, member)} is both a {_name(closure, a)} and a "
                            f"{_name(closure, b)}, which are disjoint{where(member)}")
    functional = set(closure.subjects(RDF.type, OWL.FunctionalProperty))
    for prop in sorted(functional):
        values: dict = {}
        for s, o in closure.subject_objects(prop):
            values.setdefault(s, set()).add(o.toPython() if isinstance(o, Literal) else o)
        for subject, found in sorted(values.items()):
            if len(found) > 1:
                shown = ", ".join(sorted(str(v) for v in found))
                problems.append(f"{_name(closure, subject)} has {len(found)} values for functional "
                                f"property {_name(closure, prop)}: {shown}{where(subject)}")
    return problems
