"""rdflib's own SPARQL engine: the slow reference the tests compare Oxigraph's answers with."""

from __future__ import annotations

from kg.errors import QueryError
from kg.query.engines import FROM_ENVIRONMENT, bounded
from kg.query.prefixes import PREFIXES
from kg.query.results import Results
from kg.query.terms import XSD, Term
from kg.graph.sparql import LocalQuery, local_query, rdflib_offline


class RdflibEngine:
    """rdflib's own SPARQL engine over an rdflib graph (reference, slow)."""

    name = "rdflib"

    def __init__(self, graph):
        self.graph = graph

    def run(self, text: str, bindings: dict[str, Term] | None = None,
            timeout: float | None | object = FROM_ENVIRONMENT) -> Results:
        """Run a query with its parameters bound, stopped after ``timeout`` seconds (None: no
        limit; by default kg.query.engines.query_timeout)."""
        return bounded(self._run, local_query(text, PREFIXES), bindings, timeout)

    def _run(self, query: LocalQuery, bindings: dict[str, Term] | None) -> Results:
        from rdflib import BNode, Literal, URIRef, Variable

        def to_rdflib(term: Term):
            if term.kind == "iri":
                return URIRef(term.value)
            return Literal(term.value, lang=term.language,
                           datatype=URIRef(term.datatype) if term.datatype else None)

        def from_rdflib(term) -> Term | None:
            if term is None:
                return None
            if isinstance(term, URIRef):
                return Term("iri", str(term))
            if isinstance(term, BNode):
                return Term("bnode", str(term))
            datatype = str(term.datatype) if term.datatype else None
            return Term("literal", str(term), None if datatype == XSD + "string" else datatype,
                        term.language)

        init = {Variable(k): to_rdflib(v) for k, v in (bindings or {}).items()}
        with rdflib_offline():  # rdflib evaluates lazily: read the whole answer inside
            try:
                answer = self.graph.query(query.text, initBindings=init, initNs=PREFIXES)
                if answer.type == "ASK":
                    return Results("ask", boolean=bool(answer.askAnswer))
                if answer.type == "SELECT":
                    variables = [str(v) for v in answer.vars]
                    rows = [tuple(from_rdflib(row[v]) for v in answer.vars) for row in answer]
                    return Results("select", variables, rows)
                lines = answer.graph.serialize(format="nt").splitlines()
            except Exception as exc:  # rdflib raises pyparsing and many other errors
                raise QueryError(f"query failed: {exc}") from None
        return Results("graph", triples=sorted({line for line in lines if line.strip()}))
