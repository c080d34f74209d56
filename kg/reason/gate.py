"""The consistency gate on Oxigraph: members of owl:Nothing, of two disjoint classes, or with two
values of a functional property make the closure inconsistent."""

from __future__ import annotations

from kg.graph import iris

OWL = "http://www.w3.org/2002/07/owl#"


def consistency_problems(store, locate=None) -> list[str]:
    """:func:`kg.reference.infer.consistency_problems` on an Oxigraph store (same messages, same order).

    Args:
        store: the inferred graph in Oxigraph.
        locate: optional ``iri -> "file:line: noun 'id'"`` naming the facts entry behind a node.
    """
    from rdflib import Literal, URIRef

    def where(node) -> str:
        found = locate(node.value) if locate and type(node).__name__ == "NamedNode" else None
        return f" ({found})" if found else ""

    problems = []
    rows = list(store.query(f"SELECT ?m WHERE {{ ?m a <{OWL}Nothing> }}"))
    for member in sorted((row["m"] for row in rows), key=_order):
        problems.append(f"{_name(member)} is a member of owl:Nothing{where(member)}")
    pairs: dict[tuple, set] = {}
    for row in store.query(f"SELECT DISTINCT ?a ?b ?m WHERE {{ {{ ?a <{OWL}disjointWith> ?b }} UNION "
                           f"{{ ?b <{OWL}disjointWith> ?a }} ?m a ?a, ?b }}"):
        a, b = row["a"].value, row["b"].value
        if a < b:
            pairs.setdefault((a, b), set()).add(row["m"])
    for (a, b), members in sorted(pairs.items()):
        for member in sorted(members, key=_order):
            problems.append(f"{_name(member)} is both a {_name_iri(a)} and a {_name_iri(b)}, "
                            f"which are disjoint{where(member)}")
    clashes: dict[str, dict] = {}
    query = (f"SELECT DISTINCT ?p ?s ?o WHERE {{ ?p a <{OWL}FunctionalProperty> . ?s ?p ?o, ?o2 "
             f"FILTER(!sameTerm(?o, ?o2)) }}")
    for row in store.query(query):
        clashes.setdefault(row["p"].value, {}).setdefault(row["s"], []).append(row["o"])
    for prop in sorted(clashes):
        for subject in sorted(clashes[prop], key=_order):
            values = set()
            for value in clashes[prop][subject]:
                if type(value).__name__ == "Literal":
                    literal = Literal(value.value, lang=value.language) if value.language else \
                        Literal(value.value, datatype=URIRef(value.datatype.value))
                    values.add(literal.toPython())
                else:
                    values.add(value.value)
            if len(values) > 1:
                shown = ", ".join(sorted(str(v) for v in values))
                problems.append(f"{_name(subject)} has {len(values)} values for functional "
                                f"property {_name_iri(prop)}: {shown}{where(subject)}")
    return problems

def _order(term) -> str:
    return term.value

def _name_iri(iri: str) -> str:
    found = iris.split(iri, plain=True)
    return f"{found[0]}:{found[1]}" if found else f"<{iri}>"

def _name(term) -> str:
    if type(term).__name__ == "NamedNode":
        return _name_iri(term.value)
    return repr(term.value)
