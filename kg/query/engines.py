"""Local SPARQL execution on two engines that must agree.

* Oxigraph (default): correct xsd:date comparison and linear-time date joins.
* rdflib: the reference; quadratic on date joins and lax with untyped dates,
  kept so tests can cross-check answers.
"""

from __future__ import annotations

import os

from kg.errors import QueryError
from kg.query.catalogue import XSD
from kg.query.prefixes import PREFIXES
from kg.query.results import Results
from kg.query.terms import Term
from kg.query.text import check_local_query, with_values

ENGINES = ("oxigraph", "rdflib")
DEFAULT_TIMEOUT = float(os.environ.get("DISPUTE_KG_QUERY_TIMEOUT", "10"))


def _child(run, text, bindings, connection) -> None:
    try:
        connection.send(("ok", run(text, bindings)))
    except QueryError as exc:
        connection.send(("error", str(exc)))
    except BaseException as exc:  # report, never hang the parent
        connection.send(("error", f"query failed: {type(exc).__name__}: {exc}"))
    finally:
        connection.close()


def bounded(run, text: str, bindings, timeout: float | None) -> Results:
    """Run ``run(text, bindings)`` in a forked child and stop it after ``timeout`` seconds.

    Neither Oxigraph nor rdflib can interrupt a running query, and a
    cross product or a catastrophic regex can run for minutes; a child process
    can always be killed, and the caller stays usable.
    """
    if not timeout:
        return run(text, bindings)
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(run, text, bindings, sender), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryError(f"the query ran for more than {timeout:g} s and was stopped "
                             "(raise the limit with --timeout)")
        try:
            status, value = receiver.recv()
        except EOFError:
            raise QueryError("the query process ended without an answer") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if status == "error":
        raise QueryError(value)
    return value


def _from_oxigraph(term) -> Term | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    datatype = term.datatype.value
    if term.language:
        return Term("literal", term.value, None, term.language)
    return Term("literal", term.value, None if datatype == XSD + "string" else datatype)


class OxigraphEngine:
    """An in-memory Oxigraph store loaded from N-Triples (or one already loaded)."""

    name = "oxigraph"

    def __init__(self, ntriples):
        import pyoxigraph as ox

        if isinstance(ntriples, ox.Store):
            self.store = ntriples
        else:
            self.store = ox.Store()
            self.store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)

    def run(self, text: str, bindings: dict[str, Term] | None = None,
            timeout: float | None = DEFAULT_TIMEOUT) -> Results:
        """Run a query with its parameters bound, stopped after ``timeout`` seconds."""
        check_local_query(text)
        return bounded(self._run, text, bindings, timeout)

    def _run(self, text: str, bindings: dict[str, Term] | None) -> Results:
        import pyoxigraph as ox

        try:
            answer = self.store.query(with_values(text, bindings or {}), prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL: {exc}") from None
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from None
        if isinstance(answer, ox.QueryBoolean):
            return Results("ask", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            from kg.memory import paused_gc

            variables = [v.value for v in answer.variables]
            memo: dict = {None: None}  # one Term per distinct RDF term: answers repeat values

            def term(value):
                found = memo.get(value, memo)
                if found is memo:
                    found = memo[value] = _from_oxigraph(value)
                return found

            with paused_gc():  # a large answer is millions of small objects
                rows = [tuple(term(solution[v]) for v in variables) for solution in answer]
            return Results("select", variables, rows)
        triples = sorted({f"{t.subject} {t.predicate} {t.object} ." for t in answer})
        return Results("graph", triples=triples)


