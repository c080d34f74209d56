"""SHACL validation with reports that point back to the facts a curator edits.

Two engines give the same results (tests prove it): ``fast`` (the default,
:mod:`kg.shacl.engine`: the shapes compiled to SPARQL and run by Oxigraph) and
``pyshacl`` (the reference). pySHACL calls a broken shapes graph
"non-conformant"; we tell the two apart: a shapes graph that cannot be loaded
raises :class:`ShapesError`. Shapes that use a feature the fast engine lacks
raise :class:`UnsupportedShapesError`, or, with ``fallback`` (a user's own
shapes), are validated by pySHACL instead, and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef

XSD_STRING = XSD.string

from kg.errors import ShapesError, UnsupportedShapesError
from kg.graph import iris
from kg.graph.namespaces import new_graph
from kg.graph.rdfio import RDFInputError, parse_file

SH = Namespace("http://www.w3.org/ns/shacl#")
ENGINES = ("fast", "pyshacl")
SHORT_PREFIXES = iris.longest_first({**iris.PREFIXES, "sh": str(SH), "dksh": "https://w3id.org/dispute-kg/shapes#"})
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
    """Every engine's result: whether the data conforms, and each problem found."""

    conforms: bool
    problems: list[Problem]
    graph: Graph | None = None  # pySHACL's own report graph (the reference engine only)
    note: str | None = None  # one line: why pySHACL validated instead of the fast engine

    def keys(self) -> set[tuple]:
        """What two engines must agree on: one tuple per result, terms in N-Triples form."""
        from kg.graph.ntriples import term

        def nt(value):
            return None if value is None or isinstance(value, BNode) else term(value)

        return {(nt(p.focus_term), nt(p.path_term), nt(p.component_term), nt(p.shape_term),
                 nt(p.value_term), p.severity, p.message) for p in self.problems}

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
            severity = SH[problem.severity] if problem.severity in SEVERITY_ORDER else URIRef(problem.severity)
            graph.add((result, SH.resultSeverity, severity))
            graph.add((result, SH.sourceConstraintComponent, problem.component_term))
            graph.add((result, SH.resultMessage, Literal(problem.message)))
            if problem.path_term is not None:
                graph.add((result, SH.resultPath, problem.path_term))
            if problem.value_term is not None and not isinstance(problem.value_term, BNode):
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
            parse_file(path, graph, as_written=True)
        except RDFInputError as exc:
            raise ShapesError(f"the shapes are broken: {exc}") from None
    if check:
        from kg.cache import cache_dir

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
    """What makes a shapes graph invalid SHACL, by pySHACL's meta-validation (the W3C shacl-shacl shapes)."""
    from pyshacl.entrypoints import meta_validate

    conforms, report, _ = meta_validate(shapes, inference="none", allow_warnings=True, do_owl_imports=False)
    if conforms:
        return []
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        shown = _describe_shape(shapes, focus)
        problems.append(f"{shown}, {_short(path) or 'shape'}: {message}")
    return sorted(problems)


def _describe_shape(shapes: Graph, node) -> str:
    """Name a shape for a curator: IRI shapes by name, property shapes by owner and path."""
    if isinstance(node, URIRef):
        return _short(node)
    for link in (SH.property, SH.sparql):
        owner = shapes.value(None, link, node)
        if owner is not None:
            path = shapes.value(node, SH.path)
            what = f"property {_short(path)}" if isinstance(path, URIRef) else link.split("#")[-1]
            return f"{_describe_shape(shapes, owner)} {what}"
    return "an unnamed shape"


def _short(term) -> str | None:
    """A prefixed name for an IRI (our prefixes and sh:), the text of a literal."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return iris.compact(str(term), plain=True, namespaces=SHORT_PREFIXES)
    if isinstance(term, Literal):
        return str(term)
    return None


def _message(messages: list[str], shape_messages: set[str]) -> str:
    """The most specific of a result's messages (a SHACL-SPARQL constraint's own over its shape's)."""
    specific = [m for m in messages if m not in shape_messages] or messages
    return min(specific) if specific else ""


def validate_graph(data, shapes: Graph | None = None, locate=None, engine: str = "fast",
                   fallback: bool = False) -> Report:
    """Validate an (already inferred) data graph against the shapes.

    Args:
        data: the graph to check: an rdflib Graph, N-Triples bytes, or (fast engine) a
            ``pyoxigraph.Store``; run inference first so entailed types count.
        shapes: the shapes graph; the packaged shapes by default.
        locate: optional ``iri -> (location, field_by_property)`` to point results at facts.
        engine: ``fast`` (SHACL compiled to SPARQL on Oxigraph) or ``pyshacl`` (reference).
        fallback: when the fast engine does not support the shapes, validate with pySHACL
            and say so in :attr:`Report.note` (for a user's ``--shapes``; the packaged
            shapes never need it, a test proves it).

    Returns:
        The report; its problems are sorted, most severe first.

    Raises:
        ShapesError: when the shapes cannot be used (UnsupportedShapesError: the fast engine
            lacks a feature they use, and ``fallback`` is off).
    """
    shapes = shapes if shapes is not None else load_shapes()
    if engine == "fast":
        from kg.shacl.engine import compile_shapes

        try:
            compile_shapes(shapes)
        except UnsupportedShapesError as exc:
            if not fallback:
                raise
            report = validate_graph(_pyshacl_data(data), shapes, locate, engine="pyshacl")
            report.note = f"validated with pySHACL instead of the fast validator: {exc.summary}, which it does not support"
            return report
        return _validate_fast(data, shapes, locate)
    if engine != "pyshacl":
        raise ValueError(f"unknown validator '{engine}'; choose one of {', '.join(ENGINES)}")
    conforms, report_graph = _run_pyshacl(_pyshacl_data(data), shapes)
    problems = []
    # the report's own results; those under sh:detail explain a result, they are not results
    for result in report_graph.objects(report_graph.value(None, RDF.type, SH.ValidationReport), SH.result):
        shape = report_graph.value(result, SH.sourceShape)
        messages = [str(m) for m in report_graph.objects(result, SH.resultMessage)]
        problems.append(_problem(
            focus=report_graph.value(result, SH.focusNode),
            path=report_graph.value(result, SH.resultPath),
            severity=_severity(report_graph.value(result, SH.resultSeverity)),
            component=report_graph.value(result, SH.sourceConstraintComponent),
            message=_message(messages, {str(m) for m in shapes.objects(shape, SH.message)}),
            value=report_graph.value(result, SH.value), shape=shape, locate=locate))
    return Report(bool(conforms), _sorted(problems), report_graph)


