"""SHACL validation compiled to SPARQL and run on Oxigraph: pySHACL's answers, many times faster.

pySHACL walks every focus node in Python and runs each SHACL-SPARQL
constraint once per focus node through rdflib's SPARQL engine; at 10^5
triples that takes minutes. Here every constraint of a shape becomes one
SPARQL query over all its focus nodes at once, run by Oxigraph. Only the
checks whose exact meaning is Python's (``sh:pattern`` is a Python regex in
pySHACL; datatype well-formedness is rdflib's) are finished in Python, on the
values the query returns.

What the engine supports is the registry in :mod:`kg.shacl.components` (one
entry per constraint component), plus targets, property paths and property
shapes nested in property shapes. A shapes graph that uses anything else
raises :class:`UnsupportedShapesError` naming the shape and the feature, so
nothing is silently skipped; :mod:`kg.shacl.validate` then runs pySHACL for a
user's shapes. The tests run the W3C SHACL Core test suite against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection

from kg.errors import QueryError, ShapesError, UnsupportedShapesError
from kg.graph.sparql import expand_codepoints, local_query
from kg.shacl import components
from kg.shacl.components import BY_PARAMETER, NESTABLE, REGISTRY, SH, STRUCTURE, TYPE_OF, is_true

INTEGER = f"(isLITERAL(?value) && DATATYPE(?value) = <{XSD.integer}>)"
SEVERITIES = ("Violation", "Warning", "Info")
#: Nested property shapes and paths deeper than this are refused (SHACL leaves recursion undefined).
MAX_DEPTH = 32


@dataclass(frozen=True)
class Result:
    """One validation result, with Oxigraph terms for focus and value."""

    focus: object
    path: object  # the shape's sh:path node (rdflib), or None
    component: str  # full IRI of the constraint component
    shape: object  # the source shape node (rdflib)
    value: object  # Oxigraph term or None
    severity: str  # Violation, Warning, Info, or the IRI of another severity
    messages: tuple[str, ...]
    shape_messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Focus:
    """Where a shape's focus nodes come from: its targets, or the values of a path from another focus.

    A property shape nested in a property shape validates the values of its
    parent's path; they are found once and marked in the store like targets.
    """

    targets: tuple[str, ...] = ()
    parent: Focus | None = None
    path: str | None = None
    literals: tuple = ()  # the literals among sh:targetNode, as the shapes write them


@dataclass(frozen=True)
class Context:
    """What every check of one shape shares."""

    shape: object
    path_node: object  # the sh:path node, or None for a node shape
    path: str | None  # the same as a SPARQL property path
    focus: Focus
    severity: str
    messages: tuple[str, ...]

    def values(self) -> str:
        """The pattern binding ?value to each value node of the focus node ?this."""
        return f"?this {self.path} ?value ." if self.path else "BIND(?this AS ?value)"


@dataclass
class Check:
    """One query over all focus nodes of a shape, and how to read its rows.

    ``kind`` is ``query`` (a row per result: ?this, and ?value and ?path where it
    projects them), ``python`` (values finished by ``python``: a query for the
    distinct values, one for the rows of the values that fail, one for integers
    as written, and the test) or ``sparql`` (a SHACL-SPARQL constraint).
    """

    kind: str
    query: str | tuple
    component: str
    ctx: Context
    with_value: bool = True
    python: object = None
    sparql: dict = field(default_factory=dict)


def _sparql_term(term) -> str:
    """An rdflib term written as SPARQL (N-Triples syntax is SPARQL syntax)."""
    from kg.graph.ntriples import term as nt_term

    if isinstance(term, (URIRef, Literal)):
        return nt_term(term)
    raise ShapesError(f"cannot use the blank node {term} as a value in a constraint")


class Compiler:
    """Turns the shapes graph into a list of checks; the components add their own."""

    def __init__(self, shapes: Graph):
        self.g = shapes
        self.checks: list[Check] = []

    # -- helpers the components use ------------------------------------------
    def name(self, node) -> str:
        return f"<{node}>" if isinstance(node, URIRef) else "a blank-node shape"

    def refuse(self, shape, what: str, feature: str):
        """Stop: the shape uses ``what``, which this engine does not support."""
        raise UnsupportedShapesError(f"shape {self.name(shape)}: uses {what}", feature, components.supported())

    def one(self, shape, param):
        values = list(self.g.objects(shape, URIRef(SH + param)))
        if len(values) > 1:
            self.refuse(shape, f"{len(values)} values of sh:{param}", f"sh:{param}")
        return values[0] if values else None

    def items(self, shape, node) -> list:
        if node != RDF.nil and (node, RDF.first, None) not in self.g:
            raise ShapesError(f"shape {self.name(shape)}: {node} is not an RDF list")
        return list(Collection(self.g, node))

    def term(self, shape, value) -> str:
        try:
            return _sparql_term(value)
        except ShapesError as exc:
            raise ShapesError(f"shape {self.name(shape)}: {exc}") from None

    def integer(self, shape, name: str, value) -> int:
        if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
            raise ShapesError(f"shape {self.name(shape)}: sh:{name} must be an integer, not {value}")
        return int(value)

    def messages(self, shape) -> tuple[str, ...]:
        return tuple(sorted(str(m) for m in self.g.objects(shape, URIRef(SH + "message"))))

    def severity(self, shape) -> str:
        severity = self.one(shape, "severity")
        if severity is None:
            return "Violation"
        local = str(severity)[len(SH):]
        return local if str(severity).startswith(SH) and local in SEVERITIES else str(severity)

    def deactivated(self, shape) -> bool:
        return is_true(self.one(shape, "deactivated"))

    def path(self, shape, node, depth: int = 0) -> str:
        """A SHACL property path as a SPARQL property path."""
        if depth > MAX_DEPTH:
            self.refuse(shape, "a property path nested too deeply", "sh:path")
        if isinstance(node, URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in self.g:
            steps = self.items(shape, node)
            if len(steps) < 2:
                self.refuse(shape, "a sequence path of fewer than two steps", "sh:path")
            return "(" + "/".join(self.path(shape, n, depth + 1) for n in steps) + ")"
        for param, template in (("alternativePath", None), ("inversePath", "^({})"),
                                ("zeroOrMorePath", "({})*"), ("oneOrMorePath", "({})+"),
                                ("zeroOrOnePath", "({})?")):
            value = self.one(node, param)
            if value is not None:
                if template is None:
                    alternatives = self.items(shape, value)
                    if len(alternatives) < 2:
                        self.refuse(shape, "an alternative path of fewer than two paths", "sh:alternativePath")
                    return "(" + "|".join(self.path(shape, n, depth + 1) for n in alternatives) + ")"
                return template.format(self.path(shape, value, depth + 1))
        self.refuse(shape, f"the property path {node}", "sh:path")

    def targets(self, shape) -> tuple[str, ...]:
        """SPARQL patterns binding ?this to the shape's targets."""
        patterns = []
        for target in self.g.objects(shape, URIRef(SH + "targetClass")):
            patterns.append(f"?this {TYPE_OF} {self.term(shape, target)} .")
        if (shape, RDF.type, RDFS.Class) in self.g and isinstance(shape, URIRef):
            patterns.append(f"?this {TYPE_OF} <{shape}> .")
        for node in self.g.objects(shape, URIRef(SH + "targetNode")):
            patterns.append(f"VALUES ?this {{ {self.term(shape, node)} }}")
        for prop in self.g.objects(shape, URIRef(SH + "targetSubjectsOf")):
            patterns.append(f"?this {self.term(shape, prop)} [] .")
        for prop in self.g.objects(shape, URIRef(SH + "targetObjectsOf")):
            patterns.append(f"[] {self.term(shape, prop)} ?this .")
        return tuple(patterns)

    # -- compiling ------------------------------------------------------------
    def compile(self) -> list[Check]:
        roots = set()
        for kind in ("NodeShape", "PropertyShape"):
            roots |= set(self.g.subjects(RDF.type, URIRef(SH + kind)))
        for param in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"):
            roots |= set(self.g.subjects(URIRef(SH + param), None))
        for shape in sorted(roots, key=str):
            targets = self.targets(shape)
            if targets and not self.deactivated(shape):
                literals = tuple(sorted(n for n in self.g.objects(shape, URIRef(SH + "targetNode"))
                                        if isinstance(n, Literal)))
                self.shape_checks(shape, Focus(targets, literals=literals), ())
        return self.checks

    def shape_checks(self, shape, focus: Focus, chain: tuple) -> None:
        """Every check of one shape on one set of focus nodes, then of its property shapes."""
        if shape in chain or len(chain) > MAX_DEPTH:
            self.refuse(shape, "recursive shapes", "sh:property")
        path_node = self.one(shape, "path")
        path = self.path(shape, path_node) if path_node is not None else None
        params = {str(p)[len(SH):] for p in self.g.predicates(shape, None) if str(p).startswith(SH)}
        for param in sorted(params - STRUCTURE):
            if param not in BY_PARAMETER:
                self.refuse(shape, f"sh:{param}", f"sh:{param}")
        ctx = Context(shape, path_node, path, focus, self.severity(shape), self.messages(shape))
        active = [c for c in REGISTRY if c.parameter in params and all(r in params for r in c.requires)]
        if active and not ctx.messages and any(c.name != "SPARQLConstraintComponent" for c in active):
            self.refuse(shape, "a constraint without sh:message (every constraint needs one here)", "sh:message")
        for component in active:
            if component.property_only and path is None:
                self.refuse(shape, f"sh:{component.parameter} on a node shape", f"sh:{component.parameter}")
            if component.node_only and path is not None:
                self.refuse(shape, f"sh:{component.parameter} on a property shape", f"sh:{component.parameter}")
            values = [self.one(shape, component.parameter)] if component.single else \
                sorted(self.g.objects(shape, URIRef(SH + component.parameter)))
            for value in values:
                if component.test is not None:
                    self.value_check(ctx, component, value)
                else:
                    component.compile(self, shape, ctx, value)
        inner = focus if path is None else Focus(parent=focus, path=path)
        for child in sorted(self.g.objects(shape, URIRef(SH + "property")), key=str):
            if not self.deactivated(child):
                self.shape_checks(child, inner, (*chain, shape))

    def value_check(self, ctx: Context, component, value) -> None:
        """A value test: one query for the values that fail its SPARQL, and the Python finish."""
        test, python = component.test(self, ctx.shape, value)
        value_pattern = ctx.values()
        fails = f"FILTER(!{_on(test)})"
        self.add(ctx, component.name, f"SELECT DISTINCT ?this ?value WHERE {{ {{FOCUS}} {value_pattern} {fails} }}")
        if python is None:
            return
        # Values passing the SPARQL may still fail the Python test: check each distinct value once,
        # then find the focus nodes of the few that fail. Integers are checked as written
        # (Oxigraph stores "05"^^xsd:positiveInteger as "5"^^xsd:integer), pair by pair.
        passes = f"{value_pattern} FILTER({_on(test)})"
        queries = (f"SELECT DISTINCT ?value WHERE {{ {{FOCUS}} {passes} FILTER(!{INTEGER}) }}",
                   f"SELECT DISTINCT ?this ?value WHERE {{ {{FOCUS}} {value_pattern} {{VALUES}} }}",
                   f"SELECT DISTINCT ?this ?value WHERE {{ {{FOCUS}} {passes} FILTER({INTEGER}) }}")
        self.checks.append(Check("python", queries, SH + component.name, ctx, python=python))

    def nested_value_test(self, shape, nested, feature: str) -> str:
        """A shape used inside a constraint (a qualified value shape) as one SPARQL expression over ?value.

        Only value tests that SPARQL decides alone can stand there.
        """
        if nested is None:
            raise ShapesError(f"shape {self.name(shape)}: {feature} has no value")
        tests = []
        for predicate in sorted({p for p in self.g.predicates(nested, None)}):
            local = str(predicate)[len(SH):] if str(predicate).startswith(SH) else None
            if predicate == RDF.type or local in ("message", "name", "description"):
                continue
            component = next((c for c in NESTABLE if c.parameter == local), None)
            test = None
            if component is not None:
                for value in self.g.objects(nested, predicate):
                    test, python = component.test(self, shape, value)
                    if python is not None:
                        test = None
                        break
                    tests.append(_on(test))
            if test is None:
                self.refuse(shape, f"a {feature} using {predicate.n3()} (only value tests SPARQL decides "
                            "alone can stand there)", feature)
        return " && ".join(tests) or "true"

    def prefixes(self, constraint) -> str:
        lines = []
        for holder in self.g.objects(constraint, URIRef(SH + "prefixes")):
            for declaration in self.g.objects(holder, URIRef(SH + "declare")):
                prefix = self.one(declaration, "prefix")
                namespace = self.one(declaration, "namespace")
                lines.append(f"PREFIX {prefix}: <{namespace}>")
        return "\n".join(sorted(set(lines)))

    def sparql_check(self, shape, constraint, ctx: Context) -> None:
        if self.deactivated(constraint):
            return
        select = self.one(constraint, "select")
        if select is None:
            self.refuse(shape, "a SPARQL constraint without sh:select", "sh:sparql")
        try:
            text = expand_codepoints(str(select))
        except QueryError as exc:
            raise ShapesError(f"shape {self.name(shape)}: its SPARQL constraint: {exc}") from None
        for variable in ("currentShape", "shapesGraph"):
            if re.search(rf"\$\b{variable}\b", text):
                self.refuse(shape, f"a SPARQL constraint using ${variable}", f"${variable}")
        if "$PATH" in text:
            if ctx.path is None:
                self.refuse(shape, "$PATH in a SPARQL constraint on a node shape", "$PATH")
            text = text.replace("$PATH", ctx.path)
        head = re.match(r"\s*SELECT\s+(.*?)\s*(WHERE\s*)?\{", text, re.S | re.I)
        if head is None:
            self.refuse(shape, "a SPARQL constraint that is not a plain SELECT query", "sh:select")
        projects_this = bool(re.search(r"[?$]this\b", head.group(1))) or head.group(1).strip() == "*"
        text = re.sub(r"\$(\w+)", r"?\1", text)
        if not projects_this:
            text = text[:head.start(1)] + "?this " + text[head.start(1):]
            head = re.match(r"\s*SELECT\s+(.*?)\s*(WHERE\s*)?\{", text, re.S | re.I)
        query = f"{self.prefixes(constraint)}\n{text[:head.end()]} {{FOCUS}} {text[head.end():]}"
        try:  # the query as it will run (an empty group stands for the focus nodes)
            local_query(query.replace("{FOCUS}", "{}", 1))
        except QueryError as exc:
            raise ShapesError(f"shape {self.name(shape)}: its SPARQL constraint: {exc}") from None
        messages = tuple(sorted(str(m) for m in self.g.objects(constraint, URIRef(SH + "message"))))
        if not messages and not ctx.messages:
            self.refuse(shape, "a SPARQL constraint without sh:message (every constraint needs one here)",
                        "sh:message")
        read = {"messages": tuple(sorted(set(ctx.messages) | set(messages))),
                "shape_messages": ctx.messages, "projects_this": projects_this,
                "node_shape": ctx.path is None}
        self.checks.append(Check("sparql", query, SH + "SPARQLConstraintComponent", ctx, sparql=read))

    def add(self, ctx: Context, component: str, query: str, with_value: bool = True) -> None:
        """A query whose rows are results: ?this, and ?value (and ?path) where it projects them."""
        self.checks.append(Check("query", query, SH + component, ctx, with_value))


