"""SHACL validation compiled to SPARQL and run on Oxigraph: pySHACL's answers, many times faster.

pySHACL walks every focus node in Python and runs each SHACL-SPARQL
constraint once per focus node through rdflib's SPARQL engine; at 10^5
triples that takes minutes. Here every constraint of a shape becomes one
SPARQL query over all its focus nodes at once, run by Oxigraph. Only the
checks whose exact meaning is Python's (``sh:pattern`` is a Python regex in
pySHACL; datatype well-formedness is rdflib's) are finished in Python, on the
values the query returns.

The engine supports the SHACL Core subset our shapes use (targets; property
paths; cardinality; datatype, class, nodeKind, in, languageIn, uniqueLang,
pattern, hasValue, min/maxLength; qualified value shapes made of those) and
SPARQL-based constraints (SELECT with ``$this``). A shapes graph that uses
anything else raises :class:`ShapesError` naming the shape and the feature, so
nothing is silently skipped; ``--validator pyshacl`` runs the reference engine.
Tests check that both engines give the same results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection

from kg.errors import QueryError, ShapesError
from kg.graph.sparql import expand_codepoints, local_query

SH = "http://www.w3.org/ns/shacl#"

#: Predicates a shape may carry that are not constraints (annotations, structure).
STRUCTURE = {SH + name for name in (
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "property", "path",
    "message", "severity", "deactivated", "name", "description", "order", "group", "sparql",
    "defaultValue", "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount",
    "qualifiedValueShapesDisjoint", "declare", "prefixes")}
#: Constraint parameters that test one value node on its own.
VALUE_TESTS = {SH + name for name in (
    "datatype", "class", "nodeKind", "in", "languageIn", "pattern", "flags", "hasValue",
    "minLength", "maxLength", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive")}
RANGES = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
COUNTS = {SH + "minCount", SH + "maxCount", SH + "uniqueLang"}

INTEGER = f"(isLITERAL(?value) && DATATYPE(?value) = <{XSD.integer}>)"
NODE_KIND_TESTS = {
    "IRI": "isIRI({v})",
    "BlankNode": "isBLANK({v})",
    "Literal": "isLITERAL({v})",
    "BlankNodeOrIRI": "(isIRI({v}) || isBLANK({v}))",
    "BlankNodeOrLiteral": "(isBLANK({v}) || isLITERAL({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLITERAL({v}))",
}
COMPONENT = {
    "datatype": "DatatypeConstraintComponent", "class": "ClassConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent", "in": "InConstraintComponent",
    "languageIn": "LanguageInConstraintComponent", "pattern": "PatternConstraintComponent",
    "hasValue": "HasValueConstraintComponent", "minLength": "MinLengthConstraintComponent",
    "maxLength": "MaxLengthConstraintComponent", "minCount": "MinCountConstraintComponent",
    "maxCount": "MaxCountConstraintComponent", "uniqueLang": "UniqueLangConstraintComponent",
    **{name: name[0].upper() + name[1:] + "ConstraintComponent" for name in RANGES},
}
PYTHON_TYPES = {  # what pySHACL requires of a literal's value for these datatypes
    XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int,
    XSD.float: float, XSD.boolean: bool,
}


@dataclass(frozen=True)
class Result:
    """One validation result, with Oxigraph terms for focus and value."""

    focus: object
    path: object  # the shape's sh:path node (rdflib), or None
    component: str  # full IRI of the constraint component
    shape: object  # the source shape node (rdflib)
    value: object  # Oxigraph term or None
    severity: str  # Violation, Warning or Info
    messages: tuple[str, ...]
    shape_messages: tuple[str, ...] = ()


def _sparql_term(term) -> str:
    """An rdflib term written as SPARQL."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            return f'"{text}"@{term.language}'
        return f'"{text}"^^<{term.datatype or XSD.string}>'
    raise ShapesError(f"cannot use the blank node {term} as a value in a constraint")