def _run_pyshacl(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    """pySHACL's verdict and report graph, or a ShapesError for shapes it cannot run.

    Its SPARQL is read first (no SERVICE, parses), rdflib's evaluator is kept off
    the network, and any failure inside pySHACL (it raises parser errors,
    TypeErrors and AttributeErrors on shapes it cannot use) is one message.
    """
    import logging

    import pyshacl
    from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError

    from kg.graph.sparql import rdflib_offline
    from kg.shacl.shape_queries import check_shape_queries

    check_shape_queries(shapes)
    logger = logging.getLogger("pyshacl")
    level, logger.level = logger.level, logging.CRITICAL  # it logs what it raises
    try:
        with rdflib_offline():
            conforms, report_graph, _ = pyshacl.validate(
                data, shacl_graph=shapes + Graph(), inference="none", abort_on_first=False,
                allow_warnings=True, advanced=True, do_owl_imports=False)
    except (ConstraintLoadError, ShapeLoadError) as exc:
        raise ShapesError(f"the shapes are broken: {exc.message if hasattr(exc, 'message') else exc}") from None
    except ReportableRuntimeError as exc:
        raise ShapesError(f"the shapes could not be run: {exc.message}") from None
    except RecursionError:
        raise ShapesError("the shapes could not be run by pySHACL: they nest too deeply") from None
    except Exception as exc:  # noqa: BLE001 - pySHACL has no single error type for unusable shapes
        detail = " ".join(str(exc).split())[:300]
        raise ShapesError(f"the shapes could not be run by pySHACL: {type(exc).__name__}: {detail}") from None
    finally:
        logger.setLevel(level)
    return bool(conforms), report_graph


def _severity(term) -> str:
    """sh:Violation, sh:Warning and sh:Info by name; any other severity by its IRI."""
    name = str(term)[len(str(SH)):]
    return name if str(term).startswith(str(SH)) and name in SEVERITY_ORDER else str(term)


def _pyshacl_data(data) -> Graph:
    """The data as pySHACL takes it: an rdflib Graph (from N-Triples or an Oxigraph store)."""
    if isinstance(data, Graph):
        return data
    if not isinstance(data, bytes):
        import pyoxigraph as ox

        data = data.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    graph = Graph(bind_namespaces="none")
    graph.parse(data=data, format="nt")
    return graph


def _validate_fast(data, shapes: Graph, locate) -> Report:
    from kg.graph import ntriples
    from kg.shacl import engine as fastshacl

    if isinstance(data, Graph):
        data = ntriples.document(ntriples.lines(data))
    if isinstance(data, bytes):
        store, written = ntriples.store(data), ntriples.rewritten_literals(data)
    else:
        store, written = data, {}
    problems = []
    for result in fastshacl.validate_store(store, shapes, written):
        problems.append(_problem(
            focus=_to_rdflib(result.focus), path=result.path, severity=result.severity,
            component=URIRef(result.component),
            message=_message(list(result.messages), set(result.shape_messages)),
            value=_to_rdflib(result.value), shape=result.shape, locate=locate))
    conforms = all(p.severity in ("Warning", "Info") for p in problems)
    return Report(conforms, _sorted(problems))


def _to_rdflib(term):
    """An Oxigraph term as the rdflib term pySHACL would report."""
    if term is None:
        return None
    kind = type(term).__name__
    if kind == "NamedNode":
        return URIRef(term.value)
    if kind == "BlankNode":
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == str(XSD_STRING) else URIRef(datatype))


def _problem(focus, path, severity, component, message, value, shape, locate) -> Problem:
    location, field = (locate(focus, path) if locate else (None, None))
    iri_path = path if isinstance(path, URIRef) else None
    return Problem(
        severity=severity, focus=str(focus), path=_short(iri_path), component=_short(component) or "",
        message=message, value=_short(value), shape=_short(shape), location=location, field=field,
        focus_term=focus, path_term=iri_path, component_term=component,
        value_term=value, shape_term=shape)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (SEVERITY_ORDER.get(p.severity, 3), p.location or "",
                                           p.focus, p.field or "", p.message, p.value or "",
                                           p.component))