_compiled: dict[int, tuple[Graph, list]] = {}


def compile_shapes(shapes: Graph) -> list[Check]:
    """Compile a shapes graph once (per graph object) into SPARQL checks.

    Raises:
        UnsupportedShapesError: the shapes use a feature this engine does not support.
        ShapesError: the shapes are broken.
    """
    cached = _compiled.get(id(shapes))
    if cached is not None and cached[0] is shapes:
        return cached[1]
    checks = Compiler(shapes).compile()
    _compiled[id(shapes)] = (shapes, checks)
    return checks


def _format(message: str, row: dict) -> str:
    for var, value in row.items():
        message = re.sub("{{[?$]{}}}".format(var), value, message)
    return message


def validate_store(store, shapes: Graph, written: dict | None = None) -> list[Result]:
    """Run every compiled check on an Oxigraph store holding the (inferred) data graph.

    Args:
        store: a ``pyoxigraph.Store`` with the data in its default graph.
        shapes: the shapes graph.
        written: integer literals as written in the data, from
            :func:`kg.graph.ntriples.rewritten_literals` (the store keeps only their values).

    Returns:
        The validation results, unordered.

    Raises:
        UnsupportedShapesError: the shapes use a feature this engine does not support.
    """
    written = written or {}
    checks = compile_shapes(shapes)
    marks, aliases = _mark_focus_nodes(store, checks)
    try:
        return [given for check in checks
                for result in _run_check(store, check, marks[check.ctx.focus], written)
                for given in _as_given(result, aliases.get(marks[check.ctx.focus], {}))]
    finally:
        _clear_marks(store)


