"""The ``dispute-kg`` command: a thin layer over the library.

Exit codes, the same for every command:
  0  success
  1  validation failure (the data does not conform, or the closure is inconsistent)
  2  bad input or usage error (facts, RDF files, shapes, queries, parameters), or a
     remote store that does not answer, answers with an error, or sends a broken answer

Credentials for a remote store come from $DISPUTE_KG_USER and $DISPUTE_KG_PASSWORD,
else from the netrc file ($NETRC or ~/.netrc); never from the command line.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kg.errors import KGError

EXIT_OK, EXIT_INVALID, EXIT_BAD_INPUT = 0, 1, 2

EXAMPLES = {
    "build": "dispute-kg build --out dist",
    "validate": "dispute-kg validate dist/dispute-kg.ttl",
    "queries": "dispute-kg queries",
    "query": "dispute-kg query approvals-before-meetings --format table",
    "sparql": "dispute-kg sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'",
    "export": "dispute-kg export --format jsonld --inferred -o dispute-kg-inferred.jsonld",
    "push": "dispute-kg push --endpoint http://localhost:7878/query",
    "serve": "dispute-kg serve --port 7878",
    "timeline": "dispute-kg timeline -o timeline.html",
    "diff": "dispute-kg diff dist-0.1.0 dist --format markdown",
    "search": "dispute-kg search 세코",
    "describe": "dispute-kg describe event:kono-kang-meeting-beijing-2019-08-21",
    "prefixes": "dispute-kg prefixes --format sparql",
}


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors already; keep its message short and on stderr."""


def _facts_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--facts", type=Path, metavar="DIR",
                        help="facts folder to use instead of the packaged curated facts")


def _reasoner_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reasoner", choices=("reasonable", "owlrl"), default="reasonable",
                        help="OWL 2 RL engine: reasonable (fast, default) or owlrl (reference)")


def _validator_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--validator", choices=("fast", "pyshacl"), default="fast",
                        help="SHACL engine: fast (compiled to SPARQL on Oxigraph, default) or "
                             "pyshacl (reference)")


def _shapes_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--shapes", type=Path, action="append", metavar="FILE",
                        help="SHACL shapes file to use instead of the packaged shapes (repeatable); "
                             "what the fast validator does not support is validated by pySHACL, "
                             "and the output says so")


def _seconds(text: str) -> float:
    from kg.query.engines import parse_seconds

    try:
        return parse_seconds(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 0-65535, found {text!r}")
    return int(text)


def _remote_args(parser: argparse.ArgumentParser, required: bool = False) -> None:
    from kg.query.transport import DEFAULT_TIMEOUT

    where = "" if required else " instead of the local graph"
    parser.add_argument("--endpoint", metavar="URL", required=required,
                        help=f"a SPARQL 1.1 store's query endpoint{where}, e.g. "
                             "http://HOST:7878/query (Oxigraph), http://HOST:3030/DATASET/sparql "
                             "(Fuseki), http://HOST:7200/repositories/REPO (GraphDB)")
    parser.add_argument("--timeout", type=_seconds, default=None, metavar="SECONDS",
                        help=f"how long a remote store may take (default: {DEFAULT_TIMEOUT:g}), or "
                             "how long a local query may run before it is stopped (default: 10, "
                             "or $DISPUTE_KG_QUERY_TIMEOUT)")
    parser.add_argument("--insecure-auth", action="store_true",
                        help="allow sending credentials over plain http:// to a host other "
                             "than this machine")


def _graph_choice(parser: argparse.ArgumentParser) -> None:
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--inferred", dest="asserted", action="store_false", default=False,
                        help="the graph with its OWL 2 RL closure (default; what the stored "
                             "queries expect)")
    choice.add_argument("--asserted", dest="asserted", action="store_true", default=False,
                        help="only the asserted triples (for a store that reasons itself)")


