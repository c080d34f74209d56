"""Local SPARQL execution on two engines that must agree.

* Oxigraph (default): correct xsd:date comparison and linear-time date joins.
* rdflib: the reference; quadratic on date joins and lax with untyped dates,
  kept so tests can cross-check answers.

Every query is read by :func:`kg.graph.sparql.local_query` first (SERVICE
refused on the parsed query), and a query with a time limit runs in a forked
process that, where the system allows it, has no network at all: pyoxigraph
cannot be told not to federate, so this is what makes it unable to.
"""

from __future__ import annotations

import os

from kg.errors import QueryError
from kg.graph.sparql import LocalQuery, local_query
from kg.query.results import Results
from kg.query.terms import Term, from_oxigraph
from kg.query.text import with_values

ENGINES = ("oxigraph", "rdflib")
DEFAULT_TIMEOUT = float(os.environ.get("DISPUTE_KG_QUERY_TIMEOUT", "10"))


#: unshare(2) flags: a new network namespace (no interface but a down loopback), and a new
#: user namespace, which lets a process that is not root create the first.
_CLONE_NEWNET, _CLONE_NEWUSER = 0x40000000, 0x10000000


def without_network() -> bool:
    """Take this process off every network (Linux network namespaces), if the system allows it.

    Returns:
        Whether it worked; where it does not (another system, a sandbox that forbids
        namespaces) the parsed-query guard alone keeps SERVICE out.
    """
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    flags = _CLONE_NEWNET if os.geteuid() == 0 else _CLONE_NEWNET | _CLONE_NEWUSER
    return libc.unshare(flags) == 0


def _child(run, query, bindings, connection) -> None:
    try:
        without_network()
        connection.send(("ok", run(query, bindings)))
    except QueryError as exc:
        connection.send(("error", str(exc)))
    except BaseException as exc:  # report, never hang the parent
        connection.send(("error", f"query failed: {type(exc).__name__}: {exc}"))
    finally:
        connection.close()


def bounded(run, query: LocalQuery, bindings, timeout: float | None) -> Results:
    """Run ``run(query, bindings)`` in a forked child and stop it after ``timeout`` seconds.

    Neither Oxigraph nor rdflib can interrupt a running query, and a
    cross product or a catastrophic regex can run for minutes; a child process
    can always be killed, and the caller stays usable.
    """
    if not timeout:
        return run(query, bindings)
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(run, query, bindings, sender), daemon=True)
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


class OxigraphEngine:
    """An in-memory Oxigraph store loaded from N-Triples."""

    name = "oxigraph"

    def __init__(self, ntriples: bytes):
        import pyoxigraph as ox

        self.store = ox.Store()
        self.store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)

    def run(self, text: str, bindings: dict[str, Term] | None = None,
            timeout: float | None = DEFAULT_TIMEOUT) -> Results:
        """Run a query with its parameters bound, stopped after ``timeout`` seconds.

        Raises:
            QueryError: the query does not parse, holds SERVICE, fails or runs too long.
        """
        return bounded(self._run, local_query(text), bindings, timeout)

    def _run(self, query: LocalQuery, bindings: dict[str, Term] | None) -> Results:
        """Bind parameters with Oxigraph's substitutions; Oxigraph substitutes only variables a
        SELECT projects, so any other is bound as a remote store's are, by a VALUES block."""
        import pyoxigraph as ox

        bindings = bindings or {}
        unselected = {name: term for name, term in bindings.items()
                      if query.selects is not None and name not in query.selects}
        substitutions = {ox.Variable(name): term.oxigraph() for name, term in bindings.items()
                         if name not in unselected}
        text = with_values(query.text, unselected)
        try:
            answer = self.store.query(text, substitutions=substitutions)
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
                    found = memo[value] = from_oxigraph(value)
                return found

            with paused_gc():  # a large answer is millions of small objects
                rows = [tuple(term(solution[v]) for v in variables) for solution in answer]
            return Results("select", variables, rows)
        triples = sorted({f"{t.subject} {t.predicate} {t.object} ." for t in answer})
        return Results("graph", triples=triples)