def _as_given(result: Result, aliases: dict) -> list[Result]:
    """The result once per focus node as the shapes gave it (``sh:targetNode 4.0``, which the store keeps as 4)."""
    given = aliases.get(result.focus)
    if not given:
        return [result]
    same = result.path is None and result.value == result.focus
    return [replace(result, focus=focus, value=focus if same else result.value) for focus in given]


def _run_check(store, check: Check, mark: str, written: dict) -> list[Result]:
    ctx, results = check.ctx, []
    query = check.query
    if check.kind == "python":
        values, query, integers = check.query
        for row in _run(store, integers, ctx, mark):
            for value in _as_written(row["this"], ctx.path_node, row["value"], written):
                if not check.python(value):
                    results.append(Result(row["this"], ctx.path_node, check.component, ctx.shape, value,
                                          ctx.severity, ctx.messages))
        bad = [str(row["value"]) for row in _run(store, values, ctx, mark) if not check.python(row["value"])]
        if not bad:
            return results
        query = query.replace("{VALUES}", f"VALUES ?value {{ {' '.join(bad)} }}")
    solutions = _run(store, query, ctx, mark)
    names = [v.value for v in solutions.variables]
    for solution in solutions:
        this = solution["this"]
        if check.kind == "sparql":
            results.append(_sparql_result(check, names, solution, this))
            continue
        value = solution["value"] if check.with_value and "value" in names else None
        if value is not None and written:
            value = _as_written(this, ctx.path_node, value, written)[0]
        path = URIRef(solution["path"].value) if "path" in names else ctx.path_node
        results.append(Result(this, path, check.component, ctx.shape, value, ctx.severity, ctx.messages))
    return results


