"""The SHACL constraint components the fast engine runs: one registry entry each.

pySHACL keeps one class per constraint component in a registry; so do we, so
that what the fast engine supports is listed in one place (:data:`REGISTRY`),
the refusal of anything else is worded from it, and the README's list can be
checked against it. Each entry says which ``sh:`` parameters activate the
component and how it becomes SPARQL:

- a *value test* is a SPARQL boolean expression over one value node ``{v}``
  (plus, where pySHACL's meaning is Python's, a Python test finishing it);
  the engine turns it into one query over every focus node of the shape;
- any other component compiles its own query with :meth:`Compiler.add`.

A value test must never be a SPARQL error: a comparison SPARQL cannot make
(``"a" < 1``) is a failed constraint in SHACL, not a silently dropped row, so
the range tests say ``COALESCE(..., false)`` and the others guard their
functions (``isLITERAL(...) && LANG(...)``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import RDF, RDFS, XSD, Literal, URIRef

SH = "http://www.w3.org/ns/shacl#"
TYPE_OF = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
NODE_KIND_TESTS = {
    "IRI": "isIRI({v})",
    "BlankNode": "isBLANK({v})",
    "Literal": "isLITERAL({v})",
    "BlankNodeOrIRI": "(isIRI({v}) || isBLANK({v}))",
    "BlankNodeOrLiteral": "(isBLANK({v}) || isLITERAL({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLITERAL({v}))",
}
RANGES = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
PYTHON_TYPES = {  # what pySHACL requires of a literal's value for these datatypes
    XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int,
    XSD.float: float, XSD.boolean: bool,
}


@dataclass(frozen=True)
class Component:
    """One constraint component: the parameters that activate it and how it compiles.

    Attributes:
        name: the component's local name in the ``sh:`` namespace.
        parameter: the parameter that activates it; each of its values is one constraint
            unless ``single`` is set.
        compile: ``(compiler, shape, context, value) -> None``; adds the component's checks.
        test: for value tests, ``(compiler, shape, value) -> (sparql, python or None)``.
        requires: further parameters that must be present (the component is inactive without).
        optional: parameters the component reads when present.
        property_only: the component needs a path (``sh:minCount`` on a node shape is refused).
        node_only: the component applies to node shapes only.
        single: the parameter may have one value only (its other parameters go with it).
    """

    name: str
    parameter: str
    compile: Callable | None = None
    test: Callable | None = None
    requires: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    property_only: bool = False
    node_only: bool = False
    single: bool = False

    @property
    def iri(self) -> str:
        return SH + self.name

    @property
    def parameters(self) -> tuple[str, ...]:
        return (self.parameter, *self.requires, *self.optional)


def is_true(value) -> bool:
    """Only the literal ``true`` (xsd:boolean, as written) switches a boolean parameter on.

    The W3C tests use ``"1"^^xsd:boolean`` to show that any other literal does not.
    """
    return isinstance(value, Literal) and value.datatype == XSD.boolean and str(value) == "true"


# -- value tests ----------------------------------------------------------------

def _class(c, shape, value):
    """A SHACL instance: ``rdf:type/rdfs:subClassOf*``, asked as the direct type (one index
    lookup, true for most values) or else through ``rdfs:subClassOf+``. The same test; Oxigraph
    0.5 walks the starred path for every value (2.4 s against 1.4 s for the 35 class checks at
    10^6 triples)."""
    cls = c.term(shape, value)
    return (f"(EXISTS {{ {{v}} <{RDF.type}> {cls} }} || "
            f"EXISTS {{ {{v}} <{RDF.type}>/<{RDFS.subClassOf}>+ {cls} }})"), None


def _datatype(c, shape, value):
    if value == RDFS.Literal:
        return "isLITERAL({v})", None
    if value == RDF.langString:
        return '(isLITERAL({v}) && LANG({v}) != "")', None
    # Oxigraph keeps integer-family literals as xsd:integer; the Python test sees them as written.
    return (f'(isLITERAL({{v}}) && LANG({{v}}) = "" && (DATATYPE({{v}}) = {c.term(shape, value)} || '
            f'DATATYPE({{v}}) = <{XSD.integer}>))'), _well_formed(value)


def _node_kind(c, shape, value):
    kind = str(value)[len(SH):] if str(value).startswith(SH) else None
    if kind not in NODE_KIND_TESTS:
        c.refuse(shape, f"sh:nodeKind {value}", "sh:nodeKind")
    return NODE_KIND_TESTS[kind], None


def _in(c, shape, value):
    members = c.items(shape, value)
    return "(" + (" || ".join(f"sameTerm({{v}}, {c.term(shape, m)})" for m in members) or "false") + ")", None


def _language_in(c, shape, value):
    tags = sorted({str(t).lower() for t in c.items(shape, value)})
    if "*" in tags:
        return '(isLITERAL({v}) && LANG({v}) != "")', None
    listed = ", ".join(f'"{t}"' for t in tags if re.fullmatch(r"[a-z0-9-]+", t))
    if not listed:
        return "false", None
    return (f'(isLITERAL({{v}}) && LANG({{v}}) != "" && (LCASE(LANG({{v}})) IN ({listed}) || '
            f'LCASE(STRBEFORE(LANG({{v}}), "-")) IN ({listed})))'), None


def _range(name: str):
    def test(c, shape, value):
        if not isinstance(value, Literal):
            c.refuse(shape, f"a non-literal sh:{name}", f"sh:{name}")
        return f"COALESCE({{v}} {RANGES[name]} {c.term(shape, value)}, false)", None

    return test


def _pattern(c, shape, value):
    flags = c.one(shape, "flags")
    table = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}
    bits = 0
    for flag in str(flags) if flags is not None else "":
        if flag not in table:
            c.refuse(shape, f"sh:flags \"{flags}\"", "sh:flags")
        bits |= table[flag]
    try:
        regex = re.compile(str(value), bits)
    except re.error as exc:
        c.refuse(shape, f"an sh:pattern Python cannot compile ({exc})", "sh:pattern")
    return "(!isBLANK({v}))", lambda term: regex.search(term.value) is not None


def _length(name: str):
    def test(c, shape, value):
        if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
            c.refuse(shape, f"a non-integer sh:{name}", f"sh:{name}")
        limit = int(value)
        if name == "minLength":
            return "(!isBLANK({v}))", lambda term: limit == 0 or len(term.value) >= limit
        return "(!isBLANK({v}))", lambda term: len(term.value) <= limit

    return test


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


# -- components with queries of their own --------------------------------------

def _has_value(c, shape, ctx, value):
    term = c.term(shape, value)
    where = f"?this {ctx.path} {term} ." if ctx.path else f"FILTER(sameTerm(?this, {term}))"
    c.add(ctx, "HasValueConstraintComponent",
          f"SELECT DISTINCT ?this WHERE {{ {{FOCUS}} FILTER NOT EXISTS {{ {where} }} }}", with_value=False)


def _count(name: str, op: str):
    def compile_count(c, shape, ctx, value):
        limit = c.integer(shape, name, value)
        query = (f"SELECT ?this WHERE {{ {{FOCUS}} OPTIONAL {{ ?this {ctx.path} ?value . }} }} "
                 f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {op} {limit})")
        c.add(ctx, name[0].upper() + name[1:] + "ConstraintComponent", query, with_value=False)

    return compile_count


def _unique_lang(c, shape, ctx, value):
    if not is_true(value):
        return
    query = (f"SELECT ?this WHERE {{ {{FOCUS}} ?this {ctx.path} ?value . "
             f'FILTER(isLITERAL(?value) && LANG(?value) != "") }} '
             f"GROUP BY ?this (LCASE(LANG(?value))) HAVING (COUNT(DISTINCT ?value) > 1)")
    c.add(ctx, "UniqueLangConstraintComponent", query, with_value=False)


def _qualified(name: str, op: str):
    def compile_qualified(c, shape, ctx, value):
        disjoint = c.one(shape, "qualifiedValueShapesDisjoint")
        if disjoint is not None and is_true(disjoint):
            c.refuse(shape, "sh:qualifiedValueShapesDisjoint true", "sh:qualifiedValueShapesDisjoint")
        conforms = c.nested_value_test(shape, c.one(shape, "qualifiedValueShape"), "sh:qualifiedValueShape")
        limit = c.integer(shape, name, value)
        query = (f"SELECT ?this WHERE {{ {{FOCUS}} OPTIONAL {{ ?this {ctx.path} ?value . "
                 f"FILTER({conforms}) }} }} "
                 f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {op} {limit})")
        c.add(ctx, name[0].upper() + name[1:] + "ConstraintComponent", query, with_value=False)

    return compile_qualified


def _equals(c, shape, ctx, value):
    other = c.term(shape, value)
    if ctx.path:
        only_here = f"?this {ctx.path} ?value . FILTER NOT EXISTS {{ ?this {other} ?value }}"
        only_there = f"?this {other} ?value . FILTER NOT EXISTS {{ ?this {ctx.path} ?value }}"
    else:
        only_here = f"FILTER NOT EXISTS {{ ?this {other} ?this }} BIND(?this AS ?value)"
        only_there = f"?this {other} ?value . FILTER(!sameTerm(?this, ?value))"
    for pattern in (only_here, only_there):
        c.add(ctx, "EqualsConstraintComponent", f"SELECT DISTINCT ?this ?value WHERE {{ {{FOCUS}} {pattern} }}")


def _disjoint(c, shape, ctx, value):
    query = f"SELECT DISTINCT ?this ?value WHERE {{ {{FOCUS}} {ctx.values()} ?this {c.term(shape, value)} ?value . }}"
    c.add(ctx, "DisjointConstraintComponent", query)


def _less_than(name: str, op: str):
    def compile_less(c, shape, ctx, value):
        query = (f"SELECT DISTINCT ?this ?value WHERE {{ {{FOCUS}} {ctx.values()} "
                 f"?this {c.term(shape, value)} ?other . FILTER(!COALESCE(?value {op} ?other, false)) }}")
        c.add(ctx, name[0].upper() + name[1:] + "ConstraintComponent", query)

    return compile_less


def _closed(c, shape, ctx, value):
    if not is_true(value):
        return
    allowed = {c.term(shape, path) for child in c.g.objects(shape, URIRef(SH + "property"))
               for path in c.g.objects(child, URIRef(SH + "path")) if isinstance(path, URIRef)}
    ignored = c.one(shape, "ignoredProperties")
    if ignored is not None:
        allowed |= {c.term(shape, p) for p in c.items(shape, ignored)}
    test = f"FILTER(?path NOT IN ({', '.join(sorted(allowed))}))" if allowed else ""
    c.add(ctx, "ClosedConstraintComponent",
          f"SELECT DISTINCT ?this ?path ?value WHERE {{ {{FOCUS}} ?this ?path ?value . {test} }}")


def _sparql(c, shape, ctx, value):
    c.sparql_check(shape, value, ctx)


REGISTRY: tuple[Component, ...] = (
    Component("ClassConstraintComponent", "class", test=_class),
    Component("DatatypeConstraintComponent", "datatype", test=_datatype),
    Component("NodeKindConstraintComponent", "nodeKind", test=_node_kind),
    Component("InConstraintComponent", "in", test=_in),
    Component("LanguageInConstraintComponent", "languageIn", test=_language_in),
    *(Component(name[0].upper() + name[1:] + "ConstraintComponent", name, test=_range(name))
      for name in RANGES),
    Component("PatternConstraintComponent", "pattern", test=_pattern, optional=("flags",), single=True),
    Component("MinLengthConstraintComponent", "minLength", test=_length("minLength")),
    Component("MaxLengthConstraintComponent", "maxLength", test=_length("maxLength")),
    Component("HasValueConstraintComponent", "hasValue", compile=_has_value),
    Component("MinCountConstraintComponent", "minCount", compile=_count("minCount", "<"), property_only=True),
    Component("MaxCountConstraintComponent", "maxCount", compile=_count("maxCount", ">"), property_only=True),
    Component("UniqueLangConstraintComponent", "uniqueLang", compile=_unique_lang, property_only=True),
    Component("QualifiedMinCountConstraintComponent", "qualifiedMinCount", compile=_qualified("qualifiedMinCount", "<"),
              requires=("qualifiedValueShape",), optional=("qualifiedValueShapesDisjoint",),
              property_only=True, single=True),
    Component("QualifiedMaxCountConstraintComponent", "qualifiedMaxCount", compile=_qualified("qualifiedMaxCount", ">"),
              requires=("qualifiedValueShape",), optional=("qualifiedValueShapesDisjoint",),
              property_only=True, single=True),
    Component("EqualsConstraintComponent", "equals", compile=_equals),
    Component("DisjointConstraintComponent", "disjoint", compile=_disjoint),
    Component("LessThanConstraintComponent", "lessThan", compile=_less_than("lessThan", "<"), property_only=True),
    Component("LessThanOrEqualsConstraintComponent", "lessThanOrEquals",
              compile=_less_than("lessThanOrEquals", "<="), property_only=True),
    Component("ClosedConstraintComponent", "closed", compile=_closed, optional=("ignoredProperties",),
              node_only=True, single=True),
    Component("SPARQLConstraintComponent", "sparql", compile=_sparql),
)

#: Parameters the engine reads, with the component(s) each belongs to.
BY_PARAMETER: dict[str, list[Component]] = {}
for _component in REGISTRY:
    for _parameter in _component.parameters:
        BY_PARAMETER.setdefault(_parameter, []).append(_component)

#: What a shape may carry besides constraint parameters: targets, structure, annotations.
STRUCTURE = frozenset((
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "property", "path",
    "message", "severity", "deactivated", "name", "description", "order", "group",
    "defaultValue", "declare", "prefixes"))
#: Value tests that can stand inside a qualified value shape (pure SPARQL, no Python finish).
NESTABLE = tuple(c for c in REGISTRY if c.test is not None)


def supported() -> str:
    """The supported parameters, for messages and the README: ``sh:class, sh:closed, ...``."""
    return ", ".join(f"sh:{p}" for p in sorted({c.parameter for c in REGISTRY}, key=str.lower))
