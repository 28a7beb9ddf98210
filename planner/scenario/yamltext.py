"""Scenario YAML as text: a safe loader, syntax errors located where the user must look, and
the line of every key path (for FILE:LINE in every message)."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import yaml

from .errors import Problem


class Loader(yaml.SafeLoader):
    """SafeLoader that keeps an impossible date (2024-02-30) as text for the schema to report
    at its field, instead of raising a bare ValueError from the YAML layer, and numbers with
    the text they were written as (an unquoted id `0012` is the id 0012, not 10)."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_yaml_int(self, node):
        return _written(WrittenInt, super().construct_yaml_int(node), node)

    def construct_yaml_float(self, node):
        return _written(WrittenFloat, super().construct_yaml_float(node), node)


class WrittenInt(int):
    """An unquoted YAML integer that remembers how it was written: `0012` is the int 10 (YAML
    reads a leading 0 as octal), `12:30` the int 750 (base 60); as an id or a name it is the
    text the office typed (`written_text`)."""
    written: str


class WrittenFloat(float):
    """An unquoted YAML float that remembers how it was written (`18.10` is 18.1)."""
    written: str


def _written(kind, value, node):
    out = kind(value)
    out.written = node.value
    return out


def written_text(value) -> str:
    """A number read from the YAML as the text written in the file (`0012`, not `10`); any
    other number as Python writes it (a spreadsheet cell's 1809012001)."""
    return getattr(value, "written", None) or str(value)


def written_id(value):
    """An id as text: a number as written in the file (`written_text`); a yes/no value or a
    date (what YAML makes of an unquoted `yes`, `on`, `TRUE` or `2024-01-05`, or a
    spreadsheet's TRUE or date cell) refused, saying to quote it; text in Unicode's composed
    form (NFC: `é` typed as e and an accent on one keyboard is `é` on another, and they must
    match across files). Anything else is returned for the schema to judge."""
    if isinstance(value, bool):
        raise ValueError("read as true or false, not as text (an unquoted yes, no, on, off, true "
                         'or false in the YAML, a TRUE cell in a table): write this id in quotes '
                         '("yes") or as a text cell')
    if isinstance(value, dt.date):
        day = (value.date() if isinstance(value, dt.datetime) else value).isoformat()
        raise ValueError(f"read as the date {day}, not as text (an unquoted date in the YAML, a "
                         f'date cell in a table): write this id in quotes ("{day}") or as a '
                         "text cell")
    if isinstance(value, (int, float)):
        return written_text(value)
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_timestamp)
Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_yaml_int)
Loader.add_constructor("tag:yaml.org,2002:float", Loader.construct_yaml_float)


# Tabs that YAML reads as spaces but PyYAML refuses ("found character '\t' that cannot start
# any token"): at a line's end, between a key's colon and its value, before a comment.
_TRAILING_TAB = re.compile(r"[ \t]*\t[ \t]*$", re.M)
_TAB_AFTER_KEY = re.compile(r"^([ ]*(?:-[ ]+)?[A-Za-z_][A-Za-z0-9_]*:)[ \t]*\t[ \t]*(?=\S)", re.M)
_TAB_BEFORE_COMMENT = re.compile(r"^([^'\"#\n]*\S)[ \t]*\t[ \t]*(?=#)", re.M)


def tabs_as_spaces(text: str) -> str:
    """`text` with the tabs YAML allows as separating blanks written as spaces: a tab an
    editor left at a line's end, or put after `key:` or before a `# comment` to line values
    up, is invisible, and refusing the file for it is no help. A tab in the indentation
    stays (YAML forbids it; `yaml_problem` says so), as does one inside quotes. Lines keep
    their numbers."""
    if "\t" not in text:
        return text
    text = _TRAILING_TAB.sub("", text)
    text = _TAB_AFTER_KEY.sub(r"\1 ", text)
    return _TAB_BEFORE_COMMENT.sub(r"\1 ", text)


