"""Scenario text -> Scenario, with every problem located (no file access here).

YAML is read twice, both times safely: `yaml.compose` gives the node tree with line numbers,
`yaml.safe_load` gives the data. Pydantic errors are then mapped back to lines.
"""
from __future__ import annotations

import typing
from decimal import Decimal
from dataclasses import dataclass
from typing import Any, Callable, Optional

import yaml
from pydantic import BaseModel, ValidationError

from .errors import Problem, ScenarioError
from .model import FieldProblem, Scenario
from .validate import cross_check


@dataclass(frozen=True)
class Rows:
    """Village rows read from a table: dicts plus where each came from."""

    rows: list[dict]
    file: str
    lines: list[int]
    warnings: tuple[str, ...] = ()


# A villages loader turns `villages: {file: ...}` into rows (the `load` module reads files).
VillagesLoader = Callable[[str], Rows]


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps an impossible date (2024-02-30) as text for the schema to report
    at its field, instead of raising a bare ValueError from the YAML layer."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _yaml_problem(exc: yaml.YAMLError, source: str) -> Problem:
    """Locate a syntax error where the broken construct starts (an unclosed `[` or quote),
    which is where the user must look; the parser only notices it later."""
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    mark = problem_mark
    where = ""
    if context_mark is not None and (problem_mark is None or context_mark.line < problem_mark.line):
        mark = context_mark
        context = getattr(exc, "context", None)
        if context:
            where = f" ({context} that starts here"
            where += f"; noticed on line {problem_mark.line + 1})" if problem_mark else ")"
    line = mark.line + 1 if mark else 1
    return Problem(source, line, "(yaml)", f"not valid YAML: {problem}{where}")


def line_map(text: str) -> dict[tuple, int]:
    """Map every key path, e.g. ("units", 0, "base"), to its 1-based line."""
    return _index(text)[0]


def duplicate_keys(text: str) -> list[tuple[tuple, int, int]]:
    """(key path, line, line of the first occurrence) for every key repeated in a mapping:
    YAML keeps the last silently, which would hide a typo or a pasted block."""
    return _index(text)[1]


def _index(text: str) -> tuple[dict[tuple, int], list[tuple[tuple, int, int]]]:
    out: dict[tuple, int] = {}
    dups: list[tuple[tuple, int, int]] = []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return out, dups

    def walk(node, path):
        out.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for k, v in node.value:
                key = k.value
                if key in seen:
                    dups.append((path + (key,), k.start_mark.line + 1, seen[key]))
                    continue  # lines point at the first; safe_load keeps the last (reported)
                seen[key] = k.start_mark.line + 1
                out[path + (key,)] = k.start_mark.line + 1
                walk_child(v, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                out[path + (i,)] = item.start_mark.line + 1
                walk_child(item, path + (i,))

    def walk_child(node, path):
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            walk(node, path)

    if root is not None:
        walk(root, ())
    return out, dups


def dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top)"


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items() if not f.exclude]


