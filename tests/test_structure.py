"""The house rules of the code itself (checked over its syntax trees, no imports): no import
cycles, no private names borrowed from another module, modules and solver functions short
enough to read."""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "planner"
MODULE_LINES = 400  # check.py, the rule-by-rule checker, is the one exception
SOLVER_FUNCTION_LINES = 60


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def runtime_nodes(tree: ast.AST):
    """Every node but those under `if TYPE_CHECKING:` (imports for type hints only)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and getattr(child.test, "id", None) == "TYPE_CHECKING":
                stack.extend(child.orelse)
                continue
            stack.append(child)


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of the package that `name` imports anywhere (top level or inside functions)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in runtime_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for a in node.names:
                if f"{base}.{a.name}" in known:
                    out.add(f"{base}.{a.name}")  # a submodule
                elif base in known:
                    out.add(base)
    return out - {name}


def test_no_import_cycles():
    known = modules()
    graph = nx.DiGraph()
    for name, path in known.items():
        for target in imported(name, path, set(known)):
            # a module reaching its own package's __init__ only for a sibling is not a cycle
            if not name.startswith(target + "."):
                graph.add_edge(name, target)
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cycles == []


def test_no_private_names_from_another_module():
    borrowed = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                borrowed += [f"{name}: {a.name}" for a in node.names
                             if a.name.startswith("_") and not a.name.startswith("__")]
    assert borrowed == []


def test_modules_and_solver_functions_are_short():
    long_modules = [f"{n} ({len(p.read_text().splitlines())})" for n, p in modules().items()
                    if n != "planner.check" and len(p.read_text().splitlines()) > MODULE_LINES]
    assert long_modules == []
    long_functions = []
    for name, path in modules().items():
        if not name.startswith("planner.solve"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > SOLVER_FUNCTION_LINES:
                    long_functions.append(f"{name}.{node.name} ({lines})")
    assert long_functions == []
