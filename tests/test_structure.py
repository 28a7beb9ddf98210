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


# -- the walls of DESIGN §6, over the whole import graph (what a module reaches through others)

SOLVER_LIBRARIES = ("ortools", "pyvrp")
CLI_LIBRARIES = ("click",)


def import_graph() -> nx.DiGraph:
    known = modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(known)
    for name, path in known.items():
        graph.add_edges_from((name, target) for target in imported(name, path, set(known)))
    return graph


def external_imports(path: Path) -> set[str]:
    """Top-level names of the outside packages a module imports at run time."""
    out = set()
    for node in runtime_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            out.add(node.module.split(".")[0])
    return out


def in_part(name: str, *parts: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in parts)


def reached(graph: nx.DiGraph, sources, forbidden) -> list[str]:
    """`source -> target (the import path)` for every forbidden module a source reaches."""
    out = []
    for source in sources:
        for target in sorted(nx.descendants(graph, source)):
            if forbidden(target):
                path = " > ".join(nx.shortest_path(graph, source, target))
                out.append(f"{source} -> {target} ({path})")
    return out


def test_the_checker_reaches_no_planner_nor_the_simulation():
    # check.py must be able to catch the planners' bugs, so it may not share their code, even
    # through a third module; and the checker never uses the simulation
    graph = import_graph()
    checker = [n for n in graph if in_part(n, "planner.check", "planner.check_travel")]
    assert reached(graph, checker, lambda t: in_part(
        t, "planner.solve", "planner.baseline", "planner.simulate", "planner.robust")) == []


def test_scenario_calendar_and_network_know_no_solver_export_or_cli():
    graph = import_graph()
    lower = [n for n in graph
             if in_part(n, "planner.scenario", "planner.network", "planner.calendar")]
    assert reached(graph, lower, lambda t: in_part(
        t, "planner.solve", "planner.baseline", "planner.export", "planner.cli",
        "planner.cli_options", "planner.plan_check", "planner.plan", "planner.check")) == []
    known = modules()
    libraries = [f"{n}: {lib}" for n in lower for m in {n} | nx.descendants(graph, n)
                 for lib in external_imports(known[m]) & set(SOLVER_LIBRARIES + CLI_LIBRARIES)]
    assert libraries == []


def test_only_solve_imports_the_solver_libraries():
    outside = [f"{n}: {lib}" for n, p in modules().items() if not in_part(n, "planner.solve")
               for lib in external_imports(p) & set(SOLVER_LIBRARIES)]
    assert outside == []


# calls by which a module would print or write a file
PRINTING_CALLS = {"print", "open", "input", "breakpoint"}
WRITING_METHODS = {"write_text", "write_bytes", "to_csv", "to_excel", "to_parquet", "to_json",
                   "savefig", "mkdir", "touch", "unlink", "rmdir", "save", "dump"}


def test_solve_prints_nothing_and_writes_no_files():
    graph = import_graph()
    solve = [n for n in graph if in_part(n, "planner.solve")]
    found = reached(graph, solve, lambda t: in_part(
        t, "planner.export", "planner.cli", "planner.cli_options", "planner.plan_check"))
    known = modules()
    for name in solve:
        tree = ast.parse(known[name].read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                if isinstance(f, ast.Name) and f.id in PRINTING_CALLS:
                    found.append(f"{name}:{node.lineno}: {f.id}()")
                elif isinstance(f, ast.Attribute) and f.attr in WRITING_METHODS:
                    found.append(f"{name}:{node.lineno}: .{f.attr}()")
            elif isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr"):
                found.append(f"{name}:{node.lineno}: .{node.attr}")
        found += [f"{name}: imports {lib}" for lib in external_imports(known[name])
                  & {"click", "tqdm", "logging", "tempfile", "shutil", "pickle"}]
    assert found == []


def test_export_decides_nothing():
    # the writers read a Plan and a Scenario: they run no planner, simulation or checker
    graph = import_graph()
    export = [n for n in graph if in_part(n, "planner.export")]
    assert reached(graph, export, lambda t: in_part(
        t, "planner.solve", "planner.baseline", "planner.simulate", "planner.robust",
        "planner.sweep", "planner.many", "planner.keep", "planner.cli")) == []


def test_the_simulation_plans_nothing():
    # simulate.py judges a plan and never changes one (robust.py plans, then asks it)
    graph = import_graph()
    assert reached(graph, ["planner.simulate"], lambda t: in_part(
        t, "planner.solve", "planner.baseline", "planner.robust", "planner.keep",
        "planner.hand_plan")) == []
