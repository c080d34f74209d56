"""dispute-kg: a sourced knowledge graph of the 2019-2023 Japan-South Korea export-control dispute.

The public API, in a few lines::

    import kg
    graph = kg.load_graph()                    # ontology + facts + OWL 2 RL closure (rdflib Graph)
    report = kg.validate_facts()               # SHACL report on the curated facts
    rows = kg.run_query("approvals-before-meetings")
    print(kg.render(rows, "table"))

Heavy modules are imported on first use, so ``import kg`` stays cheap.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["load_facts", "load_graph", "validate_facts", "run_query", "list_queries", "render",
           "__version__"]


def load_facts(facts_dir=None):
    """The curated facts as typed records (raises FactsError on bad input)."""
    from kg.facts.loader import load_facts as _load

    return _load(facts_dir)


def load_graph(facts_dir=None, inferred: bool = True, reasoner: str = "reasonable"):
    """The knowledge graph as an rdflib Graph: asserted, or with its OWL 2 RL closure."""
    from kg.pipeline import build

    return build(facts_dir, reasoner).rdflib("inferred" if inferred else "asserted")


def validate_facts(facts_dir=None, reasoner: str = "reasonable"):
    """Validate the curated facts against the SHACL shapes; returns a Report."""
    from kg.graph.locate import locator
    from kg.pipeline import build
    from kg.shacl.validate import validate_graph

    built = build(facts_dir, reasoner)
    return validate_graph(built.ntriples("view"), locate=locator(built.facts))


def list_queries():
    """The stored queries, by name."""
    from kg.query.catalogue import catalogue

    return catalogue()


def run_query(name: str, params: dict[str, str] | None = None, facts_dir=None,
              engine: str = "oxigraph"):
    """Run a stored query on the inferred graph; parameters are bound as typed terms."""
    from kg.pipeline import local_engine
    from kg.query.catalogue import bind, get_query

    query = get_query(name)
    return local_engine(facts_dir, engine).run(query.text, bind(query, params or {}))


def render(results, fmt: str = "table") -> str:
    """Format query results: table, csv, tsv, json or markdown."""
    from kg.query.results import render as _render

    return _render(results, fmt)
