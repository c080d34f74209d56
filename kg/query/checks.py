"""Quality checks: SPARQL queries whose every answer row is a violation.

The checks live in ``queries/checks/<name>-violation.rq`` (see
:mod:`kg.query.catalogue` for the header). They cover what ontology projects check
with ROBOT, FOOPS! and OOPS!: labels, definitions, language tags, duplicate
labels, undeclared and unused terms, dates, literal subjects, licence and
version metadata, domains and ranges, and the irreflexivity of
``dkg:precedes`` that OWL 2 DL cannot state.

They run on Oxigraph over the inferred graph's N-Triples (several checks join
the whole graph with itself, which rdflib's engine does in quadratic time). The
literal-subject check guards graphs made by other tools: a caller holding
generalized RDF (owlrl's output) passes an rdflib-backed engine instead.
A check with severity ``error`` fails ``dispute-kg build`` and ``validate``;
``warn`` findings are printed and ``info`` findings counted, and neither fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.query.catalogue import CHECKS_GROUP, SEVERITIES, StoredQuery, parse_query_file
from kg.query.results import short
from kg.resources import queries_dir

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, order=True)
class Finding:
    """One row of one check, with its message filled in."""

    severity_rank: int
    check: str
    message: str

    @property
    def severity(self) -> str:
        return SEVERITIES[self.severity_rank]

    def describe(self) -> str:
        return f"{self.severity}: {self.message} [{self.check}]"


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    checks_run: int = 0

    def of(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]

    @property
    def passed(self) -> bool:
        """No finding of severity error."""
        return not self.of("error")

    def counts(self) -> str:
        return ", ".join(f"{len(self.of(s))} {s}" for s in SEVERITIES)

    def text(self, show: tuple[str, ...] = ("error", "warn")) -> str:
        """A summary line, then one line per finding of the severities in ``show``.

        Info findings (such as terms the data does not use yet) are only counted
        by default: on a partial graph given to ``validate`` they would be legion.
        """
        lines = [f"quality checks: {self.checks_run} run, {self.counts()}"]
        lines += ["  " + f.describe() for f in self.findings if f.severity in show]
        return "\n".join(lines)


def check_catalogue(directory: Path | None = None) -> dict[str, StoredQuery]:
    """Every quality check, by name, from ``queries/checks/*-violation.rq``.

    Raises:
        QueryError: a check file with a bad header or a message naming a
            variable the query does not select.
    """
    from kg.errors import QueryError

    found = {}
    for path in sorted(((directory or queries_dir()) / CHECKS_GROUP).glob("*-violation.rq")):
        check = parse_query_file(path, CHECKS_GROUP)
        body = "\n".join(line for line in check.text.splitlines() if not line.lstrip().startswith("#"))
        head = re.split(r"\bWHERE\b", body, maxsplit=1, flags=re.IGNORECASE)[0]
        for name in _PLACEHOLDER.findall(check.message):
            if f"?{name}" not in head:
                raise QueryError(f"{path}: the message names {{{name}}}, which the query does not select")
        found[check.name] = check
    return found


def _fill(message: str, variables: list[str], row) -> str:
    values = {v: short(t) if t is not None else "(none)" for v, t in zip(variables, row)}
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), message)


def run_checks(graph, checks: dict[str, StoredQuery] | None = None) -> CheckReport:
    """Run every quality check on ``graph`` (usually the inferred one).

    Args:
        graph: the graph to check, ontology, data and their closure: sorted N-Triples
            bytes (what the build holds), an rdflib Graph, or a query engine already
            loaded with it (the only way to check generalized RDF such as owlrl's
            literal subjects, which neither N-Triples nor Oxigraph can hold).
        checks: the checks to run; all of ``queries/checks`` by default.

    Returns:
        The findings, sorted by severity, check and message.
    """
    from kg.query.engines import OxigraphEngine

    # Oxigraph, not rdflib: several checks join the whole graph with itself,
    # which rdflib's engine does in quadratic time (minutes at 10^4 triples).
    if isinstance(graph, bytes):
        engine = OxigraphEngine(graph)
    elif hasattr(graph, "run"):
        engine = graph
    else:
        from kg.graph.rdfio import serialize

        engine = OxigraphEngine(serialize(graph, "ntriples"))
    checks = check_catalogue() if checks is None else checks
    report = CheckReport(checks_run=len(checks))
    for check in checks.values():
        results = engine.run(check.text, timeout=None)  # our own queries: no fork per check
        rank = SEVERITIES.index(check.severity)
        for row in results.rows:
            report.findings.append(Finding(rank, check.name, _fill(check.message, results.variables, row)))
    report.findings.sort()
    return report