def _as_written(this, path, value, written: dict) -> list:
    """The literals as written in the data that the store holds as ``value``."""
    if type(value).__name__ != "Literal" or not isinstance(path, URIRef) or \
            value.datatype.value != str(XSD.integer):
        return [value]
    found = [w for w in written.get((this.value, str(path)), ()) if _same_integer(w, value)]
    return found or [value]


def _same_integer(literal, value) -> bool:
    try:
        return int(literal.value) == int(value.value)
    except ValueError:
        return False


FOCUS_GRAPH = "urn:x-dispute-kg:focus-nodes"
MEMBER = "urn:x-dispute-kg:focus-member"


def _mark_focus_nodes(store, checks: list[Check]) -> tuple[dict[Focus, str], dict]:
    """Find each set of focus nodes once and record it in a named graph of the store.

    Every check of a shape then starts from an index lookup instead of
    re-running the target pattern (an rdf:type/rdfs:subClassOf* path). A focus
    node may be a literal (``sh:targetNode 42``), so it is the object of its
    mark. Checks only read the default graph, so the marks change no answer.

    Returns:
        The mark of each set of focus nodes, and by mark the literal focus nodes the
        store keeps in another form (``4.0`` as ``4``): stored form -> the forms given.
    """
    import pyoxigraph as ox

    _clear_marks(store)
    graph, member = ox.NamedNode(FOCUS_GRAPH), ox.NamedNode(MEMBER)
    marks: dict[Focus, str] = {}
    aliases: dict[str, dict] = {}

    def mark(focus: Focus) -> str:
        if focus in marks:
            return marks[focus]
        if focus.parent is not None:
            parent = mark(focus.parent)
            query = (f"SELECT DISTINCT ?this WHERE {{ {{ SELECT DISTINCT ?value WHERE {{ "
                     f"{_focus(parent)} ?this {focus.path} ?value }} }} BIND(?value AS ?this) }}")
        else:
            union = focus.targets[0] if len(focus.targets) == 1 else \
                " UNION ".join(f"{{ {p} }}" for p in focus.targets)
            query = f"SELECT DISTINCT ?this WHERE {{ {union} }}"
        marks[focus] = f"urn:x-dispute-kg:focus:{len(marks)}"
        node = ox.NamedNode(marks[focus])
        store.bulk_extend([ox.Quad(node, member, row["this"], graph) for row in store.query(query)])
        forms: dict = {}
        for given, stored in _stored_forms([_literal(t) for t in focus.literals]):
            forms.setdefault(stored, set()).add(given)
        aliases[marks[focus]] = {stored: sorted(given, key=str) for stored, given in forms.items()
                                 if given != {stored}}
        return marks[focus]

    for check in checks:
        mark(check.ctx.focus)
    return marks, aliases


