"""The chance of the goal and the simulated recordings as the terminal says them."""
from __future__ import annotations

import pytest

from planner.export.risk import headlines


def simulated(p, counted=(7650.0, 7988.0, 8232.0), weighted=None):
    figures = dict(zip(("p10", "p50", "p90"), counted))
    return {"simulation": {"runs": 1000, "seed": 0, "goal": 0.75, "goal_probability": p,
                           "counted": figures, "objective": weighted or figures}}


@pytest.mark.parametrize("p, en, id_", [(0.997, "99.7 %", "99,7 %"), (0.004, "0.4 %", "0,4 %"),
                                        (1.0, "100 %", "100 %"), (0.0, "0 %", "0 %"),
                                        (0.99996, "> 99.9 %", "> 99,9 %"),
                                        (0.00004, "< 0.1 %", "< 0,1 %")])
def test_a_chance_reads_certain_only_when_every_run_or_none_reached_the_goal(p, en, id_):
    # 3 runs of 1,000 missing the goal printed "P(goal by deadline) = 1.00", 4 reaching it
    # "0.00" (Kotim's greedy plan with its goal moved to the runs' 0.3 % and 99.6 % points)
    assert headlines(simulated(p), "en")[0].endswith(f": {en} of 1,000 runs (seed 0)")
    from planner.export.chance import chance_text

    assert chance_text(p, "en") == en and chance_text(p, "id") == id_
    assert f": {id_} dari 1.000 simulasi" in headlines(simulated(p), "id")[0]


def test_the_chance_line_names_the_goal_and_what_it_is_of():
    # "P(goal by deadline)" named no goal: with zones and a goal, and the per-kecamatan zones
    # beside it, a reader could not tell which target, or whose coverage, it was the chance of
    en, id_ = headlines(simulated(0.25), "en")[0], headlines(simulated(0.25), "id")[0]
    assert en.startswith("Chance that the whole district's counted coverage reaches the 75 % "
                         "goal by the deadline: 25.0 %")
    assert id_.startswith("Peluang cakupan terhitung seluruh kabupaten mencapai sasaran 75 % "
                          "sampai batas waktu: 25,0 %")


def test_the_simulated_recordings_are_counted_ones_set_beside_the_plans_with_the_reason():
    # Pesawaran at 5 s: the closing line said 29,162 recordings counted and this line
    # "weighted counted P10 26,458, P50 26,916, P90 27,323" (Legundi weighs 2): neither the
    # same measure nor a word on why every run fell short of the plan
    report = simulated(0.0, counted=(25851.4, 26299.0, 26691.2),
                       weighted={"p10": 26457.9, "p50": 26916.5, "p90": 27323.4})
    line = headlines(report, "en", planned=29162)[1]
    assert line.startswith("simulated counted recordings P10 25,851, P50 26,299, P90 26,691; "
                           "the plan expects 29,162 (")
    assert "a visit keeps its planned hours" in line
    assert "rencana memperkirakan 29.162 (" in headlines(report, "id", planned=29162)[1]
    # the runs' median at the plan's figure (no uncertainty): no reason to give
    assert headlines(simulated(1.0, counted=(8713.0,) * 3), "en", planned=8713)[1] == (
        "simulated counted recordings P10 8,713, P50 8,713, P90 8,713; the plan expects 8,713")


def test_without_a_goal_the_chance_line_says_why():
    report = simulated(None)
    report["simulation"]["goal"] = None
    assert headlines(report, "en")[0].startswith("Chance of the goal: n/a (no targets.goal")
    assert headlines(report, "id")[0].startswith("Peluang sasaran: t/a (tidak ada targets.goal")


def test_a_robust_plan_expecting_fewer_says_what_it_was_chosen_over():
    # Kotim, --robust 0.1 at 8 s: 8,440 counted where a plain run gives 8,790, and the line
    # said only "Q-quantile ... 7,939 over 300 runs; 8,440 at the expected figures"
    plain = {"turnout_factor": 1.0, "quantile_value": 7859.6, "mean": 8119.2, "expected": 8790.0}
    kept = {"turnout_factor": 0.68, "quantile_value": 7939.2, "mean": 8129.7, "expected": 8440.0}
    robust = {"quantile": 0.1, "runs": 300, "turnout_factor": 0.68, "quantile_value": 7939.2,
              "expected": 8440.0, "candidates": [plain, kept]}
    assert headlines({"robust": robust}, "en") == [
        "robust plan (Q = 0.1): Q-quantile of weighted counted 7,939 over 300 runs; 8,440 at "
        "the expected figures; chosen over the plan made for the expected turnout (Q-quantile "
        "7,860, 8,790 at the expected figures)"]
    assert headlines({"robust": robust}, "id")[0].endswith(
        "; dipilih daripada rencana untuk tingkat kehadiran yang diperkirakan (kuantil-Q 7.860, "
        "8.790 pada angka perkiraan)")
    # the plain plan kept: nothing to add
    chosen_plain = {**robust, "turnout_factor": 1.0, "quantile_value": 7859.6,
                    "expected": 8790.0}
    assert headlines({"robust": chosen_plain}, "en")[0].endswith("8,790 at the expected figures")


def test_after_a_bad_week_the_chance_says_it_is_drawn_around_the_scenarios_turnout():
    # Kotim re-planned on 12 Sep 2016 after two weeks recording 30 % of the plan (845 of
    # 2,851): "P(goal by deadline) = 1.00", the same as after two weeks as planned; only the
    # warning above said the re-plan kept the scenario's turnout, not that the chance did
    against = {"visits": 19, "recorded": 845, "planned": 2851, "share": 0.296,
               "turnout_visits": 3, "turnout_factor": None, "turnout": 0.33}
    report = {"actuals": {"today": "2016-09-12", "visits": 19, "recorded": 845,
                          "counted": 845, "overtime_unit_days": 0, "against_plan": against},
              **simulated(1.0)}
    assert headlines(report, "en")[1].endswith(
        ": 100 % of 1,000 runs (seed 0); drawn around the scenario's turnout (0.33), though the "
        "19 visits that happened as announced recorded 30 % of what was expected")
    assert "tingkat kehadiran skenario (0,33), padahal 19 kunjungan" in headlines(report, "id")[1]
    # the turnout they showed can be estimated: the option that plans and judges with it
    against["turnout_factor"] = 0.31
    assert headlines(report, "en")[1].endswith(
        "of what was expected (--turnout-from-actuals judges with theirs)")
    # planned with it (--turnout-from-actuals), or a week as planned: nothing to add
    for change in ({"applied": True}, {"share": 0.97, "applied": False}):
        against.update(change)
        assert headlines(report, "en")[1].endswith(": 100 % of 1,000 runs (seed 0)")
