"""`progress.png`: counted coverage per day, offline recordings on the day they count, the
lowest kecamatan named at the end of their lines, month names and the goal date in the run's
language; a re-plan's actual recordings solid up to today, the plan dashed from it."""
from __future__ import annotations

import datetime as dt
import io

import matplotlib.text
import pytest

from planner.export import coverage_chart
from planner.plan import Plan, Route, Stop
from tests.conftest import TINY, make_scenario
from tests.export.sample import D1, D2, D3, hm, replan


def _texts(fig) -> list[str]:
    fig.canvas.draw()  # tick labels exist only once drawn
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def test_progress_series_counts_offline_recordings_on_their_day(geo_plan):
    days, series = coverage_chart.coverage_series(geo_plan)
    assert days[0] == dt.date(2024, 3, 3) and days[-1] == dt.date(2024, 3, 9)
    at = dict(zip(days, series["Tamalate"]))
    assert at[dt.date(2024, 3, 3)] == pytest.approx(2200 / 2500)  # before the plan
    assert at[D1] == pytest.approx((2200 + 84) / 2500)  # Bonto's 42 not yet
    assert at[D3] == pytest.approx((2200 + 84 + 81) / 2500)
    assert at[dt.date(2024, 3, 7)] == pytest.approx((2200 + 84 + 81 + 42) / 2500)
    assert "Ujung/Tanah" not in series  # eligible unknown
    assert series[""] == series["Tamalate"]  # the only district that knows eligible


def test_progress_png_is_written(geo_plan, tmp_path):
    from PIL import Image

    coverage_chart.write(geo_plan, tmp_path)
    with Image.open(tmp_path / "progress.png") as img:
        assert img.format == "PNG" and img.size[0] >= 1000 and img.size[1] >= 600
        colours = img.convert("RGB").getcolors(maxcolors=1 << 20)
        assert len(colours) > 50  # a drawing, not an empty canvas


def test_progress_without_eligible_counts_plots_recordings(tiny_scenario, tmp_path):
    scenario = make_scenario(villages=[{**v, "eligible": None, "recorded": None}
                                       for v in TINY["villages"]])
    route = Route("U1", dt.date(2024, 1, 2), "weekday", hm(8), hm(12),
                  (Stop("a", hm(8, 10), hm(8, 10), hm(11), 70, 600),), 1200)
    plan = Plan(scenario, (route,))
    assert coverage_chart.coverage_series(plan)[1] == {}
    fig = coverage_chart.build(plan, "en")
    line = fig.axes[0].lines[0]
    assert max(line.get_ydata()) == 70
    coverage_chart.write(plan, tmp_path)
    assert (tmp_path / "progress.png").stat().st_size > 10_000


def test_goal_day_is_marked(geo_plan):
    """Goal 92 % of Tamalate's 2500 = 2300: reached on Wed 6 March (2200 + 84 + 81)."""
    texts = _texts(coverage_chart.build(geo_plan, "id"))
    assert "Sasaran 92 % tercapai 6 Maret 2024" in texts
    marks = [line for line in coverage_chart.build(geo_plan, "id").axes[0].lines
             if list(line.get_xdata()) == [D3, D3]]
    assert len(marks) == 1  # the vertical line on the goal day


def test_goal_not_reached_is_said(geo_scenario):
    route = Route("MK1", D1, "weekday", hm(8), hm(13), (
        Stop("7371010001", hm(8, 20), hm(8, 30), hm(12), 84, hm(0, 20)),), hm(0, 40))
    texts = _texts(coverage_chart.build(Plan(geo_scenario, (route,)), "en"))
    assert "Goal 92 % not reached by the deadline (Friday, 8 March 2024)." in texts


