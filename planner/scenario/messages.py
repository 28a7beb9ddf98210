"""Pydantic's validation errors in a district planner's words, and the same problem on many
rows of a village table folded into one line."""
from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Optional

from pydantic import BaseModel, ValidationError

from .errors import FieldProblem, Problem
from .yamltext import dotted, value_at

SHOWN_ROWS = 20  # row numbers or runs of rows (12-40) listed in a folded line
_VARYING = re.compile(r"\(got [^)]*\)|'[^']*'|\"[^\"]*\"|\d+")


def field_names(model: type[BaseModel]) -> list[str]:
    """The keys a model accepts, as the file writes them (`from`, not `from_`)."""
    return [f.alias or name for name, f in model.model_fields.items() if not f.exclude]


def model_at(root: type[BaseModel], loc: tuple) -> Optional[type[BaseModel]]:
    """The model class that holds the field at `loc` (for listing the keys it expects)."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        fields = {(f.alias or n): f for n, f in model.model_fields.items()}
        if part not in fields:
            return None
        model = model_type(fields[part].annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def model_type(annotation: Any) -> Any:
    """The model inside an annotation such as `Optional[Window]` or `tuple[Unit, ...]`, or
    the innermost plain type when there is none."""
    ann = annotation
    for _ in range(4):
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            return ann
        args = [a for a in typing.get_args(ann) if a is not type(None) and a is not Ellipsis]
        if not args:
            return ann
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        ann = models[0] if models else args[-1]
    return ann


def message(err: dict, root: type[BaseModel]) -> str:
    """One pydantic error as a sentence saying what is wrong and what is expected."""
    kind, loc = err["type"], tuple(err["loc"])
    if kind == "extra_forbidden":
        parent = model_at(root, loc[:-1])
        expected = f"; expected one of: {', '.join(field_names(parent))}" if parent else ""
        return f"unknown key {loc[-1]!r}{expected}"
    if kind == "missing":
        return "required field is missing"
    if kind in ("model_type", "dict_type"):
        model = model_at(root, loc)
        keys = f" with keys {', '.join(field_names(model))}" if model else ""
        return f"expected a mapping{keys} (got {shown(err.get('input'))})"
    if kind in ("tuple_type", "list_type"):
        return f"expected a list (got {shown(err.get('input'))})"
    if kind == "too_short":
        return "expected at least one entry; the list is empty"
    if kind == "string_type" and len(loc) == 3 and loc[0] == "units" and loc[2] in ("base", "end"):
        return (f"expected the id of a place (got {shown(err.get('input'))}): add the place under "
                "`places` with its id, lat and lon, and write that id here")
    hint = _number_hint(kind, loc, err.get("input"))
    if hint is not None:
        return hint
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    if "input" in err and kind not in ("value_error",) and not isinstance(err["input"], (dict, list)):
        msg += f" (got {shown(err['input'])})"
    return msg


_GROUPED = re.compile(r"^\s*\d{1,3}([.,]\d{3})+\s*$")  # 1.320 or 12,500: digits in thousands
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d*,\d+\s*$")  # -8,6480


_PERCENT = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*%\s*$")  # 50%
_WITH_UNIT = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(km/jam|km/j|km/h|kmh|kph|menit|mnt|min|minutes|"
                        r"orang|org|jiwa|people|hari|days?|unit|kit)\.?\s*$", re.IGNORECASE)
# 8°42'S, 116°27'30"E, 8° 42' LS (lintang selatan), 116°27' BT (bujur timur)
_DMS = re.compile(r"^\s*(\d{1,3})\s*°\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*['′]\s*)?"
                  r"(?:(\d{1,2}(?:[.,]\d+)?)\s*(?:\"|″|'')\s*)?(N|S|E|W|LU|LS|BT|BB)\s*$",
                  re.IGNORECASE)
_SHARES = {"turnout", "goal", "yellow", "green", "red"}  # keys written as a share from 0 to 1


def _limit(value: Any) -> Optional[float]:
    """A share written as a percentage (50 for 0.5): the number, or None."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and 1 < value <= 100:
        return float(value)
    return None