def _add(sub, name: str, help_text: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=help_text, description=help_text,
                          epilog=f"example:\n  {EXAMPLES[name]}",
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def make_parser() -> argparse.ArgumentParser:
    from kg import __version__
    from kg.query.transport import DEFAULT_TIMEOUT

    parser = _Parser(prog="dispute-kg", description=__doc__,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"dispute-kg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _add(sub, "build", "Build, infer, validate, run every stored query and write the release.")
    p.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR",
                   help="release folder (default: dist): a new or empty folder, or a previous "
                        "release, which is replaced")
    p.add_argument("--force", action="store_true",
                   help="replace --out even if it is not a previous release, deleting what is in "
                        "it (never /, a folder right under /, the home or current folder, a "
                        "folder holding the inputs, or a non-folder)")
    p.add_argument("--sparql-endpoint", metavar="URL",
                   help="address where the graph is served, advertised in dist/void.ttl")
    p.add_argument("--previous", type=Path, metavar="DIR",
                   help="a previous release folder: write CHANGES.md, what changed since it")
    p.add_argument("--site-url", metavar="URL",
                   help="address where dist/site/ will be published: writes dist/w3id.htaccess, the "
                        "rules that make https://w3id.org/dispute-kg/id/... lead there")
    _facts_arg(p)
    _reasoner_arg(p)
    _validator_arg(p)
    _shapes_arg(p)

    p = _add(sub, "validate", "Validate the curated facts, or the given RDF files, against the shapes.")
    p.add_argument("files", nargs="*", type=Path, metavar="FILE",
                   help="RDF files to validate (Turtle, N-Triples, JSON-LD, RDF/XML); "
                        "default: the curated facts")
    p.add_argument("--format", choices=("text", "turtle"), default="text",
                   help="text (grouped by facts entry) or turtle (the SHACL report graph)")
    _facts_arg(p)
    _reasoner_arg(p)
    _validator_arg(p)
    _shapes_arg(p)

    p = _add(sub, "queries", "List the stored queries with their summaries and parameters.")

    p = _add(sub, "query", "Run a stored query on the inferred graph.")
    p.add_argument("name", help="the stored query's name (see 'dispute-kg queries')")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="bind a parameter (repeatable); values are typed by the query header")
    p.add_argument("--format", choices=("table", "csv", "tsv", "json", "markdown"), default="table")
    _wide_arg(p)
    p.add_argument("--engine", choices=("oxigraph", "rdflib"),
                   help="local SPARQL engine (default: oxigraph; rdflib is the slow reference)")
    _facts_arg(p)
    _remote_query_args(p)

    p = _add(sub, "sparql", "Run an ad hoc SPARQL query (text or a .rq file) on the inferred graph; "
                            "the prefixes 'dispute-kg prefixes' lists need no declaration.")
    p.add_argument("query", help="SPARQL text, or the path of a .rq file")
    p.add_argument("--format", choices=("table", "csv", "tsv", "json", "markdown"), default="table")
    _wide_arg(p)
    p.add_argument("--engine", choices=("oxigraph", "rdflib"),
                   help="local SPARQL engine (default: oxigraph)")
    _facts_arg(p)
    _remote_query_args(p)

    p = _add(sub, "export", "Export the graph as Turtle, N-Triples or JSON-LD.")
    p.add_argument("--format", choices=("turtle", "ntriples", "jsonld"), default="turtle")
    p.add_argument("--inferred", action="store_true", help="export the inferred graph")
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="file to write (default or -: stdout); a FIFO or device is written "
                        "through, a symbolic link's file is replaced")
    _facts_arg(p)
    _reasoner_arg(p)

    p = _add(sub, "push", "Validate the graph and load it into a SPARQL 1.1 store, replacing the "
                          "target graph (pushing twice leaves what pushing once does).")
    _remote_args(p, required=True)
    p.add_argument("--update-endpoint", metavar="URL",
                   help="SPARQL Update endpoint (default: derived from --endpoint; see README)")
    p.add_argument("--store-endpoint", metavar="URL",
                   help="Graph Store Protocol endpoint (default: derived from --endpoint)")
    p.add_argument("--graph", metavar="IRI", help="replace this named graph (default: the default graph)")
    p.add_argument("--protocol", choices=("auto", "graph-store", "update"), default="auto",
                   help="auto (default): Graph Store Protocol PUT, or SPARQL Update where the "
                        "store has no Graph Store endpoint")
    _graph_choice(p)
    _facts_arg(p)
    _reasoner_arg(p)
    _validator_arg(p)
    _shapes_arg(p)

    p = _add(sub, "serve", "Serve the site, its resource IRIs (a page, Turtle, JSON-LD or N-Triples by "
                           "the Accept header) and a read-only SPARQL endpoint (/query, the Oxigraph "
                           "server) on 127.0.0.1; Ctrl-C stops it.")
    p.add_argument("--port", type=_port, default=7878,
                   help="port on 127.0.0.1 (default: 7878; 0: any free port)")
    p.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"the server's time limit on each query (default: {DEFAULT_TIMEOUT:g})")
    p.add_argument("--cors", action="store_true",
                   help="allow cross-origin requests, for a query page hosted elsewhere "
                        "(e.g. YASGUI on the web)")
    _graph_choice(p)
    _facts_arg(p)
    _reasoner_arg(p)

    p = _add(sub, "timeline", "Draw the events on a time axis, one lane per state: a self-contained "
                              "HTML page (no network needed) or a static SVG.")
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="file to write (default or -: stdout); a .svg name selects the SVG")
    p.add_argument("--format", choices=("html", "svg"),
                   help="html (interactive page, the default) or svg (static, for reports)")
    _facts_arg(p)

    p = _add(sub, "diff", "List the records added, removed and changed between two releases: release "
                          "folders, or git revisions of the facts (e.g. HEAD~1).")
    p.add_argument("old", metavar="OLD", help="the earlier release folder, or a git revision")
    p.add_argument("new", metavar="NEW", help="the later release folder, or a git revision")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    p.add_argument("--across-versions", action="store_true",
                   help="compare releases of different ontology versions (their terms may differ)")

    p = _add(sub, "search", "Find resources by any of their names: labels in English, Japanese or "
                            "Korean, short labels, slugs, ids such as WTO case numbers.")
    p.add_argument("text", help="what to look for; case, width and accents do not matter")
    p.add_argument("--type", metavar="CLASS",
                   help="only resources of this class, e.g. dkg:Person, Meeting or 'export approval'")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="how many results (default: 10)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    _wide_arg(p)
    _facts_arg(p)

    p = _add(sub, "describe", "Everything the graph says about one resource: dates, people and the "
                              "posts they held, sources with their quotes, and what points to it.")
    p.add_argument("name", help="a compact IRI (event:...), a full IRI, a slug or a label that "
                                "names one resource")
    p.add_argument("--format", choices=("text", "json", "turtle"), default="text",
                   help="text (to read), json (kg.describe's data) or turtle (the concise bounded "
                        "description, from the inferred graph)")
    _wide_arg(p)
    _facts_arg(p)

    p = _add(sub, "prefixes", "List the prefixes every query and --param value may use undeclared.")
    p.add_argument("--format", choices=("table", "sparql", "turtle", "json"), default="table",
                   help="table, sparql (PREFIX lines), turtle (@prefix lines) or json")
    return parser