def _many_districts_plan(name=lambda k: f"Kec {k}", count=7):
    """`count` kecamatan of one village each, 1000 eligible; the plan records 10 x k in the
    k-th (on 1 January + k - 1), so coverage ends at 80 % + k %."""
    villages = [{"id": f"v{k}", "name": f"Desa {k}", "district": name(k), "x": k, "y": 0,
                 "eligible": 1000, "recorded": 800} for k in range(1, count + 1)]
    scenario = make_scenario({**TINY, "villages": villages,
                              "calendar": {"start": "2024-01-01", "deadline": "2024-03-29",
                                           "holidays": "none"}})
    routes = tuple(Route("U1", dt.date(2024, 1, k), "weekday", hm(8), hm(12),
                         (Stop(f"v{k}", hm(8, 10), hm(8, 10), hm(11), 10 * k, 600),), 1200)
                   for k in range(1, count + 1))
    return Plan(scenario, routes)


def test_the_five_lowest_districts_are_named_at_the_end_of_their_lines():
    plan = _many_districts_plan()
    _, series = coverage_chart.coverage_series(plan)
    assert coverage_chart.lowest(series) == ["Kec 1", "Kec 2", "Kec 3", "Kec 4", "Kec 5"]
    fig = coverage_chart.build(plan, "en")
    ax = fig.axes[0]
    ends = {a.get_text(): a for a in ax.texts if a.get_text().startswith("Kec ")}
    assert sorted(ends) == ["Kec 1", "Kec 2", "Kec 3", "Kec 4", "Kec 5"]
    for name, note in ends.items():
        assert note.xy[0] == dt.date(2024, 3, 30)  # the end of the line
        assert note.xy[1] == pytest.approx(0.8 + int(name[-1]) / 100)
    # one percentage point apart, the labels are pushed apart so that they do not overlap
    boxes = sorted((_text_box(fig, note) for note in ends.values()), key=lambda b: b.y0)
    assert all(a.y1 < b.y0 for a, b in zip(boxes, boxes[1:]))


def _text_box(fig, note):
    """The extent of an annotation's text in pixels, without its stroke."""
    fig.canvas.draw()
    return matplotlib.text.Text.get_window_extent(note, fig.canvas.get_renderer())


def _on_the_zone_lines_plan():
    """As `_many_districts_plan`, with zones at 85 % and 87 % and the goal at 86 %: Kec 5 and
    Kec 7 end on a line, Kec 4 and Kec 6 just under one."""
    plan = _many_districts_plan()
    targets = {"zones": {"yellow": 0.85, "green": 0.87}, "goal": 0.86}
    return Plan(plan.scenario.replace(targets=targets), plan.routes)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_names_at_the_line_ends_keep_off_the_zone_lines_and_inside_the_plot(lang):
    """Tegineneng (84.8 %) was struck through by the 85 % line and ran into `kuning ≥ 85 %`
    on the right; Kota Metro's names crossed the plot's right edge."""
    fig = coverage_chart.build(_on_the_zone_lines_plan(), lang)
    ax = fig.axes[0]
    notes = [a for a in ax.texts if a.get_text().startswith("Kec ")]
    boxes = [_text_box(fig, note) for note in notes]
    frame = ax.get_window_extent()
    lines = [ax.transData.transform((0, y))[1] for y in (0.85, 0.86, 0.87)]
    for box in boxes:
        assert frame.x0 < box.x0 and box.x1 < frame.x1 and frame.y0 < box.y0 and \
            box.y1 < frame.y1
        assert not [y for y in lines if box.y0 - 2 < y < box.y1 + 2]
    zone_names = [t.get_window_extent() for t in ax.child_axes[0].get_yticklabels()
                  if t.get_text()]
    assert len(zone_names) == 3 and all(not b.overlaps(z) for b in boxes for z in zone_names)
    boxes.sort(key=lambda b: b.y0)
    assert all(a.y1 < b.y0 for a, b in zip(boxes, boxes[1:]))
    # Kec 4 ends under the 85 % line: its name stays under it
    kec4 = next(_text_box(fig, n) for n in notes if n.get_text() == "Kec 4")
    assert kec4.y1 < lines[0]


