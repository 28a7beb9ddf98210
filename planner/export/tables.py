"""visits.csv, days.csv and summary.json in the exact columns of DESIGN §4; with an earlier
plan in the folder, changes.csv: the villages whose announced visits the new plan changes
(summary.json `changes`, `planner.changes`)."""
from __future__ import annotations

import json
from pathlib import Path


def write(plan, out_dir: Path, lang: str = "id") -> None:
    plan.visits.to_csv(out_dir / "visits.csv", index=False, lineterminator="\n")
    plan.days.to_csv(out_dir / "days.csv", index=False, lineterminator="\n")
    (out_dir / "summary.json").write_text(
        json.dumps(plan.summary(lang), indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    changes = plan.report.get("changes")
    if changes is not None:
        from ..changes import changes_table

        changes_table(changes).to_csv(out_dir / "changes.csv", index=False, lineterminator="\n")