def _wide_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--wide", action="store_true",
                        help="print every cell whole instead of fitting the terminal's width")


def _remote_query_args(parser: argparse.ArgumentParser) -> None:
    _remote_args(parser)
    parser.add_argument("--graph", metavar="IRI",
                        help="with --endpoint: query this named graph as the default graph "
                             "(e.g. the one given to 'push --graph')")


def _parse_params(pairs: list[str]) -> dict[str, str]:
    from kg.errors import QueryError

    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise QueryError(f"--param takes KEY=VALUE, found {pair!r}")
        if key in params:
            raise QueryError(f"--param {key} is given twice")
        params[key] = value
    return params


def _run(args, text: str, bindings):
    """Run on the engine the arguments choose, with the time limit they set."""
    if args.endpoint:
        return _engine(args).run(text, bindings)
    from kg.query.engines import query_timeout

    timeout = args.timeout or query_timeout()  # a bad $DISPUTE_KG_QUERY_TIMEOUT stops us before the build
    return _engine(args).run(text, bindings, timeout=timeout)


def cmd_build(args) -> int:
    from kg.errors import InconsistencyError
    from kg.pipeline import release

    try:
        summary = release(args.out, args.facts, args.reasoner, args.sparql_endpoint,
                          shapes=args.shapes, validator=args.validator, force=args.force,
                          previous=args.previous, site_url=args.site_url)
    except InconsistencyError as exc:
        print(f"dispute-kg build: {exc}", file=sys.stderr)
        print(f"build failed: the graph is inconsistent; {args.out}/ was left unchanged",
              file=sys.stderr)
        return EXIT_INVALID
    print(summary.checks.text(), file=sys.stderr)
    if not summary.passed:
        if not summary.conforms:
            print(summary.report_text, file=sys.stderr)
        print(summary.text(), file=sys.stderr)
        reasons = []
        if not summary.checks.passed:
            reasons.append(f"{len(summary.checks.of('error'))} quality check error(s)")
        if not summary.conforms:
            reasons.append("the data does not conform to the shapes")
        print(f"build failed: {' and '.join(reasons)}; {args.out}/ was left unchanged",
              file=sys.stderr)
        return EXIT_INVALID
    print(summary.text())
    return EXIT_OK


