"""Village closures end to end through the CLI (`closures` in the scenario): `--check` counts
them, a plan keeps off the closed villages on their days (and its folder passes
`--check-plan`), and a village closed on every day says so under `left_out`."""
from __future__ import annotations

import json

import yaml
from click.testing import CliRunner

from planner.cli import main
from tests.conftest import TINY

# TINY runs Monday 1 to Friday 5 January 2024: `a` (kecamatan Timur) closed Monday to
# Wednesday, `b` (Barat) the whole week.
CLOSURES = [{"villages": ["a"], "from": "2024-01-01", "to": "2024-01-03", "reason": "banjir"},
            {"districts": ["Barat"], "from": "2023-12-30", "to": "2024-01-07",
             "reason": "upacara adat"}]


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def scenario_file(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({**TINY, "closures": CLOSURES}, sort_keys=False))
    return path


def test_check_counts_the_closed_village_days(tmp_path):
    result = run(scenario_file(tmp_path), "--check", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(
        "5 field days (2024-01-01 to 2024-01-05); 2 villages closed on 8 village field days "
        "(closures)")


def test_a_plan_keeps_off_closed_villages_and_says_why_one_is_left_out(tmp_path):
    scenario, out = scenario_file(tmp_path), tmp_path / "plan"
    for planner in ("greedy", "optimise"):
        result = run(scenario, "-o", out, "--planner", planner, "--time-limit", "5", "-q",
                     "--formats", "progress", "--lang", "en", "--force")
        assert result.exit_code == 0, result.output
        visits = (out / "visits.csv").read_text().splitlines()[1:]
        assert visits and {v.split(",")[1] for v in visits} <= {"2024-01-04", "2024-01-05"}
        assert all(",a," in v for v in visits)
        left_out = {e["village_id"]: e for e in
                    json.loads((out / "summary.json").read_text())["left_out"]}
        assert left_out["b"]["cause"] == "closed"
        assert left_out["b"]["reason"] == ("closed (upacara adat) on every field day whose "
                                           "recordings would still count")
        assert run(scenario, "--check-plan", out).exit_code == 0