def test_spread_apart_moves_a_name_off_a_line_to_its_side():
    spread = coverage_chart.spread_apart
    assert spread([0.1, 0.5], 0.1, [], 0.05, 0, 1) == [0.1, 0.5]
    assert spread([0.1, 0.12], 0.1, [], 0.05, 0, 1) == pytest.approx([0.1, 0.2])
    assert spread([0.49], 0.1, [0.5], 0.05, 0, 1) == pytest.approx([0.45])  # under its line
    assert spread([0.51], 0.1, [0.5], 0.05, 0, 1) == pytest.approx([0.55])
    # no room under the line for the second: over it; two lines close: over both
    assert spread([0.4, 0.49], 0.1, [0.5], 0.05, 0, 1) == pytest.approx([0.4, 0.55])
    assert spread([0.49], 0.1, [0.5, 0.52], 0.05, 0.46, 1) == pytest.approx([0.57])
    # pushed past the top, back down, and off the line there
    assert spread([0.9, 0.95, 0.97], 0.1, [0.8], 0.02, 0, 1) == pytest.approx([0.78, 0.9, 1.0])


def test_the_goal_is_said_above_the_plot_under_the_title(geo_scenario, geo_plan):
    route = Route("MK1", D1, "weekday", hm(8), hm(13), (
        Stop("7371010001", hm(8, 20), hm(8, 30), hm(12), 84, hm(0, 20)),), hm(0, 40))
    for plan, start in ((Plan(geo_scenario, (route,)), "Sasaran 92 % tidak"),
                        (geo_plan, "Sasaran 92 % tercapai")):
        fig = coverage_chart.build(plan, "id")
        ax = fig.axes[0]
        note = next(a for a in ax.texts if a.get_text().startswith(start))
        box, title = _text_box(fig, note), ax.title.get_window_extent()
        assert ax.get_window_extent().y1 <= box.y0 and box.y1 <= title.y0


def test_many_districts_share_one_grey_legend_entry():
    """Past 12 kecamatan the lines not named are grey, with one legend entry for them drawn
    in that grey; it took the colour of the first kecamatan alphabetically, here Kec 01,
    which is one of the five named (and strongly coloured) lines."""
    plan = _many_districts_plan(lambda k: f"Kec {k:02d}", count=14)
    ax = coverage_chart.build(plan, "en").axes[0]
    legend = ax.get_legend()
    entries = {t.get_text(): h for t, h in zip(legend.get_texts(), legend.legend_handles)}
    assert set(entries) == {"District (14)", "Total"}
    assert entries["District (14)"].get_color() == coverage_chart.OTHER_LINE_COLOUR
    greys = [line for line in ax.lines if line.get_color() == coverage_chart.OTHER_LINE_COLOUR
             and len(line.get_xdata())]
    assert len(greys) == 14 - coverage_chart.LOWEST_NAMED


def test_a_long_district_name_is_cut_and_leaves_the_plot_its_room(recwarn):
    # a 200-character name in the legend squeezed the axes to nothing (matplotlib warned)
    plan = _many_districts_plan(lambda k: f"Kec {k} " + "Y" * 200)
    fig = coverage_chart.build(plan, "en")
    fig.savefig(io.BytesIO(), format="png")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()] + \
        [a.get_text() for a in ax.texts if a.get_text().startswith("Kec ")]
    assert labels and all(len(t) <= coverage_chart.MOST_NAME_CHARS for t in labels)
    assert any(t.startswith("Kec 1 YY") and t.endswith("…") for t in labels)
    assert not [w for w in recwarn if "constrained_layout" in str(w.message)]


def test_month_names_follow_the_language():
    plan = _many_districts_plan()
    id_texts, en_texts = (_texts(coverage_chart.build(plan, lang)) for lang in ("id", "en"))
    assert {"Feb", "Mar"} <= set(id_texts) and {"Feb", "Mar"} <= set(en_texts)
    assert "Jan\n2024" in id_texts and "Jan\n2024" in en_texts
    assert "Batas waktu 29 Maret 2024" in id_texts and "Deadline 29 March 2024" in en_texts


def test_a_campaign_of_a_few_days_is_ticked_on_whole_days(geo_plan):
    """The sample campaign runs Monday 4 to Friday 8 March: one tick a day (matplotlib's own
    locator ticked hours, each shown as its day)."""
    fig = coverage_chart.build(geo_plan, "id")
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert ticks[:2] == ["2 Mar\n2024", "3 Mar"] and "8 Mar" in ticks
    assert len(ticks) == len(set(ticks))


