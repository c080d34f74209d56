"""SHACL validation with reports that point back to the facts a curator edits.

pySHACL calls a broken shapes graph "non-conformant"; we tell the two apart:
a shapes graph that cannot be loaded raises :class:`ShapesError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef

from kg.build import new_graph
from kg.errors import ShapesError
from kg.rdfio import RDFInputError, parse_file

SH = Namespace("http://www.w3.org/ns/shacl#")
REPORT_BASE = "https://w3id.org/dispute-kg/id/report/"
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Problem:
    """One validation result, located in the facts where possible."""

    severity: str
    focus: str
    path: str | None
    component: str
    message: str
    value: str | None
    shape: str | None
    location: str | None = None  # "file:line: noun 'id'"
    field: str | None = None
    focus_term: object = None
    path_term: object = None
    component_term: object = None
    value_term: object = None
    shape_term: object = None

    def describe(self) -> str:
        where = self.location or self.focus
        field = f", field '{self.field}'" if self.field else (f", property {self.path}" if self.path else "")
        value = f" (value: {self.value})" if self.value else ""
        return f"{where}{field}: {self.severity}: {self.message}{value} [{self.component}]"


@dataclass
class Report:
    conforms: bool
    problems: list[Problem]
    graph: Graph

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "Violation"]

    def standard_graph(self) -> Graph:
        """The SHACL validation report as a graph without blank nodes (stable bytes).

        Results are numbered in their sorted order; a source shape that is a
        blank node in the shapes file is left out rather than given a random label.
        """
        graph = new_graph()
        graph.bind("sh", SH)
        report = URIRef(REPORT_BASE + "validation")
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms)))
        for number, problem in enumerate(self.problems, 1):
            result = URIRef(f"{REPORT_BASE}validation-result-{number}")
            graph.add((report, SH.result, result))
            graph.add((result, RDF.type, SH.ValidationResult))
            graph.add((result, SH.focusNode, problem.focus_term))
            graph.add((result, SH.resultSeverity, SH[problem.severity]))
            graph.add((result, SH.sourceConstraintComponent, problem.component_term))
            graph.add((result, SH.resultMessage, Literal(problem.message)))
            if problem.path_term is not None:
                graph.add((result, SH.resultPath, problem.path_term))
            if problem.value_term is not None:
                graph.add((result, SH.value, problem.value_term))
            if isinstance(problem.shape_term, URIRef):
                graph.add((result, SH.sourceShape, problem.shape_term))
        return graph

    def text(self) -> str:
        """A report grouped by facts file and entry, one line per field and message."""
        if not self.problems:
            return "conforms: yes"
        lines = [f"conforms: {'yes' if self.conforms else 'no'} "
                 f"({len(self.violations)} violation(s), {len(self.problems)} result(s))"]
        groups: dict[str, list[Problem]] = {}
        for problem in self.problems:
            groups.setdefault(problem.location or problem.focus, []).append(problem)
        for where in sorted(groups, key=lambda w: (min(SEVERITY_ORDER.get(p.severity, 3)
                                                       for p in groups[w]), w)):
            lines.append(where)
            for problem in groups[where]:
                field = f"field '{problem.field}'" if problem.field else (
                    f"property {problem.path}" if problem.path else "(the node itself)")
                value = f" (value: {problem.value})" if problem.value else ""
                lines.append(f"  {problem.severity}: {field}: {problem.message}{value} "
                             f"[{problem.component}]")
        return "\n".join(lines)


def load_shapes(paths: list[Path] | None = None, check: bool = True) -> Graph:
    """Parse the shapes files and check them against the W3C shacl-shacl shapes.

    The check runs once per distinct shapes content (a marker in the cache
    records that it passed).

    Raises:
        ShapesError: "the shapes are broken", with what is wrong.
    """
    from kg.resources import digest, shapes_files

    paths = list(paths or shapes_files())
    graph = new_graph()
    graph.bind("sh", SH)
    graph.bind("dksh", Namespace("https://w3id.org/dispute-kg/shapes#"))
    for path in paths:
        try:
            parse_file(path, graph)
        except RDFInputError as exc:
            raise ShapesError(f"the shapes are broken: {exc}") from None
    if check:
        from kg.pipeline import cache_dir

        marker = cache_dir() / f"shapes-ok-{digest(paths)}"
        if not marker.exists():
            problems = shapes_problems(graph)
            if problems:
                raise ShapesError("the shapes are broken (not valid SHACL):\n  - " + "\n  - ".join(problems))
            try:
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.touch()
            except OSError:
                pass
    return graph


def shapes_problems(shapes: Graph) -> list[str]:
    """What makes a shapes graph invalid SHACL, by the W3C shacl-shacl shapes graph."""
    import pyshacl

    meta = Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl", format="turtle")
    conforms, report, _ = pyshacl.validate(shapes, shacl_graph=meta, inference="none",
                                           allow_warnings=True, do_owl_imports=False)
    if conforms:
        return []
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        shown = _describe_shape(shapes, focus)
        problems.append(f"{shown}, {_short(shapes, path) or 'shape'}: {message}")
    return sorted(problems)


def _describe_shape(shapes: Graph, node) -> str:
    """Name a shape for a curator: IRI shapes by name, property shapes by owner and path."""
    if isinstance(node, URIRef):
        return _short(shapes, node)
    for link in (SH.property, SH.sparql):
        owner = shapes.value(None, link, node)
        if owner is not None:
            path = shapes.value(node, SH.path)
            what = f"property {_short(shapes, path)}" if isinstance(path, URIRef) else link.split("#")[-1]
            return f"{_describe_shape(shapes, owner)} {what}"
    return "an unnamed shape"


def _short(graph: Graph, term) -> str | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:
            return str(term)
    if isinstance(term, Literal):
        return str(term)
    return None


def validate_graph(data: Graph, shapes: Graph | None = None, locate=None) -> Report:
    """Validate an (already inferred) data graph against the shapes.

    Args:
        data: the graph to check; run inference first so entailed types count.
        shapes: the shapes graph; the packaged shapes by default.
        locate: optional ``iri -> (location, field_by_property)`` to point results at facts.

    Raises:
        ShapesError: when the shapes cannot be used.
    """
    import pyshacl
    from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError

    shapes = shapes if shapes is not None else load_shapes()
    try:
        conforms, report_graph, _ = pyshacl.validate(
            data, shacl_graph=shapes, inference="none", abort_on_first=False,
            allow_warnings=True, advanced=True, do_owl_imports=False)
    except (ConstraintLoadError, ShapeLoadError) as exc:
        raise ShapesError(f"the shapes are broken: {exc.message if hasattr(exc, 'message') else exc}") from None
    except ReportableRuntimeError as exc:
        raise ShapesError(f"the shapes could not be run: {exc.message}") from None
    return Report(bool(conforms), _problems(report_graph, data, locate), report_graph)


def _problems(report: Graph, data: Graph, locate) -> list[Problem]:
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        component = report.value(result, SH.sourceConstraintComponent)
        location, field = (locate(focus, path) if locate else (None, None))
        problems.append(Problem(
            severity=severity,
            focus=str(focus),
            path=_short(data, path) if isinstance(path, URIRef) else None,
            component=_short(report, component) or "",
            message=str(report.value(result, SH.resultMessage) or ""),
            value=_short(data, report.value(result, SH.value)),
            shape=_short(report, report.value(result, SH.sourceShape)),
            location=location,
            field=field,
            focus_term=focus,
            path_term=path if isinstance(path, URIRef) else None,
            component_term=component,
            value_term=report.value(result, SH.value) if not isinstance(
                report.value(result, SH.value), BNode) else None,
            shape_term=report.value(result, SH.sourceShape),
        ))
    return sorted(problems, key=lambda p: (SEVERITY_ORDER.get(p.severity, 3), p.location or "",
                                           p.focus, p.field or "", p.message))