def cmd_validate(args) -> int:
    """Consistency (OWL 2 RL), quality checks, then SHACL; exit 1 if any of them fails.

    The answer for the curated facts is cached, keyed by every input and the code: while
    nothing changed, the same report comes back without rebuilding anything.
    """
    import json

    from kg import cache

    name = None
    if not args.files:
        options = f"{args.reasoner}|{args.validator}|{args.format}"
        name = f"validate-{cache.validation_digest(args.facts, args.shapes, options)}.json"
        found = cache.read(name)
        if found is not None:
            answer = json.loads(found)
            sys.stdout.write(answer["out"])
            sys.stderr.write(answer["err"])
            return answer["code"]
    out, err, code = _validate(args)
    if name is not None:
        cache.write(name, json.dumps({"out": out, "err": err, "code": code}).encode("utf-8"))
    sys.stdout.write(out)
    sys.stderr.write(err)
    return code


def _validate(args) -> tuple[str, str, int]:
    """What ``validate`` prints on standard output and error, and its exit code."""
    from kg.query.checks import run_checks
    from kg.query.engines import OxigraphEngine
    from kg.shacl.validate import load_shapes, validate_graph

    shapes = load_shapes(args.shapes)
    if args.files:
        from kg.graph import ntriples
        from kg.graph.ontology import ontology_lines
        from kg.graph.rdfio import parse_file

        lines = ontology_lines()
        for path in args.files:
            lines |= ntriples.lines(parse_file(path))
        if args.reasoner == "reasonable":
            from kg.reason.closure import infer_lines

            graphs = infer_lines(lines)
        else:
            from kg.reference.infer import reference_graphs

            graphs = reference_graphs(lines, args.reasoner)
        if graphs.problems:
            from kg.errors import InconsistencyError

            raise InconsistencyError(graphs.problems)
        locate = None
    else:
        from kg.graph.locate import locator
        from kg.pipeline import build

        built = build(args.facts, args.reasoner)
        graphs, locate = built.graphs, locator(built.facts)
    checks = run_checks(OxigraphEngine(graphs.store if graphs.store is not None else graphs.inferred))
    view = graphs.view
    report = validate_graph(view, shapes, locate=locate, engine=args.validator, fallback=bool(args.shapes))
    if args.format == "turtle":
        from kg.graph.rdfio import serialize

        out = serialize(report.standard_graph(), "turtle").decode("utf-8")
        err = checks.text() + "\n"
    else:
        out, err = checks.text() + "\n" + report.text() + "\n", ""
    if report.note:
        err += report.note + "\n"
    if not checks.passed:
        err += f"validation failed: {len(checks.of('error'))} quality check error(s)\n"
    return out, err, EXIT_OK if report.conforms and checks.passed else EXIT_INVALID


def cmd_queries(args) -> int:
    from kg.query.catalogue import catalogue

    for query in catalogue().values():
        print(f"{query.name}\n    {query.summary}")
        for param in query.params:
            default = f" (default {param.default})" if param.default else ""
            default += " (optional)" if param.optional else ""
            print(f"    --param {param.name}=<{param.type}>{default}  {param.description}")
    return EXIT_OK