def test_percentages_with_a_decimal_comma_in_indonesian(geo_scenario):
    """The coverage axis and the zone and goal marks as Indonesian writes them; a goal of
    92.5 %, which is no zone's threshold, gets its own dotted line and mark."""
    from tests.export.sample import hand_made_plan

    plan = hand_made_plan(geo_scenario.replace(targets={"zones": {"yellow": 0.85,
                                                                  "green": 0.92},
                                                        "goal": 0.925}))
    fig = coverage_chart.build(plan, "id")
    texts = _texts(fig)
    assert {"kuning ≥ 85 %", "hijau ≥ 92 %", "Sasaran 92,5 %"} <= set(texts)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels() if t.get_text()]
    assert ticks and all(t.endswith(" %") and "." not in t for t in ticks)
    assert any("," in t for t in ticks)
    assert "Goal 92.5 %" in _texts(coverage_chart.build(plan, "en"))


def _data_lines(fig, colour="#000000"):
    """The step lines of one colour (the total is black), as (linestyle, x, y)."""
    return [(line.get_linestyle(), list(line.get_xdata()), list(line.get_ydata()))
            for line in fig.axes[0].lines
            if line.get_drawstyle() == "steps-post" and line.get_color() == colour]


def test_replan_counts_the_actual_recordings_from_the_first_actual_visit(geo_scenario):
    """The re-plan on Wed (sample.replan): its scenario already holds Mon's 84 + 42 (Bonto's
    42 count on Thu), so the chart starts from the coverage before them, 2200 / 2500, and
    adds them back on the day each counts: the whole campaign's line, as in the plain test
    above, although the plan itself holds only Wednesday's 81."""
    plan = replan(geo_scenario)
    assert plan.scenario.calendar.start == D3
    days, series = coverage_chart.coverage_series(plan)
    assert days[0] == dt.date(2024, 3, 3) and days[-1] == dt.date(2024, 3, 9)
    expected = [2200, 2284, 2284, 2284 + 81, 2284 + 81 + 42, 2407, 2407]
    assert series["Tamalate"] == pytest.approx([n / 2500 for n in expected])
    # goal 92 % = 2300 people: reached on Wed by the new plan's visit, not "before the plan"
    # (the scenario that is left already counts Bonto's 42 of Thursday: 2326 / 2500)
    assert coverage_chart.goal_day(plan) == (D3, pytest.approx(0.88))
    assert plan.coverage()["before"] >= 0.92
    assert plan.summary()["goal_reached_on"] == D3.isoformat()


def test_actual_recordings_beyond_a_villages_eligible_count_once(geo_scenario):
    """Monday: 84 at Sukamaju (counting Monday) and 150 at offline Bonto, whose backlog is
    100 (counting Thursday). Coverage is 2200 / 2500 before, 2284 on Monday, and 2384 from
    Thursday (Bonto full at 500), so a goal of 91 % (2275) is met on Monday. The re-plan's
    scenario holds Bonto at 500, and taking the 150 off it put Bonto at 350 before: Monday
    stayed below the goal and Thursday was named."""
    from planner.actuals import Actuals, ActualVisit
    from tests.export.sample import BONTO, SUKAMAJU

    scenario = geo_scenario.replace(targets={"goal": 0.91})
    done = Actuals("done.csv", (ActualVisit(2, "MK1", D1, SUKAMAJU, 84),
                                ActualVisit(3, "MK1", D1, BONTO, 150)))
    with pytest.warns(UserWarning, match="more than its backlog"):
        left = scenario.after(done, D3)
    plan = Plan(left, (), {"status": "hand-made"}, report={"actuals": done.report(scenario, D3)})
    assert plan.goal_reached_on == D1
    days, counts = coverage_chart.coverage_counts(plan)
    running = dict(zip(days, counts[""][1]))
    assert (running[D1 - dt.timedelta(days=1)], running[D1], running[dt.date(2024, 3, 7)]) == \
        (2200, 2284, 2384)