class _Compiler:
    """Turns the shapes graph into a list of checks, each a SPARQL query plus how to read it."""

    def __init__(self, shapes: Graph):
        self.g = shapes
        self.checks: list[tuple] = []

    # -- helpers ------------------------------------------------------------
    def name(self, node) -> str:
        return f"<{node}>" if isinstance(node, URIRef) else "a blank-node shape"

    def fail(self, shape, message: str):
        raise ShapesError(f"shape {self.name(shape)}: {message} (the fast validator does not "
                          "support it; use --validator pyshacl)")

    def one(self, shape, param):
        values = list(self.g.objects(shape, URIRef(SH + param)))
        if len(values) > 1:
            self.fail(shape, f"has {len(values)} values for sh:{param}")
        return values[0] if values else None

    def items(self, node) -> list:
        return list(Collection(self.g, node))

    def messages(self, shape) -> tuple[str, ...]:
        return tuple(sorted(str(m) for m in self.g.objects(shape, URIRef(SH + "message"))))

    def severity(self, shape) -> str:
        severity = self.one(shape, "severity")
        return str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"

    def path(self, node) -> str:
        """A SHACL property path as a SPARQL property path."""
        if isinstance(node, URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in self.g:
            return "(" + "/".join(self.path(n) for n in self.items(node)) + ")"
        for param, template in (("alternativePath", None), ("inversePath", "^({})"),
                                ("zeroOrMorePath", "({})*"), ("oneOrMorePath", "({})+"),
                                ("zeroOrOnePath", "({})?")):
            value = self.one(node, param)
            if value is not None:
                if template is None:
                    return "(" + "|".join(self.path(n) for n in self.items(value)) + ")"
                return template.format(self.path(value))
        raise ShapesError(f"unsupported property path {node}")

    def focus(self, shape) -> list[str]:
        """SPARQL patterns binding ?this to the shape's focus nodes."""
        patterns = []
        types = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
        for target in self.g.objects(shape, URIRef(SH + "targetClass")):
            patterns.append(f"?this {types} <{target}> .")
        if (shape, RDF.type, RDFS.Class) in self.g:
            patterns.append(f"?this {types} <{shape}> .")
        for node in self.g.objects(shape, URIRef(SH + "targetNode")):
            patterns.append(f"VALUES ?this {{ {_sparql_term(node)} }}")
        for prop in self.g.objects(shape, URIRef(SH + "targetSubjectsOf")):
            patterns.append(f"?this <{prop}> [] .")
        for prop in self.g.objects(shape, URIRef(SH + "targetObjectsOf")):
            patterns.append(f"[] <{prop}> ?this .")
        return patterns

    # -- compiling ----------------------------------------------------------
    def compile(self) -> list[tuple]:
        sh_type = URIRef(SH + "NodeShape")
        roots = set(self.g.subjects(RDF.type, sh_type)) | set(self.g.subjects(RDF.type, URIRef(SH + "PropertyShape")))
        for param in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"):
            roots |= set(self.g.subjects(URIRef(SH + param), None))
        for shape in sorted(roots, key=str):
            focus = self.focus(shape)
            if not focus or self._deactivated(shape):
                continue
            self.shape_checks(shape, focus, None)
            if (shape, URIRef(SH + "path"), None) not in self.g:
                for prop in self.g.objects(shape, URIRef(SH + "property")):
                    if not self._deactivated(prop):
                        self.shape_checks(prop, focus, shape)
        return self.checks

    def _deactivated(self, shape) -> bool:
        value = self.one(shape, "deactivated")
        return value is not None and bool(value.toPython()) is True

    def shape_checks(self, shape, focus: list[str], parent) -> None:
        path_node = self.one(shape, "path")
        path = self.path(path_node) if path_node is not None else None
        messages = self.messages(shape)
        params = {str(p) for p in self.g.predicates(shape, None)}
        for param in params:
            if param.startswith(SH) and param not in STRUCTURE | VALUE_TESTS | COUNTS:
                self.fail(shape, f"uses sh:{param[len(SH):]}")
        if parent is None and (shape, URIRef(SH + "property"), None) in self.g and path is not None:
            self.fail(shape, "is a property shape with nested property shapes")
        constraints = [p for p in params if p in VALUE_TESTS | COUNTS and p != SH + "flags"]
        qualified = self.one(shape, "qualifiedValueShape")
        if (constraints or qualified is not None) and not messages:
            self.fail(shape, "has a constraint without sh:message (every constraint needs one here)")
        base = {"shape": shape, "path": path_node, "severity": self.severity(shape),
                "messages": messages, "focus": focus}
        for param in sorted(constraints):
            name = param[len(SH):]
            if param in VALUE_TESTS:
                self.value_check(shape, name, path, base)
            else:
                self.count_check(shape, name, path, base)
        if qualified is not None:
            self.qualified_check(shape, qualified, path, base)
        for constraint in self.g.objects(shape, URIRef(SH + "sparql")):
            self.sparql_check(shape, constraint, path, base)

    # A value test returns (SPARQL boolean expression over {v}, optional Python test on the term).
    def value_test(self, shape, name: str):
        value = self.one(shape, name)
        if name == "datatype":
            if value == RDFS.Literal:
                return "isLITERAL({v})", None
            if value == RDF.langString:
                return '(isLITERAL({v}) && LANG({v}) != "")', None
            return (f'(isLITERAL({{v}}) && LANG({{v}}) = "" && (DATATYPE({{v}}) = <{value}> || '
                    f'DATATYPE({{v}}) = <{XSD.integer}>))'), _well_formed(value)
        if name == "class":
            return f"EXISTS {{ {{v}} <{RDF.type}>/<{RDFS.subClassOf}>* <{value}> }}", None
        if name == "nodeKind":
            kind = str(value).rsplit("#", 1)[-1]
            if kind not in NODE_KIND_TESTS:
                self.fail(shape, f"uses an unknown sh:nodeKind {value}")
            return NODE_KIND_TESTS[kind], None
        if name == "in":
            members = self.items(value)
            return "(" + (" || ".join(f"sameTerm({{v}}, {_sparql_term(m)})" for m in members) or "false") + ")", None
        if name == "hasValue":
            return None, None  # handled as a count check
        if name == "languageIn":
            tags = sorted({str(t).lower() for t in self.items(value)})
            if "*" in tags:
                return '(isLITERAL({v}) && LANG({v}) != "")', None
            listed = ", ".join(f'"{t}"' for t in tags)
            return (f'(isLITERAL({{v}}) && LANG({{v}}) != "" && (LCASE(LANG({{v}})) IN ({listed}) || '
                    f'LCASE(STRBEFORE(LANG({{v}}), "-")) IN ({listed})))'), None
        if name == "pattern":
            flags = self.one(shape, "flags")
            regex = re.compile(str(value), _python_flags(str(flags) if flags else ""))
            return "(!isBLANK({v}))", lambda term: regex.search(term.value) is not None
        if name in RANGES:
            if not isinstance(value, Literal):
                self.fail(shape, f"has a non-literal sh:{name}")
            return f"(isLITERAL({{v}}) && {{v}} {RANGES[name]} {_sparql_term(value)})", None
        if name in ("minLength", "maxLength"):
            limit = int(value)
            if name == "minLength":
                return "(!isBLANK({v}))", lambda term: limit == 0 or len(term.value) >= limit
            return "(!isBLANK({v}))", lambda term: len(term.value) <= limit
        self.fail(shape, f"uses sh:{name}")

    def value_check(self, shape, name: str, path, base) -> None:
        if name == "flags":
            return
        if name == "hasValue":
            value = _sparql_term(self.one(shape, name))
            where = f"?this {path} {value} ." if path else f"FILTER(sameTerm(?this, {value}))"
            self.add(base, name, f"SELECT DISTINCT ?this WHERE {{ {{FOCUS}} FILTER NOT EXISTS {{ {where} }} }}",
                     with_value=False)
            return
        test, python = self.value_test(shape, name)
        value_pattern = f"?this {path} ?value ." if path else "BIND(?this AS ?value)"
        # Values failing the SPARQL test fail; values passing it may still fail the Python test.
        fail_query = (f"SELECT DISTINCT ?this ?value WHERE {{ {{FOCUS}} {value_pattern} "
                      f"FILTER(!({_on(test)})) }}")
        self.add(base, name, fail_query)
        if python is not None:
            # Values passing it may still fail the Python test: check each distinct value once,
            # then find the focus nodes of the few that fail. Integers are checked as written
            # (Oxigraph stores "05"^^xsd:positiveInteger as "5"^^xsd:integer), pair by pair.
            passes = f"{value_pattern} FILTER({_on(test)})"
            checks = (f"SELECT DISTINCT ?value WHERE {{ {{FOCUS}} {passes} FILTER(!{INTEGER}) }}",
                      f"SELECT DISTINCT ?this ?value WHERE {{ {{FOCUS}} {value_pattern} {{VALUES}} }}",
                      f"SELECT DISTINCT ?this ?value WHERE {{ {{FOCUS}} {passes} FILTER({INTEGER}) }}")
            info = {**base, "component": SH + COMPONENT[name]}
            self.checks.append(("python", checks, info, True, python))

    def count_check(self, shape, name: str, path, base) -> None:
        if path is None:
            self.fail(shape, f"uses sh:{name} on a node shape")
        value = self.one(shape, name)
        optional = f"OPTIONAL {{ ?this {path} ?value . }}"
        if name == "uniqueLang":
            if not bool(value.toPython()):
                return
            query = (f"SELECT ?this WHERE {{ {{FOCUS}} ?this {path} ?value . "
                     f'FILTER(isLITERAL(?value) && LANG(?value) != "") }} '
                     f"GROUP BY ?this (LCASE(LANG(?value))) HAVING (COUNT(DISTINCT ?value) > 1)")
        else:
            limit = int(value)
            op = "<" if name == "minCount" else ">"
            query = (f"SELECT ?this WHERE {{ {{FOCUS}} {optional} }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {op} {limit})")
        self.add(base, name, query, with_value=False)

    def qualified_check(self, shape, qualified, path, base) -> None:
        if path is None:
            self.fail(shape, "uses sh:qualifiedValueShape on a node shape")
        disjoint = self.one(shape, "qualifiedValueShapesDisjoint")
        if disjoint is not None and bool(disjoint.toPython()):
            self.fail(shape, "uses sh:qualifiedValueShapesDisjoint true")
        tests = []
        for param in {str(p) for p in self.g.predicates(qualified, None)}:
            if param == str(RDF.type):
                continue
            if param not in VALUE_TESTS or param[len(SH):] in ("pattern", "minLength", "maxLength", "hasValue"):
                self.fail(shape, f"has a qualified value shape using {param} (only datatype, class, "
                          "nodeKind, in and languageIn are supported there)")
            test, python = self.value_test(qualified, param[len(SH):])
            if python is not None:
                self.fail(shape, f"has a qualified value shape using {param} with a Python-only check")
            tests.append(_on(test))
        conforms = " && ".join(tests) or "true"
        for name, op in (("qualifiedMinCount", "<"), ("qualifiedMaxCount", ">")):
            limit = self.one(shape, name)
            if limit is None:
                continue
            query = (f"SELECT ?this WHERE {{ {{FOCUS}} OPTIONAL {{ ?this {path} ?value . FILTER({conforms}) }} }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {op} {int(limit)})")
            component = name[0].upper() + name[1:] + "ConstraintComponent"
            self.checks.append(("query", query, {**base, "component": SH + component}, False, None))

    def prefixes(self, constraint) -> str:
        lines = []
        for holder in self.g.objects(constraint, URIRef(SH + "prefixes")):
            for declaration in self.g.objects(holder, URIRef(SH + "declare")):
                prefix = self.one(declaration, "prefix")
                namespace = self.one(declaration, "namespace")
                lines.append(f"PREFIX {prefix}: <{namespace}>")
        return "\n".join(sorted(set(lines)))

    def sparql_check(self, shape, constraint, path, base) -> None:
        if self._deactivated(constraint):
            return
        select = self.one(constraint, "select")
        if select is None:
            self.fail(shape, "has a SPARQL constraint without sh:select")
        try:
            text = expand_codepoints(str(select))
        except QueryError as exc:
            raise ShapesError(f"shape {self.name(shape)}: its SPARQL constraint: {exc}") from None
        for variable in ("currentShape", "shapesGraph"):
            if re.search(rf"\$\b{variable}\b", text):
                self.fail(shape, f"has a SPARQL constraint using ${variable}")
        if "$PATH" in text:
            if path is None:
                self.fail(shape, "uses $PATH in a SPARQL constraint on a node shape")
            text = text.replace("$PATH", path)
        head = re.match(r"\s*SELECT\s+(.*?)\s*(WHERE\s*)?\{", text, re.S | re.I)
        if head is None:
            self.fail(shape, "has a SPARQL constraint that is not a plain SELECT query")
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
        if not messages and not base["messages"]:
            self.fail(shape, "has a SPARQL constraint without sh:message (every constraint needs one here)")
        info = {**base, "component": SH + "SPARQLConstraintComponent",
                "messages": tuple(sorted(set(base["messages"]) | set(messages))),
                "shape_messages": base["messages"], "projects_this": projects_this,
                "node_shape": path is None}
        self.checks.append(("sparql", query, info, True, None))

    def add(self, base, name, query, with_value=True) -> None:
        info = {**base, "component": SH + COMPONENT[name]}
        self.checks.append(("query", query, info, with_value, None))


def _python_flags(flags: str) -> int:
    table = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}
    out = 0
    for flag in flags:
        out |= table.get(flag, 0)
    return out