def _literal(term):
    """An rdflib literal as a pyoxigraph one."""
    import pyoxigraph as ox

    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))


def _stored_forms(literals: list) -> list[tuple]:
    """Each literal with the form an Oxigraph store keeps it in (its canonical form)."""
    import pyoxigraph as ox

    if not literals:
        return []
    scratch = ox.Store()
    member = ox.NamedNode(MEMBER)
    scratch.bulk_extend([ox.Quad(ox.NamedNode(f"urn:x-dispute-kg:literal:{i}"), member, literal)
                         for i, literal in enumerate(literals)])
    stored = {int(q.subject.value.rsplit(":", 1)[1]): q.object for q in scratch}
    return [(literal, stored[i]) for i, literal in enumerate(literals)]


def _clear_marks(store) -> None:
    import pyoxigraph as ox

    graph = ox.NamedNode(FOCUS_GRAPH)
    if store.contains_named_graph(graph):
        store.remove_graph(graph)


def _focus(mark: str) -> str:
    return f"GRAPH <{FOCUS_GRAPH}> {{ <{mark}> <{MEMBER}> ?this }}"


def _run(store, query: str, ctx: Context, mark: str):
    text = query.replace("{FOCUS}", _focus(mark), 1)
    try:
        return store.query(text)
    except SyntaxError as exc:
        raise ShapesError(f"shape {ctx.shape}: its SPARQL does not parse: {exc}") from None


def _sparql_result(check: Check, names: list[str], solution, this) -> Result:
    read, ctx = check.sparql, check.ctx
    row = {}
    for name in names:
        term = solution[name]
        if term is not None and name not in ("this", "path", "value", "failure"):
            row[name] = term.value
    value = solution["value"] if "value" in names else None
    if value is None and read["node_shape"]:
        value = this
    path = solution["path"] if "path" in names else None
    if read["projects_this"]:
        row["this"] = this.value
    if path is not None:
        row["path"] = path.value
    if value is not None:
        row["value"] = value.value
    messages = tuple(sorted({_format(m, row) for m in read["messages"]}))
    shape_messages = tuple(sorted({_format(m, row) for m in read["shape_messages"]}))
    path = URIRef(path.value) if type(path).__name__ == "NamedNode" else ctx.path_node
    return Result(this, path, check.component, ctx.shape, value, ctx.severity, messages, shape_messages)


def _on(test: str, variable: str = "?value") -> str:
    """A value test (a SPARQL expression over ``{v}``) applied to a variable."""
    return test.replace("{v}", variable)