def _number_hint(kind: str, loc: tuple, value: Any) -> Optional[str]:
    """The common ways a spreadsheet writes a number that is not read as one, said with the
    fix: a latitude beyond +-90 (lat and lon swapped), a thousands separator in a count, a
    decimal comma where cells are not split by `;`."""
    field = loc[-1] if loc else None
    if field in ("lat", "lon") and kind in ("less_than_equal", "greater_than_equal"):
        limit = 90 if field == "lat" else 180
        return (f"a {'latitude' if field == 'lat' else 'longitude'} is from -{limit} to {limit} "
                f"(got {shown(value)}): are lat and lon swapped? lat is north-south (Indonesia: "
                "-11 to 6, south negative), lon east-west (Indonesia: 95 to 141)")
    if (kind == "less_than_equal" and (percent_given := _limit(value)) is not None
            and field in _SHARES):
        return (f"at most 1 (got {shown(value)}): a share is written as a decimal, "
                f"{percent_given:g} % is {percent_given / 100:g}")
    if not isinstance(value, str):
        return None
    dms = _DMS.match(value)
    if dms and field in ("lat", "lon") and kind == "float_parsing":
        degrees, minutes, seconds, side = dms.groups()
        decimal = float(degrees) + float((minutes or '0').replace(',', '.')) / 60 + float((seconds or '0').replace(',', '.')) / 3600
        decimal = -decimal if side.upper() in ("S", "W", "LS", "BB") else decimal
        written = f"{decimal:.6f}".rstrip("0").rstrip(".")
        south = " (south of the equator is negative)" if field == "lat" else ""
        return f"expected decimal degrees (got {shown(value)}): write {written}{south}"
    percent = _PERCENT.match(value)
    if percent and kind in ("float_parsing", "decimal_parsing"):
        share = float(percent.group(1).replace(",", ".")) / 100
        return f"expected a number (got {shown(value)}): a share is written as a decimal, {share:g}"
    unit = _WITH_UNIT.match(value)
    if unit and kind in ("float_parsing", "decimal_parsing", "int_parsing"):
        return f"expected a number (got {shown(value)}): write the number alone, {unit.group(1)}"
    if kind in ("int_parsing", "int_from_float") and _GROUPED.match(value):
        digits = re.sub(r"[.,\s]", "", value)
        return (f"expected a whole number (got {shown(value)}): write it without a thousands "
                f"separator, {digits}")
    if kind in ("float_parsing", "decimal_parsing") and _DECIMAL_COMMA.match(value):
        return (f"expected a number (got {shown(value)}): write the decimal mark as a point, "
                f"{value.strip().replace(',', '.')} (a comma is read as one only in a CSV file "
                "whose cells are split by `;`)")
    return None


def shown(value: Any) -> str:
    """A user's value as they wrote it (1.5, not Decimal('1.5'))."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


@dataclass(frozen=True)
class RowProblem:
    """A problem in one cell of a village table: the village's index, its column, the row
    (line) of the file and the message."""

    index: int
    column: str
    line: int
    message: str


def _row_list(lines: list[int]) -> str:
    """'42, 59-60, 81': every row to mend, consecutive rows as one run, so that a planner
    need not run `--check` again to find the rest; after SHOWN_ROWS runs, how many more."""
    runs: list[list[int]] = []
    for line in sorted(set(lines)):
        if runs and line == runs[-1][1] + 1:
            runs[-1][1] = line
        else:
            runs.append([line, line])
    shown = [str(a) if a == b else f"{a}-{b}" for a, b in runs[:SHOWN_ROWS]]
    rest = sum(b - a + 1 for a, b in runs[SHOWN_ROWS:])
    return ", ".join(shown) + (f", and {rest} more" if rest else "")


def fold_rows(file: str, found: list[RowProblem]) -> list[Problem]:
    """One line per (column, kind of problem): a column wrong on 520 rows is one line with
    the count and the first rows, not 520 lines. A problem on one row keeps its own line."""
    groups: dict[tuple[str, str], list[RowProblem]] = {}
    for p in found:
        groups.setdefault((p.column, _VARYING.sub("", p.message)), []).append(p)
    out = []
    for (column, _), items in groups.items():
        first = items[0]
        if len(items) == 1:
            out.append(Problem(file, first.line, f"villages[{first.index}].{column}",
                               first.message))
            continue
        rows = _row_list([p.line for p in items])
        out.append(Problem(file, first.line, f"villages.{column}",
                           f"{len(items)} rows ({rows}) have this problem; row {first.line}: "
                           f"{first.message}"))
    return out


def validation_errors(exc: ValidationError, data: dict, root: type[BaseModel]
                      ) -> list[tuple[tuple, str]]:
    """(location, message) of every error of validating `data` as `root` (the Scenario) that
    is not merely caused by another, in a district planner's words."""
    errors = exc.errors()
    locs = [tuple(e["loc"]) for e in errors]
    out = []
    for err in errors:
        loc = tuple(err["loc"])
        if any(other != loc and other[:len(loc)] == loc for other in locs):
            continue  # a container error caused by an error inside it
        # errors inside a `before` validator of a union/tuple carry type tags: drop them
        loc = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, FieldProblem):
            loc = loc + (cause.field,)
        if loc and loc[-1] in ("from", "to"):
            parent = value_at(data, loc[:-1])
            if not isinstance(parent, dict):
                loc = loc[:-1]  # a plain date stands for {from: d, to: d}: one problem, not two
            elif loc[-1] not in parent and "date" in parent:
                loc = loc[:-1] + ("date",)  # {date: d} stands for {from: d, to: d}
        out.append((loc, message(err, root)))
    return out


def refusal(exc: ValidationError, data: dict, root: type[BaseModel]) -> ValueError:
    """`Scenario.replace`'s refusal of a variant: one `field.path: message` per problem, in
    the words a scenario file's problems get, on one line."""
    return ValueError("; ".join(f"{dotted(loc)}: {text}"
                                for loc, text in validation_errors(exc, data, root)))
