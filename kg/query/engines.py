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

import math
import os
import re

from kg.errors import QueryError
from kg.graph.sparql import LocalQuery, local_query
from kg.query.prefixes import PREFIXES
from kg.query.results import Results
from kg.query.terms import Term, from_oxigraph
from kg.query.text import with_values

ENGINES = ("oxigraph", "rdflib")
#: The time limit of a local query when neither --timeout nor $DISPUTE_KG_QUERY_TIMEOUT sets one.
DEFAULT_TIMEOUT = 10.0
#: The longest time limit accepted (a day): a larger one is a mistake, not a limit.
MAX_TIMEOUT = 86400.0
SECONDS = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
TIMEOUT_VARIABLE = "DISPUTE_KG_QUERY_TIMEOUT"
#: Stands for "the limit $DISPUTE_KG_QUERY_TIMEOUT sets, else DEFAULT_TIMEOUT", read when a query runs.
FROM_ENVIRONMENT = object()


def parse_seconds(text: str) -> float:
    """A time limit in seconds, as given on the command line or in the environment.

    Raises:
        ValueError: the text is not a number of seconds above 0 and at most :data:`MAX_TIMEOUT`
            (``0``, ``-1``, ``inf``, ``nan`` and ``1e999`` are refused: a limit cannot be
            switched off by accident).
    """
    value = float(text) if SECONDS.fullmatch(text) else math.nan  # not float(): it takes "1_0", " 5", "inf"
    if not 0 < value <= MAX_TIMEOUT:
        raise ValueError(f"expected a positive number of seconds, at most {MAX_TIMEOUT:g}, "
                         f"found {text!r}")
    return value


def query_timeout() -> float:
    """The local query time limit from $DISPUTE_KG_QUERY_TIMEOUT (else :data:`DEFAULT_TIMEOUT`).

    Raises:
        QueryError: the variable is set to something that is not a valid limit.
    """
    text = os.environ.get(TIMEOUT_VARIABLE)
    if text is None:
        return DEFAULT_TIMEOUT
    try:
        return parse_seconds(text)
    except ValueError as exc:
        raise QueryError(f"${TIMEOUT_VARIABLE}: {exc}") from None


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


def bounded(run, query: LocalQuery, bindings, timeout: float | None | object) -> Results:
    """Run ``run(query, bindings)`` in a forked child and stop it after ``timeout`` seconds.

    Neither Oxigraph nor rdflib can interrupt a running query, and a
    cross product or a catastrophic regex can run for minutes; a child process
    can always be killed, and the caller stays usable.
    """
    if timeout is FROM_ENVIRONMENT:
        timeout = query_timeout()
    if timeout is None:
        return run(query, bindings)
    if not 0 < timeout <= MAX_TIMEOUT:
        raise QueryError(f"a query time limit must be above 0 and at most {MAX_TIMEOUT:g} s, "
                         f"found {timeout!r} (None runs without a limit)")
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
            timeout: float | None | object = FROM_ENVIRONMENT) -> Results:
        """Run a query with its parameters bound, stopped after ``timeout`` seconds (None: no
        limit; by default :func:`query_timeout`).

        Raises:
            QueryError: the query does not parse, holds SERVICE, fails or runs too long.
        """
        return bounded(self._run, local_query(text, PREFIXES), bindings, timeout)

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
            answer = self.store.query(text, substitutions=substitutions, prefixes=PREFIXES)
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
                # a solution iterates over its values in the order of ``variables`` (None where
                # unbound); map() over it costs a third of looking each variable up by name
                rows = [tuple(map(term, solution)) for solution in answer]
            return Results("select", variables, rows)
        triples = sorted({f"{t.subject} {t.predicate} {t.object} ." for t in answer})
        return Results("graph", triples=triples)