def _engine(args):
    """The local engine, or the remote store named by --endpoint."""
    from kg.errors import QueryError

    if not args.endpoint:
        if args.graph:
            raise QueryError("--graph names a graph in a remote store; give --endpoint too")
        from kg.pipeline import local_engine

        return local_engine(args.facts, args.engine or "oxigraph")
    for option, value in (("--facts", args.facts), ("--engine", args.engine)):
        if value:
            raise QueryError(f"{option} applies to the local graph; with --endpoint the store answers")
    from kg.query.remote import DEFAULT_TIMEOUT, RemoteEngine, Transport

    return RemoteEngine(args.endpoint, default_graph=args.graph,
                        transport=Transport(args.timeout or DEFAULT_TIMEOUT, args.insecure_auth))


def cmd_query(args) -> int:
    from kg.query.catalogue import bind, get_query
    from kg.query.results import render
    from kg.query.table import terminal_width

    query = get_query(args.name)
    given = _parse_params(args.param)
    bindings = bind(query, given)
    if not args.endpoint:
        from kg.explore.explain import check_parameters

        check_parameters(query, given, bindings, lambda: _explorer(args))
    results = _run(args, query.text, bindings)
    sys.stdout.write(render(results, args.format, terminal_width(args.wide)))
    if results.kind == "select" and not results.rows and not args.endpoint:
        from kg.explore.explain import explain_empty

        note = explain_empty(query, given, bindings, lambda: _explorer(args))
        if note:
            print(note, file=sys.stderr)
    return EXIT_OK


def _explorer(args):
    from kg import explorer

    return explorer(args.facts)


def cmd_sparql(args) -> int:
    from kg.query.results import render
    from kg.query.table import terminal_width

    text = args.query
    if text.endswith(".rq") or (len(text) < 4096 and "\n" not in text and os.path.lexists(text)):
        from kg.query.catalogue import read_query_file

        text = read_query_file(Path(text))
    results = _run(args, text, None)
    sys.stdout.write(render(results, args.format, terminal_width(args.wide)))
    return EXIT_OK


def _output(args):
    """The -o file, checked before any work is done; None for standard output (no -o, or -o -)."""
    from kg.files import output_target

    if args.output is None or str(args.output) == "-":
        return None
    output_target(args.output)
    return args.output


def _write(output, data: bytes, note: str = "") -> None:
    from kg.files import write_output

    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_output(output, data)
    print(f"wrote {output}{note}", file=sys.stderr)


def cmd_export(args) -> int:
    from kg.graph.rdfio import serialize_ntriples
    from kg.pipeline import build

    output = _output(args)
    built = build(args.facts, args.reasoner)
    _write(output, serialize_ntriples(built.ntriples("inferred" if args.inferred else "asserted"),
                                      args.format))
    return EXIT_OK


def cmd_push(args) -> int:
    """Gate as ``build`` does (consistency, quality checks, SHACL), then replace the target graph."""
    from kg.graph.locate import locator
    from kg.pipeline import build
    from kg.query.checks import run_checks
    from kg.query.push import check_target, push
    from kg.query.remote import DEFAULT_TIMEOUT, Transport, endpoints
    from kg.shacl.validate import load_shapes, validate_graph

    ends = endpoints(args.endpoint, args.update_endpoint, args.store_endpoint)
    check_target(ends, args.protocol, args.graph)
    shapes = load_shapes(args.shapes)
    built = build(args.facts, args.reasoner)
    report = validate_graph(built.ntriples("view"), shapes, locate=locator(built.facts),
                            engine=args.validator, fallback=bool(args.shapes))
    if report.note:
        print(report.note, file=sys.stderr)
    checks = run_checks(built.ntriples("inferred"))
    if not report.conforms or not checks.passed:
        print(checks.text(), file=sys.stderr)
        print(report.text(), file=sys.stderr)
        why = "the data does not conform" if not report.conforms else "a quality check failed"
        print(f"push refused: {why}; the store was left unchanged", file=sys.stderr)
        return EXIT_INVALID
    data = built.ntriples("asserted" if args.asserted else "inferred")
    pushed = push(data, ends, graph=args.graph, protocol=args.protocol,
                  transport=Transport(args.timeout or DEFAULT_TIMEOUT, args.insecure_auth))
    print(pushed.text())
    return EXIT_OK