def _model_at(loc: tuple) -> Optional[type[BaseModel]]:
    """The model class that holds the field at `loc` (for listing the keys it expects)."""
    model: Any = Scenario
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        fields = {(f.alias or n): f for n, f in model.model_fields.items()}
        if part not in fields:
            return None
        model = _unwrap(fields[part].annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(ann: Any) -> Any:
    for _ in range(4):
        args = [a for a in typing.get_args(ann) if a is not type(None) and a is not Ellipsis]
        if not args:
            return ann
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        ann = models[0] if models else args[-1]
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            return ann
    return ann


def _message(err: dict) -> str:
    kind, loc = err["type"], tuple(err["loc"])
    if kind == "extra_forbidden":
        parent = _model_at(loc[:-1])
        expected = f"; expected one of: {', '.join(_field_names(parent))}" if parent else ""
        return f"unknown key {loc[-1]!r}{expected}"
    if kind == "missing":
        return "required field is missing"
    if kind in ("model_type", "dict_type"):
        model = _model_at(loc)
        keys = f" with keys {', '.join(_field_names(model))}" if model else ""
        return f"expected a mapping{keys} (got {_shown(err.get('input'))})"
    if kind in ("tuple_type", "list_type"):
        return f"expected a list (got {_shown(err.get('input'))})"
    if kind == "too_short":
        return "expected at least one entry; the list is empty"
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    if "input" in err and kind not in ("value_error",) and not isinstance(err["input"], (dict, list)):
        msg += f" (got {_shown(err['input'])})"
    return msg


def _shown(value: Any) -> str:
    """A user's value as they wrote it (1.5, not Decimal('1.5'))."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def parse(text: str, source: str = "<scenario>",
          villages_loader: Optional[VillagesLoader] = None) -> Scenario:
    """Parse scenario YAML text. Raises ScenarioError listing every problem found."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ScenarioError([_yaml_problem(exc, source)]) from None
    if not isinstance(data, dict):
        raise ScenarioError([Problem(source, 1, "(top)", "expected a mapping of scenario keys")])
    lines, dups = _index(text)
    problems: list[Problem] = [
        Problem(source, line, dotted(path), f"duplicate key {path[-1]!r} (first on line {first}); "
                "keep one")
        for path, line, first in dups]

    # Where each village came from: inline (YAML lines) or a table (its own file and rows).
    village_origin: Optional[Rows] = None
    vs = data.get("villages")
    if isinstance(vs, str):
        raise ScenarioError(problems + [Problem(
            source, lines.get(("villages",), 1), "villages",
            f"expected an inline list of villages or a file: write `villages: {{file: {vs}}}`")])
    if isinstance(vs, dict):
        extra = set(vs) - {"file"}
        if extra:
            problems.append(Problem(source, lines.get(("villages", sorted(extra)[0]), 1),
                                    f"villages.{sorted(extra)[0]}",
                                    "unknown key; expected `file:` or an inline list of villages"))
        path = vs.get("file")
        if not isinstance(path, str) or not path:
            problems.append(Problem(source, lines.get(("villages",), 1), "villages.file",
                                    "expected the path of a CSV or XLSX file"))
        elif villages_loader is None:
            problems.append(Problem(source, lines.get(("villages", "file"), 1), "villages.file",
                                    "village files can only be read by load_scenario(path)"))
        else:
            try:
                village_origin = villages_loader(path)
            except ScenarioError as exc:
                for p in exc.problems:
                    problems.append(p if p.file != "?" else
                                    Problem(source, lines.get(("villages", "file"), 1), p.path, p.message))
            else:
                data = {**data, "villages": village_origin.rows}
        if village_origin is None:
            raise ScenarioError(problems)

    def locate(loc: tuple) -> tuple[str, int]:
        if village_origin is not None and loc[:1] == ("villages",):
            if len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(village_origin.lines):
                return village_origin.file, village_origin.lines[loc[1]]
            return source, lines.get(("villages", "file"), lines.get(("villages",), 1))
        for n in range(len(loc), -1, -1):
            if loc[:n] in lines:
                return source, lines[loc[:n]]
        return source, 1

    data = {**data, "source": source}
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        locs = [tuple(e["loc"]) for e in errors]
        for err in errors:
            loc = tuple(err["loc"])
            if any(other != loc and other[:len(loc)] == loc for other in locs):
                continue  # a container error caused by an error inside it
            # errors inside a `before` validator of a union/tuple carry type tags: drop them
            loc = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))
            cause = (err.get("ctx") or {}).get("error")
            if isinstance(cause, FieldProblem):
                loc = loc + (cause.field,)
            if loc and loc[-1] in ("from", "to") and not isinstance(_at(data, loc[:-1]), dict):
                loc = loc[:-1]  # a plain date stands for {from: d, to: d}: one problem, not two
            file, line = locate(loc)
            problem = Problem(file, line, dotted(loc), _message(err))
            if problem not in problems:
                problems.append(problem)
        raise ScenarioError(problems) from None
    if problems:
        raise ScenarioError(problems)

    for path, message in cross_check(scenario):
        loc = _parse_path(path)
        file, line = locate(loc)
        problems.append(Problem(file, line, path, message))
    if problems:
        raise ScenarioError(problems)
    return scenario


def _at(data: Any, loc: tuple) -> Any:
    """The raw value at `loc` in the loaded YAML (None when absent)."""
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _parse_path(path: str) -> tuple:
    out: list = []
    for part in path.replace("]", "").split("."):
        name, *idx = part.split("[")
        out.append(name)
        out.extend(int(i) for i in idx)
    return tuple(out)
