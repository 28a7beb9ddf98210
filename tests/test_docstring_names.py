"""The code's own names in docstrings and comments exist: a backticked `planner.module.name`
names a module of the package and something it defines or imports, and a backticked
`Class.member` of a class of the package names one of its methods, fields or attributes
(checked over the syntax trees, so a rename that leaves a docstring behind fails here)."""
from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

from tests.test_structure import modules

TICKED = re.compile(r"`([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?:\(\))?`")


def texts(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every docstring and comment of a module."""
    source = path.read_text()
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            if ast.get_docstring(node, clean=False) is not None:
                out.append((node.body[0].lineno, node.body[0].value.value))
    out += [(t.start[0], t.string) for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type == tokenize.COMMENT]
    return out


def top_names(tree: ast.Module) -> set[str]:
    """What a module defines or imports at its top level (or under a top-level `if`/`try`)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            out |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
    return out


def package_classes(name: str, tree: ast.Module, trees: dict[str, ast.Module]) -> set[str]:
    """The package's classes a module can mean by a bare class name: its own, those it imports
    from the package, and those of the modules beside it (a Dask `Client` in a module that
    imports no `Client` of the package is not the day-route engine's)."""
    out = {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith(
                "planner")):
            out |= {a.asname or a.name for a in node.names}
    package = name.rsplit(".", 1)[0]
    for other, other_tree in trees.items():
        if other.rsplit(".", 1)[0] == package:
            out |= {n.name for n in other_tree.body if isinstance(n, ast.ClassDef)}
    return out


def class_members(trees: dict[str, ast.Module]) -> dict[str, list[set[str]]]:
    """Class name -> the member names of each class of that name (methods, fields, class
    attributes, `self.x` set in its methods), with those of its bases of the package."""
    found: dict[str, list[tuple[set[str], list[str]]]] = {}
    for tree in trees.values():
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            members = set()
            for node in ast.walk(cls):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    members.add(node.name)
                elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    members.add(node.id)
                elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                    members.add(node.attr)
            bases = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in cls.bases]
            found.setdefault(cls.name, []).append((members, bases))

    def closed(name: str, seen: frozenset = frozenset()) -> list[set[str]]:
        out = []
        for members, bases in found.get(name, []):
            whole = set(members)
            for base in bases:
                if base in found and base not in seen:
                    whole |= set().union(*closed(base, seen | {name}))
                elif base not in found:
                    whole.add("*")  # a class from outside the package: anything may be its
            out.append(whole)
        return out

    return {name: closed(name) for name in found}


def test_ticked_names_of_the_package_exist():
    known = modules()
    trees = {name: ast.parse(path.read_text()) for name, path in known.items()}
    names = {name: top_names(tree) for name, tree in trees.items()}
    classes = class_members(trees)
    stale = []
    for name, path in known.items():
        mine = package_classes(name, trees[name], trees)
        for line, text in texts(path):
            for ticked in TICKED.findall(text):
                parts = ticked.split(".")
                where = f"{path.relative_to(path.parents[1])}:{line}: `{ticked}`"
                if parts[0] == "planner":
                    depth = max(i for i in range(1, len(parts) + 1)
                                if ".".join(parts[:i]) in known)
                    rest = parts[depth:]
                    if rest and rest[0] not in names[".".join(parts[:depth])]:
                        stale.append(where)
                elif parts[0] in classes and parts[0] in mine and len(parts) == 2:
                    if not any(parts[1] in m or "*" in m for m in classes[parts[0]]):
                        stale.append(where)
    assert stale == []
