"""Answers that explain themselves: unknown resources in parameters, and empty answers.

A stored query's parameter that names a resource the graph does not hold would only return
nothing; it is refused instead, with the closest resources of the same kind. A stored query
that finds nothing says why where it can: ``who-held-post`` lists the post's known holders and
their dates; any other says which parameter values found nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from kg.errors import UnknownResourceError
from kg.query.catalogue import StoredQuery
from kg.query.terms import Term


def _namespace(iri: str) -> str:
    return iri.rsplit("/", 1)[0] + "/" if "/" in iri else iri


def check_parameters(query: StoredQuery, given: dict[str, str], bindings: dict[str, Term],
                     explorer: Callable) -> None:
    """Refuse an IRI parameter that names nothing in the graph.

    Args:
        query: the stored query.
        given: the parameter values as the user gave them.
        bindings: the same, bound (kg.query.catalogue.bind).
        explorer: returns the graph's Explorer (called only when an IRI value was given).

    Raises:
        UnknownResourceError: naming the parameter and value, with the closest resources.
    """
    names = [p.name for p in query.params if p.type == "iri" and p.name in given]
    if not names:
        return
    found = explorer()
    for name in names:
        iri = bindings[name].value
        if found.has(iri):
            continue
        same_kind = [e for e in found.entries if _namespace(e["iri"]) == _namespace(iri)]
        closest = found.closest(given[name], same_kind or None)
        hint = ("; closest: " + "; ".join(f"{e['id']} ({e['label']})" for e in closest)) if closest \
            else "; find it with 'dispute-kg search'"
        raise UnknownResourceError(f"parameter '{name}': {given[name]} is not in the graph{hint}",
                                   [e["id"] for e in closest])


def _holders(explorer, post: str, day: str) -> str | None:
    if not explorer.has(post):
        return None
    d = explorer.description(post)
    label = f"{d['label']} ({d['id']})"
    lines = []
    for t in d.get("holders", []):
        if t["start"] or t["end"]:
            when = f"{t['start'] or 'start not recorded'} – {t['end'] or 'no recorded end'}"
        else:
            when = "attested " + ", ".join(t["attested"])
        lines.append(f"{t['holder']['label']} ({when})")
    if not lines:
        return f"no tenure of {label} is recorded"
    return (f"no tenure of {label} covers {day} and no source attests a holder on that day; "
            f"known holders: {'; '.join(lines)}")


def explain_empty(query: StoredQuery, given: dict[str, str], bindings: dict[str, Term],
                  explorer: Callable) -> str | None:
    """Why a stored query found nothing, or None when there is nothing to say.

    Args:
        query: the stored query.
        given: the parameter values as the user gave them.
        bindings: all bound parameter values (defaults included).
        explorer: returns the graph's Explorer.
    """
    if query.name == "who-held-post" and "post" in bindings and "day" in bindings:
        found = _holders(explorer(), bindings["post"].value, bindings["day"].value)
        if found:
            return found
    if given:
        values = " ".join(f"--param {k}={v}" for k, v in given.items())
        return f"nothing matches {values}; without them the query answers with every row"
    return None