def test_a_goal_the_actual_recordings_reached_is_dated_on_their_day(geo_scenario):
    # goal 90 % = 2250 people: Monday's actual 84 at Sukamaju take 2200 to 2284, so the goal
    # was reached on Monday, not on the re-plan's first day (summary.json said Wednesday)
    plan = replan(geo_scenario.replace(targets={"goal": 0.9}))
    assert plan.goal_reached_on == D1
    assert coverage_chart.goal_day(plan)[0] == D1


def test_replan_draws_actual_solid_up_to_today_and_the_plan_dashed(geo_scenario):
    fig = coverage_chart.build(replan(geo_scenario), "en")
    (solid_style, solid_x, solid_y), (dashed_style, dashed_x, dashed_y) = _data_lines(fig)
    assert solid_style == "-" and dashed_style == "--"
    # solid: Sun (before), Mon +84, Tue, and on to today at Tuesday's level
    assert solid_x == [dt.date(2024, 3, 3), D1, D2, D3]
    assert solid_y == pytest.approx([2200 / 2500, 2284 / 2500, 2284 / 2500, 2284 / 2500])
    # dashed: from today's start, Wednesday's visit, Bonto's offline 42 on Thursday
    assert dashed_x == [D3, D3, dt.date(2024, 3, 7), dt.date(2024, 3, 8), dt.date(2024, 3, 9)]
    assert dashed_y == pytest.approx([n / 2500 for n in (2284, 2365, 2407, 2407, 2407)])
    texts = _texts(fig)
    assert "Today 6 March 2024" in texts and "Goal 92 % reached 6 March 2024" in texts
    assert {"Actual (solid)", "Planned (dashed)"} <= set(texts)
    id_texts = _texts(coverage_chart.build(replan(geo_scenario), "id"))
    assert "Hari ini 6 Maret 2024" in id_texts
    assert {"Realisasi (garis penuh)", "Rencana (garis putus-putus)"} <= set(id_texts)


def test_without_actuals_every_line_is_solid(geo_plan):
    fig = coverage_chart.build(geo_plan, "en")
    lines = _data_lines(fig)
    assert [style for style, _, _ in lines] == ["-"]
    assert lines[0][1][0] == dt.date(2024, 3, 3)  # the day before the plan
    assert not any(t.startswith("Today") or t.startswith("Actual") for t in _texts(fig))


def test_a_plan_still_pickles_after_the_chart_read_its_counts(geo_plan):
    # the cached counts are kept on the Plan, which notebooks send to worker processes
    import pickle

    coverage_chart.build(geo_plan, "en")
    assert pickle.loads(pickle.dumps(geo_plan)).counted_per_day == geo_plan.counted_per_day


def test_names_with_dollar_signs_and_emoji_are_drawn_as_written(tmp_path, recwarn):
    """A kecamatan `Harga $x^2$` and a campaign `Biaya $\\frac{1$`: matplotlib read the text
    between two `$` as a formula, and raised on one it cannot parse (the whole plan lost,
    exit 1); an emoji the font lacks printed raw Python warnings on the terminal."""
    villages = [{**TINY["villages"][0], "district": "Harga $x^2$ 🌴"}, TINY["villages"][1]]
    scenario = make_scenario(name="Biaya $\\frac{1$", villages=villages)
    route = Route("U1", dt.date(2024, 1, 2), "weekday", hm(8), hm(12),
                  (Stop("a", hm(8, 10), hm(8, 10), hm(11), 70, 600),), 1200)
    plan = Plan(scenario, (route,))
    coverage_chart.write(plan, tmp_path)
    assert (tmp_path / "progress.png").stat().st_size > 10_000
    fig = coverage_chart.build(plan, "id")
    named = [t for t in fig.findobj(matplotlib.text.Text) if "$" in t.get_text()]
    assert "Harga $x^2$ 🌴" in {t.get_text() for t in named}
    assert any(t.get_text().endswith(" – Biaya $\\frac{1$") for t in named)  # the title
    assert not any(t.get_parse_math() for t in named)
    assert not [w for w in recwarn if "Glyph" in str(w.message)]
