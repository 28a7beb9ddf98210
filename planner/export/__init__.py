"""Writers: one module per output file of DESIGN §4. They read a Plan and decide nothing.

`write_all` writes into a folder that the caller has just created (the CLI writes into a
temporary folder and renames it into place, so outputs appear whole or not at all).
"""
from __future__ import annotations

import importlib
from pathlib import Path

# format name -> module (each exposes write(plan, out_dir, lang)); tables are always written.
OPTIONAL_FORMATS = {
    "calendar": "planner.export.ics",
    "schedule": "planner.export.workbook",
    "announcements": "planner.export.announcements",
    "map": "planner.export.map",
    "progress": "planner.export.coverage_chart",
}


def available_formats() -> list[str]:
    """Formats whose writer module is installed (all of them in a full checkout)."""
    out = ["tables"]
    for name, module in OPTIONAL_FORMATS.items():
        try:
            importlib.import_module(module)
        except ImportError:
            continue
        out.append(name)
    return out


def write_all(plan, out_dir: Path, formats: list[str] | None = None, lang: str = "id",
              network=None) -> list[str]:
    """Write the chosen formats (default: all available) into `out_dir`; returns their names.
    `network`: the plan's travel network, for the writers that show its boat legs."""
    from . import crossings, tables

    if network is not None:  # else a writer that shows boat legs builds one when it needs it
        crossings.network_for(plan.scenario, network)

    chosen = available_formats() if formats is None else ["tables"] + [f for f in formats if f != "tables"]
    tables.write(plan, out_dir, lang)
    for name in chosen[1:]:
        importlib.import_module(OPTIONAL_FORMATS[name]).write(plan, out_dir, lang)
    return chosen