def cmd_serve(args) -> int:
    import signal

    from kg.pipeline import served
    from kg.publish.examples import example_lines
    from kg.publish.site.server import FrontServer
    from kg.query.serve import oxigraph_program, start

    oxigraph_program()  # say it is missing, or the port busy, before building anything
    front = FrontServer(args.port)
    try:
        data, site = served(args.facts, args.reasoner, args.asserted)
        data += example_lines(f"{front.url}query")  # the stored queries, for example browsers
        backend = start(data, 0, query_timeout=args.timeout, cors=args.cors)
    except BaseException:
        front.stop()
        raise
    front.start(site, backend.query_url, timeout=args.timeout + 5)

    def stop_on_term(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop_on_term)
    try:
        print(f"SPARQL endpoint (read-only): {front.url}query")
        print(f"pages: {front.url}")
        print(f"query page: {front.url}query.html")
        print(f"resource IRIs: {front.url}id/... (a page, or Turtle, JSON-LD or N-Triples by the Accept header)")
        print("press Ctrl-C to stop", flush=True)
        code = backend.process.wait()
        print(f"the Oxigraph server stopped by itself (exit code {code})", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return EXIT_OK
    finally:
        front.stop()
        backend.stop()
        signal.signal(signal.SIGTERM, previous)


def cmd_timeline(args) -> int:
    from kg import __version__
    from kg.pipeline import local_engine
    from kg.publish.timeline import timeline_from_engine
    from kg.publish.timeline_render import render_html, render_svg

    output = _output(args)
    fmt = args.format or ("svg" if output and output.suffix.lower() == ".svg" else "html")
    timeline = timeline_from_engine(local_engine(args.facts), __version__)
    data = (render_svg(timeline) if fmt == "svg" else render_html(timeline)).encode("utf-8")
    _write(output, data, f" ({len(timeline.events)} events)")
    return EXIT_OK


def cmd_diff(args) -> int:
    from kg.publish.diff import compare, read_side, render

    diff = compare(read_side(args.old), read_side(args.new), across_versions=args.across_versions)
    sys.stdout.write(render(diff, args.format))
    return EXIT_OK


def cmd_search(args) -> int:
    import json

    from kg import search
    from kg.query.table import terminal_width

    found = search(args.text, args.type, args.limit, facts_dir=args.facts)
    if args.format == "json":
        sys.stdout.write(json.dumps(found, ensure_ascii=False, indent=1) + "\n")
    else:
        from kg.explore.render import search_text

        sys.stdout.write(search_text(found, terminal_width(args.wide)))
    return EXIT_OK


def cmd_describe(args) -> int:
    found = _explorer(args)
    iri = found.resolve(args.name)
    if args.format == "turtle":
        from kg.explore.cbd import concise_bounded_description
        from kg.pipeline import inferred_ntriples

        sys.stdout.buffer.write(concise_bounded_description(inferred_ntriples(args.facts), iri))
    elif args.format == "json":
        import json

        sys.stdout.write(json.dumps(found.description(iri), ensure_ascii=False, indent=1) + "\n")
    else:
        from kg.explore.render import describe_text
        from kg.query.table import terminal_width

        sys.stdout.write(describe_text(found.description(iri), terminal_width(args.wide)))
    return EXIT_OK


def cmd_prefixes(args) -> int:
    import json

    from kg.query.prefixes import NOTES, PREFIXES

    if args.format == "json":
        sys.stdout.write(json.dumps(PREFIXES, indent=1) + "\n")
    elif args.format in ("sparql", "turtle"):
        line = "PREFIX {}: <{}>" if args.format == "sparql" else "@prefix {}: <{}> ."
        sys.stdout.write("".join(line.format(k, v) + "\n" for k, v in PREFIXES.items()))
    else:
        from kg.query.table import layout, terminal_width

        rows = [[f"{k}:", v, NOTES.get(k, "")] for k, v in PREFIXES.items()]
        sys.stdout.write(layout(["prefix", "namespace", "for"], rows, terminal_width()))
    return EXIT_OK


COMMANDS = {
    "build": cmd_build,
    "validate": cmd_validate,
    "queries": cmd_queries,
    "query": cmd_query,
    "sparql": cmd_sparql,
    "export": cmd_export,
    "push": cmd_push,
    "serve": cmd_serve,
    "timeline": cmd_timeline,
    "diff": cmd_diff,
    "search": cmd_search,
    "describe": cmd_describe,
    "prefixes": cmd_prefixes,
}


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KGError as exc:
        print(f"dispute-kg {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
