"""Warnings for the planner, in the run's language: input that is allowed but probably not
meant, actuals beyond the scenario's figures, plan folders a batch did not write.

The loaders and the re-planning from actuals warn through Python's `warnings` with a `Notice`
(a batch returns its folder notices).
Its `str()` is English (notebooks, logs, `pytest.warns`); the command line prints
`notice_line(message, lang)`, so a planner running `--lang id` reads the warning in Bahasa
Indonesia like every other line of the run. A notice keeps its words and its fields apart
until it is shown, since the scenario is read before anyone knows the language.
"""
from __future__ import annotations

from typing import Any

WARNING_WORD = {"id": "peringatan", "en": "warning"}

# key -> language -> template over the notice's fields
TEMPLATES: dict[str, dict[str, str]] = {
    "crew_never_out": {
        "en": "crew {crew} is more than every staff level ({most}): unit {unit!r} can never go "
              "out, and the plan leaves it at its base",
        "id": "awak {crew} orang, lebih dari jumlah petugas pada hari mana pun ({most}): unit "
              "{unit!r} tidak pernah bisa berangkat, dan rencana membiarkannya di pangkalannya",
    },
    "column_ignored": {
        "en": "column {column!r} is not in the contract; ignored",
        "id": "kolom {column!r} tidak dikenal; diabaikan",
    },
    "header_below_title": {
        "en": "the header (the row naming `id`) was found on row {row}; the {above} row(s) "
              "above it are ignored",
        "id": "baris judul kolom (yang memuat `id`) ada di baris {row}; {above} baris di "
              "atasnya diabaikan",
    },
    "overtime_over_budget": {
        "en": "{used} actual overtime unit-days, more than the budget of {budget}; no overtime "
              "is left",
        "id": "{used} hari-unit lembur sudah terpakai, lebih dari anggaran {budget}; tidak ada "
              "lembur tersisa",
    },
    "earlier_plan_failed": {
        "en": "{folder}/ holds an earlier plan, not this run's: {name} has no new plan this "
              "time (see summary.csv)",
        "id": "{folder}/ masih berisi rencana sebelumnya, bukan rencana kali ini: {name} tidak "
              "mendapat rencana baru kali ini (lihat summary.csv)",
    },
    "earlier_plan_absent": {
        "en": "{folder}/ holds an earlier plan, not this run's: {name} is not among this run's "
              "scenarios",
        "id": "{folder}/ masih berisi rencana sebelumnya, bukan rencana kali ini: {name} tidak "
              "termasuk skenario yang direncanakan kali ini",
    },
    "recorded_over_backlog": {
        "en": "village {village} ({name}): {done} actually recorded, more than its backlog of "
              "{backlog}; its backlog is now 0 (the estimate was low)",
        "id": "desa {village} ({name}): {done} orang benar-benar direkam, lebih dari "
              "{backlog} yang belum terekam; sisanya kini 0 (perkiraannya terlalu rendah)",
    },
}


class Notice(UserWarning):
    """One warning: a template `key`, where it applies (`FILE:LINE: field.path`, a file, or
    empty) and the values the template names."""

    def __init__(self, key: str, where: str = "", **fields: Any):
        if key not in TEMPLATES:
            raise KeyError(f"no notice {key!r}")
        super().__init__(key, where, fields)
        self.key, self.where, self.fields = key, where, fields

    def located(self, where: str) -> "Notice":
        """The same notice at `where` (a loader knows the field, its caller the file)."""
        return Notice(self.key, where, **self.fields)

    def text(self, lang: str = "en") -> str:
        body = TEMPLATES[self.key][lang].format(**self.fields)
        return f"{self.where}: {body}" if self.where else body

    def __str__(self) -> str:
        return self.text("en")

    def __reduce__(self):  # picklable across processes despite the keyword fields
        return (_rebuild, (self.key, self.where, self.fields))


def _rebuild(key: str, where: str, fields: dict) -> Notice:
    return Notice(key, where, **fields)


def notice_line(message: Warning | str, lang: str = "id") -> str:
    """`warning: ...` (`peringatan: ...`) as the command line prints it; a warning that is not
    a `Notice` (from a library) keeps its own words."""
    text = message.text(lang) if isinstance(message, Notice) else str(message)
    return f"{WARNING_WORD[lang]}: {text}"
