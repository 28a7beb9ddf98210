"""Scenario text -> Scenario, with every problem located (no file access here).

YAML is read twice, both times safely: `yaml.compose` gives the node tree with line numbers,
`yaml.load` with a SafeLoader gives the data. Pydantic errors are then mapped back to lines.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable, Optional

import yaml
from pydantic import ValidationError

from ..notices import Notice
from .aliases import alias_expansion_problem
from .districts import canonical_districts
from .errors import Problem, ScenarioError
from .messages import RowProblem, fold_rows, validation_errors
from .model import Scenario
from .validate import cross_check, cross_warnings
from .yamltext import Loader, dotted, index_lines, parse_path, tabs_as_spaces, yaml_problem

# The one key `villages:` takes besides an inline list: a CSV or XLSX file.
VILLAGE_FILE_KEY = "file"


@dataclass(frozen=True)
class Rows:
    """Village rows read from a table: dicts plus where each came from."""

    rows: list[dict]
    file: str
    lines: list[int]
    warnings: tuple[Notice, ...] = ()


# A villages loader turns `villages: {file: ...}` into rows (the `load` module reads files).
VillagesLoader = Callable[[str], Rows]


def parse(text: str, source: str = "<scenario>",
          villages_loader: Optional[VillagesLoader] = None) -> Scenario:
    """Parse scenario YAML text. Raises ScenarioError listing every problem found; warns
    (FILE:LINE: field: message) about what is allowed but probably not meant."""
    text = tabs_as_spaces(text)
    bomb = alias_expansion_problem(text, source)
    if bomb is not None:
        raise ScenarioError([bomb])
    try:
        data = yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        raise ScenarioError([yaml_problem(exc, source, text)]) from None
    except RecursionError:
        raise ScenarioError([Problem(source, 1, "(top)", "nested too deeply to read")]) from None
    if not isinstance(data, dict):
        raise ScenarioError([Problem(source, 1, "(top)", "expected a mapping of scenario keys")])
    lines, dups = index_lines(text)
    problems: list[Problem] = [
        Problem(source, line, dotted(path), f"duplicate key {path[-1]!r} (first on line {first}); "
                "keep one")
        for path, line, first in dups]
    data, origin = _villages(data, source, lines, villages_loader, problems)
    where = _Locator(source, lines, origin)
    data, spellings = canonical_districts(data)

    if "source" in data:  # the parser's own field (where the scenario came from), not a key
        problems.append(Problem(source, lines.get(("source",), 1), "source",
                                "unknown key 'source' (the scenario's file is known already)"))
    data = {**data, "source": source}
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems + where.problems(validation_errors(exc, data, Scenario))) from None
    if problems:
        raise ScenarioError(problems)

    problems = where.problems([(parse_path(path), text) for path, text in cross_check(scenario)])
    if problems:
        raise ScenarioError(problems)
    found = spellings + [(parse_path(path), notice) for path, notice in cross_warnings(scenario)]
    for loc, notice in found:
        file, line = where.locate(loc)
        warnings.warn(notice.located(f"{file}:{line}: {dotted(loc)}"), stacklevel=2)
    return scenario


class _Locator:
    """Turns (location, message) into FILE:LINE problems: YAML keys by their line, village
    table cells by their file and row, many rows of one column folded into one line."""

    def __init__(self, source: str, lines: dict[tuple, int], origin: Optional[Rows]):
        self.source, self.lines, self.origin = source, lines, origin

    def problems(self, found: list[tuple[tuple, str]]) -> list[Problem]:
        out: list[Problem] = []
        cells: list[RowProblem] = []
        for loc, text in found:
            if self._row_of(loc) is not None and len(loc) == 3:
                cells.append(RowProblem(loc[1], str(loc[2]), self._row_of(loc), text))
                continue
            file, line = self.locate(loc)
            problem = Problem(file, line, dotted(loc), text)
            if problem not in out:
                out.append(problem)
        if cells:
            unique = list(dict.fromkeys(cells))
            out += fold_rows(self.origin.file, unique)
        return out

    def _row_of(self, loc: tuple) -> Optional[int]:
        """The file row of a village read from a table, or None."""
        if (self.origin is not None and len(loc) > 1 and loc[0] == "villages"
                and isinstance(loc[1], int) and loc[1] < len(self.origin.lines)):
            return self.origin.lines[loc[1]]
        return None

    def locate(self, loc: tuple) -> tuple[str, int]:
        if self.origin is not None and loc[:1] == ("villages",):
            row = self._row_of(loc)
            if row is not None:
                return self.origin.file, row
            return self.source, self.lines.get(("villages", VILLAGE_FILE_KEY),
                                               self.lines.get(("villages",), 1))
        for n in range(len(loc), -1, -1):
            if loc[:n] in self.lines:
                return self.source, self.lines[loc[:n]]
        return self.source, 1


def _villages(data: dict, source: str, lines: dict[tuple, int],
              villages_loader: Optional[VillagesLoader],
              problems: list[Problem]) -> tuple[dict, Optional[Rows]]:
    """Read `villages: {file: ...}` through the loader; inline lists stay as they are.
    Appends to `problems`; raises when no village list could be had."""
    vs = data.get("villages")
    if isinstance(vs, str):
        raise ScenarioError(problems + [Problem(
            source, lines.get(("villages",), 1), "villages",
            f"expected an inline list of villages or a file: write `villages: {{file: {vs}}}`")])
    if not isinstance(vs, dict):
        return data, None
    extra = sorted(set(vs) - {VILLAGE_FILE_KEY})
    if extra:
        problems.append(Problem(source, lines.get(("villages", extra[0]), 1), f"villages.{extra[0]}",
                                "unknown key; expected `file:` or an inline list of villages"))
    path = vs.get(VILLAGE_FILE_KEY)
    file_line = lines.get(("villages", VILLAGE_FILE_KEY), 1)
    origin = None
    if not isinstance(path, str) or not path:
        problems.append(Problem(source, lines.get(("villages",), 1), "villages.file",
                                "expected the path of a CSV or XLSX file"))
    elif villages_loader is None:
        problems.append(Problem(source, file_line, "villages.file",
                                "village files can only be read by load_scenario(path)"))
    else:
        try:
            origin = villages_loader(path)
        except ScenarioError as exc:
            problems += [p if p.file != "?" else Problem(source, file_line, p.path, p.message)
                         for p in exc.problems]
    if origin is None:
        raise ScenarioError(problems)
    return {**data, "villages": origin.rows}, origin