def yaml_problem(exc: yaml.YAMLError, source: str, text: str = "") -> Problem:
    """Locate a syntax error where the broken construct starts (an unclosed `[` or quote),
    which is where the user must look; the parser only notices it later. A line indented out
    of its block is located at that line (`_misindented`; the parser names the block's start,
    often the file's first line). A character YAML does not allow (a NUL, a control
    character) is located by its position in `text`."""
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[:exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return Problem(source, line, "(yaml)",
                       f"not valid YAML: character U+{code:04X} in column {column} is "
                       "not allowed in a YAML file (a control character; remove it, or save "
                       "the file again as plain UTF-8 text)")
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    glued = _glued_key(text, [m.line for m in (context_mark, problem_mark) if m is not None])
    if glued is not None:
        line, key, value = glued
        return Problem(source, line + 1, "(yaml)", (
            f"not valid YAML: a space is missing after the colon of `{key}:{value}`; write "
            f"`{key}: {value}`"))
    problem = getattr(exc, "problem", None) or str(exc)
    if "'\\t'" in problem and problem_mark is not None:  # a tab where YAML wants spaces
        lines = text.split("\n")
        before = lines[problem_mark.line][:problem_mark.column] \
            if problem_mark.line < len(lines) else ""
        if before.strip():  # after a value (`name: Desa\tA`) or inside [...] / {...}
            return Problem(source, problem_mark.line + 1, "(yaml)", (
                f"not valid YAML: a tab in column {problem_mark.column + 1}, after "
                f"`{before.strip()}`; write a space instead (a tab is read only inside quotes "
                "or in a comment)"))
        return Problem(source, problem_mark.line + 1, "(yaml)", (
            "not valid YAML: a tab in the indentation; indent with spaces (2 a level), not "
            "tabs (an editor's 'convert tabs to spaces' does it)"))
    mark = problem_mark
    where = ""
    context = getattr(exc, "context", None) or ""
    if "unhashable key" in problem and problem_mark is not None:  # `[a]: b`: at the key
        return Problem(source, problem_mark.line + 1, "(yaml)", (
            "not valid YAML: a key that is a list or a mapping (`[a]: b`, `{a: 1}: b`); a key "
            "is a name, such as `villages:`"))
    if "block" in context and problem_mark is not None:  # a line indented out of its block
        mark = _misindented(text, problem_mark.line) or context_mark or problem_mark
        where = " (check this line's indentation against the lines above it)"
    elif context_mark is not None and (problem_mark is None
                                       or context_mark.line < problem_mark.line):
        mark = context_mark
        if context:
            where = f" ({context} that starts here"
            where += f"; noticed on line {problem_mark.line + 1})" if problem_mark else ")"
    line = mark.line + 1 if mark else 1
    return Problem(source, line, "(yaml)", f"not valid YAML: {problem}{where}")


_GLUED_KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*):([^\s:/][^\s]*)\s*(?:#.*)?$")


def _glued_key(text: str, marked: list[int]) -> tuple[int, str, str] | None:
    """(line, key, value) of a `key:value` line written without the space YAML needs, on or
    just above the lines the parser marked (it notices one on the line after); None if none."""
    lines = text.split("\n")
    for n in sorted({m - d for m in marked for d in (0, 1) if 0 <= m - d < len(lines)}):
        found = _GLUED_KEY.match(lines[n])
        if found:
            return n, found.group(1), found.group(2)
    return None


def _misindented(text: str, last: int) -> yaml.Mark | None:
    """The first line up to `last` (0-based) whose indentation no open block explains: one
    that goes back to a column no block above it has, or one indented deeper under a line
    that opens nothing (not a `key:`, nor a list item's first key), where it is the block's
    first line that is off the file's step (one space short) rather than this one. The parser
    reports such a line at the enclosing block's start, or where a later line no longer fits."""
    lines = [(n, re.sub(r"(^|\s)#.*$", "", line).rstrip())
             for n, line in enumerate(text.split("\n"))]
    lines = [(n, code, len(code) - len(code.lstrip(" "))) for n, code in lines if code.strip()]
    indents = [i for _, _, i in lines if i]
    step = 2 if indents and sum(i % 2 == 0 for i in indents) >= 0.9 * len(indents) else 1
    levels, opens = [(0, 0)], True  # (column, line that opened it)
    for n, code, indent in (line for line in lines if line[0] <= last):
        back = indent < levels[-1][0]
        while len(levels) > 1 and indent < levels[-1][0]:
            levels.pop()
        if indent > levels[-1][0]:
            at = n
            if not back and not opens and indent % step == 0 and levels[-1][0] % step:
                at = levels[-1][1]  # the block's first line is the one off the step
            if back or not opens:
                return yaml.Mark("", 0, at, indent, None, None)
            levels.append((indent, n))
        item = re.match(r"(\s*-\s+)", code)
        if item and len(item.group(1)) > levels[-1][0]:  # a list item's keys stand at its text
            levels.append((len(item.group(1)), n))
        opens = code.endswith((":", "|", ">", "[", "{", ",")) or code.lstrip() == "-"
    return None


def index_lines(text: str) -> tuple[dict[tuple, int], list[tuple[tuple, int, int]]]:
    """The 1-based line of every key path, e.g. ("units", 0, "base"), and (key path, line,
    line of the first occurrence) for every key repeated in a mapping: YAML keeps the last
    silently, which would hide a typo or a pasted block."""
    out: dict[tuple, int] = {}
    dups: list[tuple[tuple, int, int]] = []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return out, dups
    constructor = Loader("")

    def key_of(node):
        """The key as safe_load sees it (`1:` is the int 1, `true:` a bool), so that a
        message about a key that is not text finds its line."""
        if node.tag == "tag:yaml.org,2002:str" or not isinstance(node, yaml.ScalarNode):
            return node.value
        try:
            return constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError):
            return node.value

    def walk(node, path):
        out.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for k, v in node.value:
                key = key_of(k)
                try:
                    hash(key)
                except TypeError:  # a mapping or list as a key: reported by the schema
                    key = str(key)
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


def value_at(data: Any, loc: tuple) -> Any:
    """The raw value at `loc` in the loaded YAML (None when absent)."""
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def parse_path(path: str) -> tuple:
    out: list = []
    for part in path.replace("]", "").split("."):
        name, *idx = part.split("[")
        out.append(name)
        out.extend(int(i) for i in idx)
    return tuple(out)
