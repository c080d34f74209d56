"""The ``dispute-kg`` command: a thin layer over the library.

Exit codes, the same for every command:
  0  success
  1  validation failure (the data does not conform, or the closure is inconsistent)
  2  bad input or usage error (facts, RDF files, shapes, queries, parameters)
"""

from __future__ import annotations

import argparse
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
    "export": "dispute-kg export --format jsonld --inferred -o dist/dispute-kg-inferred.jsonld",
}


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors already; keep its message short and on stderr."""


def _facts_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--facts", type=Path, metavar="DIR",
                        help="facts folder to use instead of the packaged curated facts")


def _reasoner_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reasoner", choices=("reasonable", "owlrl"), default="reasonable",
                        help="OWL 2 RL engine: reasonable (fast, default) or owlrl (reference)")


def _add(sub, name: str, help_text: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=help_text, description=help_text,
                          epilog=f"example:\n  {EXAMPLES[name]}",
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def make_parser() -> argparse.ArgumentParser:
    from kg import __version__

    parser = _Parser(prog="dispute-kg", description=__doc__,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"dispute-kg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _add(sub, "build", "Build, infer, validate, run every stored query and write the release.")
    p.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR",
                   help="release folder (default: dist)")
    _facts_arg(p)
    _reasoner_arg(p)

    p = _add(sub, "validate", "Validate the curated facts, or the given RDF files, against the shapes.")
    p.add_argument("files", nargs="*", type=Path, metavar="FILE",
                   help="RDF files to validate (Turtle, N-Triples, JSON-LD, RDF/XML); "
                        "default: the curated facts")
    p.add_argument("--format", choices=("text", "turtle"), default="text",
                   help="text (grouped by facts entry) or turtle (the SHACL report graph)")
    _facts_arg(p)
    _reasoner_arg(p)

    p = _add(sub, "queries", "List the stored queries with their summaries and parameters.")

    p = _add(sub, "query", "Run a stored query on the inferred graph.")
    p.add_argument("name", help="the stored query's name (see 'dispute-kg queries')")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="bind a parameter (repeatable); values are typed by the query header")
    p.add_argument("--format", choices=("table", "csv", "tsv", "json", "markdown"), default="table")
    p.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph",
                   help="local SPARQL engine (default: oxigraph; rdflib is the slow reference)")
    _facts_arg(p)

    p = _add(sub, "sparql", "Run an ad hoc SPARQL query (text or a .rq file) on the inferred graph.")
    p.add_argument("query", help="SPARQL text, or the path of a .rq file")
    p.add_argument("--format", choices=("table", "csv", "tsv", "json", "markdown"), default="table")
    p.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph")
    _facts_arg(p)

    p = _add(sub, "export", "Export the graph as Turtle, N-Triples or JSON-LD.")
    p.add_argument("--format", choices=("turtle", "ntriples", "jsonld"), default="turtle")
    p.add_argument("--inferred", action="store_true", help="export the inferred graph")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="file to write (default: stdout)")
    _facts_arg(p)
    _reasoner_arg(p)
    return parser


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


def cmd_build(args) -> int:
    from kg.errors import InconsistencyError
    from kg.pipeline import release

    try:
        summary = release(args.out, args.facts, args.reasoner)
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
    """Consistency (OWL 2 RL), quality checks, then SHACL; exit 1 if any of them fails."""
    from kg.checks import run_checks
    from kg.validate import validate_graph

    if args.files:
        from kg.build import load_ontology
        from kg.infer import infer
        from kg.rdfio import parse_file

        graph = load_ontology()
        for path in args.files:
            parse_file(path, graph)
        inferred = infer(graph, engine=args.reasoner).graph
        locate = None
    else:
        from kg.pipeline import build, locator

        built = build(args.facts, args.reasoner)
        inferred, locate = built.inferred, locator(built.facts)
    checks = run_checks(inferred)
    report = validate_graph(inferred, locate=locate)
    if args.format == "turtle":
        from kg.rdfio import serialize

        print(checks.text(), file=sys.stderr)
        sys.stdout.write(serialize(report.standard_graph(), "turtle").decode("utf-8"))
    else:
        print(checks.text())
        print(report.text())
    if not checks.passed:
        print(f"validation failed: {len(checks.of('error'))} quality check error(s)", file=sys.stderr)
    return EXIT_OK if report.conforms and checks.passed else EXIT_INVALID


def cmd_queries(args) -> int:
    from kg.queries import catalogue

    for query in catalogue().values():
        print(f"{query.name}\n    {query.summary}")
        for param in query.params:
            default = f" (default {param.default})" if param.default else ""
            print(f"    --param {param.name}=<{param.type}>{default}  {param.description}")
    return EXIT_OK


def cmd_query(args) -> int:
    from kg.pipeline import local_engine
    from kg.queries import bind, get_query, render

    query = get_query(args.name)
    bindings = bind(query, _parse_params(args.param))
    results = local_engine(args.facts, args.engine).run(query.text, bindings)
    sys.stdout.write(render(results, args.format))
    return EXIT_OK


def cmd_sparql(args) -> int:
    from kg.errors import QueryError
    from kg.pipeline import local_engine
    from kg.queries import render

    text = args.query
    if text.endswith(".rq") or (len(text) < 4096 and "\n" not in text and Path(text).is_file()):
        try:
            text = Path(text).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{args.query}: cannot read the query file: {exc}") from None
    results = local_engine(args.facts, args.engine).run(text)
    sys.stdout.write(render(results, args.format))
    return EXIT_OK


def cmd_export(args) -> int:
    from kg.pipeline import build
    from kg.rdfio import serialize, write_atomic

    built = build(args.facts, args.reasoner)
    data = serialize(built.inferred if args.inferred else built.asserted, args.format)
    if args.output:
        write_atomic(args.output, data)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return EXIT_OK


COMMANDS = {
    "build": cmd_build,
    "validate": cmd_validate,
    "queries": cmd_queries,
    "query": cmd_query,
    "sparql": cmd_sparql,
    "export": cmd_export,
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
