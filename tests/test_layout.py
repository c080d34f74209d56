"""The package's layout shows the pipeline: no import runs back up it, and there is no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

KG = Path(__file__).resolve().parent.parent / "kg"
#: Stages in pipeline order; a module may import only from its own stage or earlier ones.
RANKS = {"errors": 0, "resources": 0, "memory": 0, "files": 0, "cache": 0, "digests": 0,
         "facts": 1, "graph": 2, "reason": 3, "shacl": 4, "query": 5, "explore": 6, "publish": 7,
         "reference": 8, "pipeline": 9, "cli": 10, "__init__": 10, "__main__": 10}


def _module(path: Path) -> str:
    return ".".join(("kg",) + path.relative_to(KG).with_suffix("").parts).removesuffix(".__init__")


def _imports() -> dict[str, set[str]]:
    """Every kg module's kg imports, at module level and inside functions (lazy imports count)."""
    found = {}
    for path in KG.rglob("*.py"):
        module = _module(path)
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "kg":
                base = node.module
                for alias in node.names:
                    candidate = f"{base}.{alias.name}"
                    is_module = (KG.parent / candidate.replace(".", "/")).with_suffix(".py").exists() or \
                        (KG.parent / candidate.replace(".", "/")).is_dir()
                    targets.add(candidate if is_module else base)
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name.split(".")[0] == "kg")
        found[module] = {t for t in targets if t != "kg" and t != module}
    return found


def _rank(module: str) -> int:
    parts = module.split(".")
    return RANKS[parts[1] if len(parts) > 1 else "__init__"]


def test_every_module_belongs_to_a_stage():
    assert all(_rank(module) >= 0 for module in _imports())


def test_no_import_runs_back_up_the_pipeline():
    backwards = sorted(f"{module} imports {target}" for module, targets in _imports().items()
                       for target in targets if _rank(target) > _rank(module))
    assert backwards == []


def test_no_import_cycle():
    graph = _imports()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target):] + [target] if target in stack else [node, target])
            elif target not in state:
                visit(target, stack + [target])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []
