"""dispute-kg: a sourced knowledge graph of the 2019-2023 Japan-South Korea export-control dispute.

The public API, in a few lines::

    import kg
    graph = kg.load_graph()                    # ontology + facts + OWL 2 RL closure (rdflib Graph)
    report = kg.validate_facts()               # SHACL report on the curated facts
    rows = kg.run_query("approvals-before-meetings")
    print(kg.render(rows, "table"))
    kg.search("세코")["results"][0]["id"]   # 'agent:hiroshige-seko'
    kg.describe("agent:hiroshige-seko")["tenures"]

Heavy modules are imported on first use, so ``import kg`` stays cheap.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["load_facts", "load_graph", "validate_facts", "run_query", "list_queries", "render",
           "search", "describe", "explorer", "__version__"]


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
    """Run a stored query on the inferred graph; parameters are bound as typed terms, and one
    naming a resource the graph lacks is refused with the closest ones (UnknownResourceError)."""
    from kg.explore.explain import check_parameters
    from kg.pipeline import local_engine
    from kg.query.catalogue import bind, get_query

    query = get_query(name)
    bindings = bind(query, params or {})
    check_parameters(query, params or {}, bindings, lambda: explorer(facts_dir))
    return local_engine(facts_dir, engine).run(query.text, bindings)


def render(results, fmt: str = "table") -> str:
    """Format query results: table, csv, tsv, json or markdown."""
    from kg.query.results import render as _render

    return _render(results, fmt)


def search(text: str, type: str | None = None, limit: int = 10, facts_dir=None) -> dict:
    """Find resources by any label (English, Japanese, Korean), short label, slug or id.

    Args:
        text: what to look for, e.g. ``"Seko"``, ``"세코"``, ``"ds590"``.
        type: only resources of this class (``"dkg:Person"``, ``"Person"``).
        limit: how many results (1-500).
        facts_dir: facts folder instead of the packaged curated facts.

    Returns:
        ``{"query", "type", "total", "results", "closest"}``; each result is a dict with ``id``, ``iri``,
        ``type``, ``label``, ``dates``, ``match`` and ``matched`` (kg/explore/index.py).
    """
    return explorer(facts_dir).search(text, type, limit)


def describe(name: str, facts_dir=None) -> dict:
    """Everything about one resource, as plain data (shape: kg/explore/describe.py).

    Args:
        name: a compact IRI (``event:kono-kang-meeting-beijing-2019-08-21``), full IRI, slug
            or a label that names one resource.
        facts_dir: facts folder instead of the packaged curated facts.

    Raises:
        AmbiguousNameError: the name fits several resources (``candidates``).
        UnknownResourceError: nothing fits (``suggestions``).
    """
    return explorer(facts_dir).describe(name)


def explorer(facts_dir=None, reasoner: str = "reasonable"):
    """Search and describe over the inferred graph (kg.explore.index.Explorer), read from the
    cache when the facts, ontology and code are unchanged; built (and cached) otherwise. The
    pipeline is imported only then, so a warm search imports neither rdflib nor pyoxigraph."""
    from kg.explore.index import load

    def ntriples() -> bytes:
        from kg.pipeline import inferred_ntriples

        return inferred_ntriples(facts_dir, reasoner)

    return load(facts_dir, reasoner, ntriples)