def _well_formed(datatype):
    """pySHACL's test that a literal of the right datatype is well formed (rdflib's parse)."""

    def check(term) -> bool:
        literal = Literal(term.value, lang=term.language) if term.language \
            else Literal(term.value, datatype=URIRef(term.datatype.value))
        if literal.language and datatype != RDF.langString or literal.datatype != datatype:
            return False
        if getattr(literal, "ill_typed", None) is True:
            return False
        expected = PYTHON_TYPES.get(datatype)
        if expected is None:
            from datetime import date, datetime, time
            from decimal import Decimal

            expected = {XSD.decimal: Decimal, XSD.date: date, XSD.time: time,
                        XSD.dateTime: datetime}.get(datatype)
        return expected is None or isinstance(literal.value, expected)

    return check


_compiled: dict[int, tuple[Graph, list]] = {}


def compile_shapes(shapes: Graph) -> list[tuple]:
    """Compile a shapes graph once (per graph object) into SPARQL checks.

    Raises:
        ShapesError: the shapes use a feature this engine does not support.
    """
    cached = _compiled.get(id(shapes))
    if cached is not None and cached[0] is shapes:
        return cached[1]
    checks = _Compiler(shapes).compile()
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
    """
    written = written or {}
    results: list[Result] = []
    checks = compile_shapes(shapes)
    _mark_focus_nodes(store, checks)
    for kind, query, info, with_value, python_test in checks:
        if kind == "python":
            values, query, integers = query
            for row in _run(store, integers, info):
                for value in _as_written(row["this"], info["path"], row["value"], written):
                    if not python_test(value):
                        results.append(Result(row["this"], info["path"], info["component"], info["shape"],
                                              value, info["severity"], info["messages"]))
            bad = [str(row["value"]) for row in _run(store, values, info) if not python_test(row["value"])]
            if not bad:
                continue
            query = query.replace("{VALUES}", f"VALUES ?value {{ {' '.join(bad)} }}")
        solutions = _run(store, query, info)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            this = solution["this"]
            if kind == "sparql":
                results.append(_sparql_result(info, names, solution, this))
                continue
            value = solution["value"] if with_value else None
            if value is not None and written:
                value = _as_written(this, info["path"], value, written)[0]
            results.append(Result(this, info["path"], info["component"], info["shape"], value,
                                  info["severity"], info["messages"]))
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


def _focus_pattern(focus: list[str]) -> str:
    return focus[0] if len(focus) == 1 else " UNION ".join(f"{{ {p} }}" for p in focus)


def _mark_focus_nodes(store, checks: list) -> None:
    """Find each shape's focus nodes once and record them in a named graph of the store.

    Every check of a shape then starts from an index lookup instead of
    re-running the target pattern (an rdf:type/rdfs:subClassOf* path).
    Checks only read the default graph, so the marks change no answer.
    """
    import pyoxigraph as ox

    graph = ox.NamedNode(FOCUS_GRAPH)
    store.remove_graph(graph) if store.contains_named_graph(graph) else None
    seen: dict[tuple, str] = {}
    for _kind, _query, info, _value, _test in checks:
        key = tuple(info["focus"])
        if key not in seen:
            seen[key] = f"urn:x-dispute-kg:focus:{len(seen)}"
            mark = ox.NamedNode(seen[key])
            rows = store.query(f"SELECT DISTINCT ?this WHERE {{ {_focus_pattern(info['focus'])} }}")
            store.bulk_extend(ox.Quad(row["this"], mark, mark, graph) for row in rows)
        info["mark"] = seen[key]


def _run(store, query: str, info: dict):
    mark = info.get("mark")
    if mark:
        focus = f"GRAPH <{FOCUS_GRAPH}> {{ ?this <{mark}> <{mark}> }}"
    else:
        focus = f"{{ SELECT DISTINCT ?this WHERE {{ {_focus_pattern(info['focus'])} }} }}"
    text = query.replace("{FOCUS}", focus, 1)
    try:
        return store.query(text)
    except SyntaxError as exc:
        raise ShapesError(f"shape {info['shape']}: its SPARQL does not parse: {exc}") from None


def _sparql_result(info: dict, names: list[str], solution, this) -> Result:
    row = {}
    for name in names:
        term = solution[name]
        if term is not None and name not in ("this", "path", "value", "failure"):
            row[name] = term.value
    value = solution["value"] if "value" in names else None
    if value is None and info["node_shape"]:
        value = this
    path = solution["path"] if "path" in names else None
    if info["projects_this"]:
        row["this"] = this.value
    if path is not None:
        row["path"] = path.value
    if value is not None:
        row["value"] = value.value
    messages = tuple(sorted({_format(m, row) for m in info["messages"]}))
    shape_messages = tuple(sorted({_format(m, row) for m in info["shape_messages"]}))
    path = URIRef(path.value) if type(path).__name__ == "NamedNode" else info["path"]
    return Result(this, path, info["component"], info["shape"], value, info["severity"],
                  messages, shape_messages)


def _on(test: str, variable: str = "?value") -> str:
    """A value test (a SPARQL expression over ``{v}``) applied to a variable."""
    return test.replace("{v}", variable)
