"""The pipeline end to end: facts -> asserted graph -> inferred graph -> validation -> release.

Derived graphs are cached, keyed by the content of every input (facts,
ontology, the code that builds and infers) so a query after an unchanged
build costs one N-Triples load into Oxigraph and no rdflib import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.graph.locate import locator
from kg.query.checks import CheckReport


class Built:
    """A build's graphs, held as sorted N-Triples (:class:`kg.reason.closure.Graphs`) whatever
    the reasoner; rdflib graphs are made only for callers that ask for them."""

    def __init__(self, facts, reasoner: str, graphs):
        self.facts, self.reasoner, self.graphs = facts, reasoner, graphs
        self.entailed, self.inconsistencies = graphs.entailed, graphs.problems
        self._rdflib: dict = {}

    def ntriples(self, name: str) -> bytes:
        """``asserted``, ``inferred`` or ``view`` (what SHACL checks) as sorted N-Triples."""
        return getattr(self.graphs, name)

    def count(self, name: str) -> int:
        """How many triples the ``asserted`` or ``inferred`` graph has."""
        return getattr(self.graphs, f"{name}_count")

    def rdflib(self, name: str):
        """``asserted``, ``inferred`` or ``view`` as an rdflib graph (made once, on demand)."""
        if name not in self._rdflib:
            from kg.graph.rdfio import rdflib_graph

            self._rdflib[name] = rdflib_graph(self.ntriples(name))
        return self._rdflib[name]

    @property
    def asserted(self):
        """The asserted graph (rdflib)."""
        return self.rdflib("asserted")

    @property
    def inferred(self):
        """The inferred graph (rdflib)."""
        return self.rdflib("inferred")


def build(facts_dir: Path | None = None, reasoner: str = "reasonable", check: bool = True) -> Built:
    """Load the facts, build the asserted graph and infer its closure.

    Args:
        facts_dir: facts folder; the packaged curated facts by default.
        reasoner: ``reasonable`` or ``owlrl``.
        check: raise on an inconsistent closure; with False the problems are
            returned in ``Built.inconsistencies`` (the release reports them
            together with the SHACL results).

    Raises:
        FactsError: bad curated facts.
        InconsistencyError: the closure is inconsistent (when ``check``).
    """
    from kg.errors import InconsistencyError
    from kg.facts.loader import load_facts
    from kg.memory import paused_gc
    from kg.reason.closure import asserted_lines, infer_lines

    with paused_gc():
        facts = load_facts(facts_dir)
        locate = locator(facts)
        where = lambda iri: locate(iri, None)[0]  # noqa: E731
        if reasoner == "reasonable":
            from kg.cache import closure_slot
            from kg.reason.incremental import LastClosure

            last = LastClosure(closure_slot(facts_dir, reasoner))
            graphs = infer_lines(asserted_lines(facts), where, last)
        else:
            from kg.reference.infer import reference_graphs

            graphs = reference_graphs(asserted_lines(facts), reasoner, where)
    if check and graphs.problems:
        raise InconsistencyError(graphs.problems)
    return Built(facts, reasoner, graphs)


def inferred_ntriples(facts_dir: Path | None = None, reasoner: str = "reasonable",
                      use_cache: bool = True) -> bytes:
    """The inferred graph as sorted N-Triples, from the cache when the inputs are unchanged."""
    from kg import cache

    name = f"inferred-{cache.inputs_digest(facts_dir, reasoner)}.nt"
    if use_cache:
        found = cache.read(name)
        if found is not None:
            return found
    data = build(facts_dir, reasoner).ntriples("inferred")
    if use_cache:
        cache.write(name, data)
    return data


def store_cached(built: Built, facts_dir: Path | None) -> None:
    """Seed the cache from a build that already ran (so `query` after `build` is fast)."""
    from kg import cache

    cache.write(f"inferred-{cache.inputs_digest(facts_dir, built.reasoner)}.nt",
                built.ntriples("inferred"))


def local_engine(facts_dir: Path | None = None, engine: str = "oxigraph",
                 reasoner: str = "reasonable"):
    """A query engine over the inferred graph of the curated facts."""
    from kg.query.engines import OxigraphEngine
    from kg.reference.rdflib_engine import RdflibEngine

    if engine == "oxigraph":
        return OxigraphEngine(inferred_ntriples(facts_dir, reasoner))
    if engine == "rdflib":
        return RdflibEngine(build(facts_dir, reasoner).rdflib("inferred"))
    raise ValueError(f"unknown query engine '{engine}'")


def served(facts_dir: Path | None = None, reasoner: str = "reasonable", asserted: bool = False):
    """What ``dispute-kg serve`` serves, built from the same facts: the graph for the SPARQL
    endpoint (inferred, or only the asserted triples) and the site (kg.publish.site.server.Site).
    """
    from kg import __version__
    from kg.publish.release import site_writer
    from kg.publish.site.server import Site
    from kg.publish.timeline import timeline_from_engine
    from kg.query.engines import OxigraphEngine

    built = build(facts_dir, reasoner)
    inferred = built.ntriples("inferred")
    writer = site_writer(built.ntriples("asserted"), timeline_from_engine(OxigraphEngine(inferred), __version__))
    site = Site(writer.files(), writer.claims(), writer.missing)
    return (built.ntriples("asserted") if asserted else inferred), site


# ---------------------------------------------------------------------------
# The release
# ---------------------------------------------------------------------------

@dataclass
class Summary:
    asserted: int
    inferred: int
    entailed: int
    conforms: bool
    violations: int
    queries_run: int
    files: list[Path] = field(default_factory=list)
    report_text: str = ""
    shacl_note: str | None = None  # one line when pySHACL validated a user's shapes instead
    checks: CheckReport = field(default_factory=CheckReport)

    @property
    def passed(self) -> bool:
        """The data conforms to the shapes and no quality check found an error."""
        return self.conforms and self.checks.passed

    def text(self) -> str:
        lines = [
            f"triples asserted: {self.asserted}",
            f"triples inferred: {self.inferred} ({self.entailed} entailed)",
            f"conforms: {'yes' if self.conforms else 'no'}"
            + ("" if self.conforms else f" ({self.violations} violation(s))"),
            *([self.shacl_note] if self.shacl_note else []),
            f"quality checks: {self.checks.counts()}",
            f"queries run: {self.queries_run}",
        ]
        if self.files:
            root = min((path.parent for path in self.files), key=lambda folder: len(folder.parts))
            folders: dict[str, int] = {}
            for path in self.files:
                inner = path.relative_to(root).parts
                if len(inner) == 1:
                    lines.append(f"wrote {path}")
                else:
                    folders[inner[0]] = folders.get(inner[0], 0) + 1
            lines += [f"wrote {root / name}/ ({count} files)" for name, count in sorted(folders.items())]
        return "\n".join(lines)


def release_inputs(facts_dir: Path | None, shapes: list[Path] | None) -> list[Path]:
    """What a release folder must never hold: the facts, shapes, ontology, queries and code it is built from."""
    from kg import resources

    return [facts_dir or resources.facts_dir(), *(shapes or resources.shapes_files()),
            resources.ontology_dir(), resources.queries_dir(), resources.PACKAGE_DIR]


def release(out_dir: Path, facts_dir: Path | None = None, reasoner: str = "reasonable",
            sparql_endpoint: str | None = None, shapes: list[Path] | None = None,
            validator: str = "fast", force: bool = False, previous: Path | None = None,
            site_url: str | None = None) -> Summary:
    """Build, infer, validate, check, run every stored query, and write the release files
    (kg/publish/release.py).

    Nothing is written unless every stage succeeds, the data conforms and no
    quality check finds an error, and the release folder is then replaced all
    at once: the previous release stays intact whatever happens.

    Args:
        out_dir: the release folder.
        facts_dir: curated facts to use instead of the packaged ones.
        reasoner: ``reasonable`` or ``owlrl``.
        sparql_endpoint: an address where the graph is served, for the VoID description.
        shapes: shapes files to use instead of the packaged ones.
        validator: ``fast`` or ``pyshacl``.
        force: replace ``out_dir`` even when it is not a previous release (never the
            folders kg.files.check_release_target protects).
        previous: a previous release folder, to write CHANGES.md against.
        site_url: where the release's ``site/`` will be published, for the w3id.org rules.

    Returns:
        What was built and written.

    Raises:
        InconsistencyError: the closure is inconsistent.
        OutputError: ``out_dir`` may not be replaced (checked before anything is built).
    """
    from kg.files import check_release_target, publish_directory
    from kg.publish.release import release_files, verify_release_file
    from kg.publish.void import check_endpoint
    from kg.query.catalogue import bind, catalogue
    from kg.query.checks import run_checks
    from kg.query.engines import OxigraphEngine
    from kg.shacl.validate import load_shapes, validate_graph

    keep = release_inputs(facts_dir, shapes)
    check_release_target(Path(out_dir), force, keep, thorough=False)  # in full before writing
    if sparql_endpoint is not None:
        check_endpoint(sparql_endpoint)
    if site_url is not None:
        from kg.publish.site.negotiation import check_site_url

        check_site_url(site_url)
    shapes_graph = load_shapes(shapes)
    built = build(facts_dir, reasoner, check=False)
    report = validate_graph(built.ntriples("view"), shapes_graph, locate=locator(built.facts),
                            engine=validator, fallback=shapes is not None)
    summary = Summary(built.count("asserted"), built.count("inferred"), built.entailed, report.conforms,
                      len(report.violations), 0, report_text=report.text(), shacl_note=report.note)
    if built.inconsistencies:
        from kg.errors import InconsistencyError

        if not report.conforms:
            raise InconsistencyError(built.inconsistencies + ["SHACL: " + report.text()])
        raise InconsistencyError(built.inconsistencies)
    store = built.graphs.store
    engine = OxigraphEngine(store if store is not None else built.ntriples("inferred"))
    summary.checks = run_checks(engine)
    if not summary.passed:
        return summary
    for query in catalogue().values():
        engine.run(query.text, bind(query, {}), timeout=None)  # stored queries: no child process
        summary.queries_run += 1
    files = release_files(built, report, engine, sparql_endpoint, shapes=shapes_graph,
                          previous=previous, site_url=site_url)
    from kg.digests import file_digests

    summary.files = publish_directory(Path(out_dir), files, verify=verify_release_file, force=force,
                                      keep=keep, hashes=file_digests)
    store_cached(built, facts_dir)
    return summary
