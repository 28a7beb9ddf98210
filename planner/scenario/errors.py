"""Problems in the input, located as FILE:LINE: field.path: message."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return one_line(f"{self.file}:{self.line}: {self.path}: {self.message}")


def one_line(text: str) -> str:
    """`text` with its line breaks and other control characters escaped (a value quoted
    in a message may hold them), so that one problem stays one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class ScenarioError(ValueError):
    """One or more problems in a scenario; `str()` gives one line per problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.path))
        super().__init__("\n".join(str(p) for p in self.problems))


class FieldProblem(ValueError):
    """A model-level check that belongs to one field; the parser reports it at `field`."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
