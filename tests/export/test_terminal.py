"""The terminal's table, its goal line and the closing line, in the run's language."""
from __future__ import annotations

from planner.export import terminal
from planner.plan import Plan, Route, Stop
from tests.export.sample import D1, SUKAMAJU, hm


def test_terminal_table_before_after_and_zone(geo_plan):
    text = terminal.render(geo_plan, lang="en")
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("District"))
    assert lines[header].split()[:3] == ["District", "Backlog", "Counted"]
    # what limits the plan comes first (here: no `limits` figures, only the villages left)
    assert "villages keep residents unrecorded" in lines[0] and lines[header - 1] == ""
    tamalate = next(line for line in lines if line.startswith("Tamalate"))
    assert "88.0 % → 96.2 %" in tamalate and tamalate.endswith("green")  # 0.9628, rounded down
    total = lines[-2]
    assert total.startswith("Total") and " 252 " in total
    assert "hijau" in terminal.render(geo_plan, lang="id")


def test_terminal_goal_line_under_the_table(geo_plan, geo_scenario):
    assert terminal.render(geo_plan, "en").splitlines()[-1] == \
        "Goal 92 % reached on Wednesday, 6 March 2024."
    assert terminal.render(geo_plan, "id").splitlines()[-1] == \
        "Sasaran 92 % tercapai pada Rabu, 6 Maret 2024."
    short = Plan(geo_scenario, (Route("MK1", D1, "weekday", hm(8), hm(13), (
        Stop(SUKAMAJU, hm(8, 20), hm(8, 30), hm(12), 84, hm(0, 20)),), hm(0, 40)),))
    assert terminal.render(short, "id").splitlines()[-1] == \
        "Sasaran 92 % tidak tercapai sampai batas waktu (Jumat, 8 Maret 2024)."


def test_terminal_closing_line_in_both_languages(geo_plan):
    # upper bound 300, objective 252: gap 16 %
    assert terminal.written_line(geo_plan, "out", ["tables", "map"], "en") == \
        "out/: 4 visits, 252 recordings counted, gap 16.00 %; wrote tables, map"
    assert terminal.written_line(geo_plan, "out", ["tables", "map"], "id") == \
        "out/: 4 kunjungan, 252 perekaman terhitung, selisih 16,00 %; ditulis: tables, map"


def test_the_closing_line_names_the_messages_written_with_the_announcements(geo_plan, tmp_path):
    from planner.export import announcements
    out = tmp_path / "plan"
    assert terminal.written_line(geo_plan, out, ["tables", "announcements"], "en").endswith(
        "wrote tables, announcements")  # nothing written yet
    announcements.write(geo_plan, out)
    assert terminal.written_line(geo_plan, out, ["tables", "announcements"], "en").endswith(
        "wrote tables, announcements + messages")


def test_a_bound_equal_to_the_plan_up_to_float_noise_is_no_negative_gap(geo_plan):
    """A bound a hair below the plan's objective (float noise of tiny priorities) once
    printed 'selisih -0.00 %'."""
    import dataclasses

    noisy = dataclasses.replace(geo_plan, solver={**geo_plan.solver,
                                                  "upper_bound": float(geo_plan.objective) - 1e-9})
    assert noisy.summary()["gap"] == 0.0
    assert "selisih 0,00 %" in terminal.written_line(noisy, "out", ["tables"], "id")


def test_terminal_says_how_many_nights_are_planned(trips, trip_scenario, geo_plan):
    """MK1 two nights at the losmen, `MK 2/Perahu` one on the island: 3, under the goal line.
    A scenario whose units may stay away says 0 for a plan of day trips; one whose units may
    not says nothing."""
    assert terminal.render(trips, "id").splitlines()[-1] == \
        "Malam menginap (perjalanan bermalam): 3."
    assert terminal.render(trips, "en").splitlines()[-1] == "Nights away (overnight trips): 3."
    assert terminal.render(trips, "en").splitlines()[-2].startswith("Goal 92 %")
    day_trip = Plan(trip_scenario, (Route("MK1", D1, "weekday", hm(8), hm(13), (
        Stop(SUKAMAJU, hm(8, 20), hm(8, 30), hm(12), 84, hm(0, 20)),), hm(0, 40)),))
    assert terminal.nights_line(day_trip, "en") == "Nights away (overnight trips): 0."
    assert terminal.nights_line(geo_plan, "id") is None
    assert "menginap" not in terminal.render(geo_plan, "id")


def test_terminal_shows_the_actual_recordings_apart_in_a_replan(geo_scenario):
    """Re-planned on Wednesday: Tamalate recorded 84 + 42 on Monday (actual) of its 300; the
    new plan counts 81 of the 174 left there, so the campaign counts 126 + 81 = 207; the
    coverage runs from today's (the actuals counted) to the plan's end."""
    from tests.export.sample import replan

    lines = terminal.render(replan(geo_scenario), "en").splitlines()
    header = next(line for line in lines if line.startswith("District"))
    assert "Recorded (actual)" in header and "Coverage today" in header
    tamalate = next(line for line in lines if line.startswith("Tamalate"))
    assert tamalate.split()[1:4] == ["300", "126", "207"]
    id_header = next(line for line in terminal.render(replan(geo_scenario), "id").splitlines()
                     if line.startswith("Kecamatan"))
    assert "Terekam (aktual)" in id_header and "Cakupan hari ini" in id_header


