"""The plain way as one script: rdflib parse, owlrl closure, pySHACL, every stored query in rdflib, Turtle out.

    python -m benchmarks.plain dist/dispute-kg.ttl
"""

from __future__ import annotations

import sys
from pathlib import Path

import owlrl
import pyshacl
import rdflib

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    source = Path((argv or sys.argv[1:])[0])
    graph = rdflib.Graph()
    graph.parse(source, format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    shapes = rdflib.Graph()
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    for path in sorted((ROOT / "queries" / "competency").glob("*.rq")):
        list(graph.query(path.read_text(encoding="utf-8")))
    graph.serialize(format="turtle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