def test_progress_lines_in_the_run_language():
    """What `plan-routes` prints while the optimiser runs: the bound and gap once they are in."""
    early = {"elapsed": 3.04, "counted": 812}
    later = {"elapsed": 12.5, "counted": 830, "bound": 901.4, "gap": 0.07883}
    assert terminal.progress_line(early, "en") == "     3.0s  counted 812"
    assert terminal.progress_line(later, "en") == "    12.5s  counted 830  bound 901  gap 7.88%"
    assert terminal.progress_line(later, "id") == \
        "    12.5s  terhitung 830  batas atas 901  selisih 7,88 %"
    same = {**later, "objective": 830.0}  # every priority 1: the weighted sum is the count
    assert terminal.progress_line(same, "en") == "    12.5s  counted 830  bound 901  gap 7.88%"


def test_a_progress_line_shows_the_seconds_of_the_time_limit():
    # "12.5s" alone did not tell a planner whether the run had 8 s or 50 s to go
    later = {"elapsed": 12.5, "counted": 830, "bound": 901.4, "gap": 0.07883}
    assert terminal.progress_line(later, "en", 60.0) == \
        "    12.5s/60s  counted 830  bound 901  gap 7.88%"
    assert terminal.progress_line(later, "id", 7.5).startswith("    12.5s/7.5s  terhitung 830")


def test_the_progress_printer_shows_the_time_limit(capsys):
    show = terminal.progress_printer(False, "en", 20.0)
    show({"elapsed": 3.04, "counted": 812})
    assert capsys.readouterr().err == "     3.0s/20s  counted 812\n"
    terminal.progress_printer(True, "en", 20.0)({"elapsed": 3.04, "counted": 812})
    assert capsys.readouterr().err == ""


def test_a_progress_line_with_priorities_shows_what_the_gap_is_on():
    """Bound and gap are on the priority-weighted objective; with priorities the line shows
    it beside the count, so 2,543 counted and a bound of 3,284 do not read as a 23 % gap."""
    info = {"elapsed": 20.0, "counted": 2543, "objective": 3237.2, "bound": 3284.0,
            "gap": 0.01425}
    assert terminal.progress_line(info, "en") == \
        "    20.0s  counted 2,543 (weighted 3,237)  bound 3,284  gap 1.43%"
    assert terminal.progress_line(info, "id") == \
        "    20.0s  terhitung 2.543 (berbobot 3.237)  batas atas 3.284  selisih 1,43 %"


REPORT = {"actuals": {"today": "2024-01-22", "visits": 12, "recorded": 1234, "counted": 1200,
                      "overtime_unit_days": 2},
          "robust": {"quantile": 0.2, "quantile_value": 9876.4, "runs": 200,
                     "expected": 10234.2},
          "simulation": {"goal_probability": 0.25, "goal": 0.92, "runs": 1000, "seed": 0,
                         "objective": {"p10": 6709.2, "p50": 6845, "p90": 7036},
                         "counted": {"p10": 6709.2, "p50": 6845, "p90": 7036}}}


def test_headlines_say_the_robust_figures_of_a_keeping_re_plan_leave_out_the_kept_days():
    # --keep-until with --robust: the robust figures are of the days after the kept ones (as
    # summary.json's documentation says); the line said "24 at the expected figures" above
    # "204 recordings counted" without saying so (cross-feature fuzzing)
    from planner.export.risk import headlines

    report = {"kept": {"until": "2027-03-05", "visits": 4, "recorded": 180, "counted": 180},
              "robust": {"quantile": 0.2, "quantile_value": 22.0, "runs": 300, "expected": 24.0}}
    assert headlines(report, "en")[1] == (
        "robust plan (Q = 0.2) of the days after 2027-03-05 (the kept visits not included): "
        "Q-quantile of weighted counted 22 over 300 runs; 24 at the expected figures")
    assert headlines(report, "id")[1] == (
        "rencana tangguh (Q = 0,2) untuk hari sesudah 2027-03-05 (tanpa kunjungan yang "
        "dipertahankan): kuantil-Q perekaman terhitung berbobot 22 dari 300 simulasi; 24 pada "
        "angka perkiraan")


def test_headlines_of_actuals_robust_and_simulation_in_the_run_language():
    from planner.export.risk import headlines

    assert headlines(REPORT, "en") == [
        "actuals before 2024-01-22: 12 visits, 1,234 recorded, 1,200 counting by the deadline, "
        "2 overtime unit-days",
        "robust plan (Q = 0.2): Q-quantile of weighted counted 9,876 over 200 runs; 10,234 at "
        "the expected figures",
        "Chance that the whole district's counted coverage reaches the 92 % goal by the "
        "deadline: 25.0 % of 1,000 runs (seed 0)",
        "simulated counted recordings P10 6,709, P50 6,845, P90 7,036"]
    assert headlines(REPORT, "id") == [
        "realisasi sebelum 2024-01-22: 12 kunjungan, 1.234 terekam, 1.200 terhitung sampai batas "
        "waktu, 2 hari-unit lembur",
        "rencana tangguh (Q = 0,2): kuantil-Q perekaman terhitung berbobot 9.876 dari 200 "
        "simulasi; 10.234 pada angka perkiraan",
        "Peluang cakupan terhitung seluruh kabupaten mencapai sasaran 92 % sampai batas waktu: "
        "25,0 % dari 1.000 simulasi (benih acak 0)",
        "perekaman terhitung dalam simulasi P10 6.709, P50 6.845, P90 7.036"]
