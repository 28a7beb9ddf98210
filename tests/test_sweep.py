"""planner.sweep: variants built right, one row per variant, same table on any executor."""
from __future__ import annotations

import datetime as dt
import re
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

from planner.sweep import RESULT_COLUMNS, SerialExecutor, grid_rows, sweep, variant
from tests.conftest import TINY, make_scenario

# Two weeks, two units, six villages on a planar line east of the base (1 km = 2 min at 30 km/h):
# one unit cannot record everybody, so a second unit must add recordings.
SMALL = {
    "name": "small sweep",
    "geometry": "planar",
    "calendar": {"start": "2024-01-01", "deadline": "2024-01-14", "holidays": "none",
                 "closed": [{"from": "2024-01-03", "to": "2024-01-03", "reason": "server"}]},
    "shift": {"weekday": {"start": "08:00", "end": "16:00"},
              "weekend": {"start": "08:00", "end": "12:00"}},
    "recording": {"minutes_per_person": 5, "setup_minutes": 30, "turnout": 0.5},
    "travel": {"speed_kmh": 30},
    "staff": {"weekday": 6, "weekend": 6},
    "places": [{"id": "base", "x": 0, "y": 0}],
    "units": [{"id": "U1", "base": "base", "kits": 1, "crew": 2},
              {"id": "U2", "base": "base", "kits": 2, "crew": 3}],
    "villages": [{"id": f"v{i}", "district": "A" if i < 3 else "B", "x": 5 * i, "y": 0,
                  "eligible": 2000, "recorded": 1400} for i in range(1, 7)],
    "targets": {"zones": {"green": 0.92}},
}


@pytest.fixture
def small():
    return make_scenario(SMALL)


def test_grid_is_the_cartesian_product_in_order():
    rows = grid_rows({"units": [1, 2], "weekend": [True, False]})
    assert rows == [{"units": 1, "weekend": True}, {"units": 1, "weekend": False},
                    {"units": 2, "weekend": True}, {"units": 2, "weekend": False}]


def test_units_keeps_the_first_or_clones_the_last(small):
    assert [u.id for u in variant(small, {"units": 1}).units] == ["U1"]
    more = variant(small, {"units": 4})
    assert [u.id for u in more.units] == ["U1", "U2", "U2+1", "U2+2"]
    assert more.units[3].kits == 2 and more.units[3].crew == 3
    assert [u.id for u in variant(small, {"units": ["U2"]}).units] == ["U2"]


def test_each_field_changes_what_it_names(small):
    v = variant(small, {"kits": 3, "weekend": False, "overtime_unit_days": 2,
                        "staff": (4, 2), "deadline": "2024-01-10", "turnout": 0.6,
                        "closed": False})
    assert {u.kits for u in v.units} == {3}
    assert v.shift.weekend is None
    assert (v.staff.weekday, v.staff.weekend, v.staff.overtime_unit_days) == (4, 2, 2)
    assert v.calendar.deadline == dt.date(2024, 1, 10)
    assert str(v.recording.turnout) == "0.6"
    assert v.calendar.closed == ()
    assert variant(small, {"closed": True}).calendar.closed == small.calendar.closed
    # weekend=True on a scenario without weekend work uses the weekday hours
    assert variant(v, {"weekend": True}).shift.weekend == v.shift.weekday


def test_unknown_field_is_an_error(small):
    with pytest.raises(ValueError, match="unknown grid field 'unit'"):
        variant(small, {"unit": 2})


def test_one_units_kits(small):
    """`kits:U2` changes U2's kits alone (an analyst asks what one more kit for one unit
    buys; `kits` sets every unit's)."""
    v = variant(small, {"kits:U2": 3})
    assert [(u.id, u.kits) for u in v.units] == [("U1", small.units[0].kits), ("U2", 3)]
    with pytest.raises(ValueError, match="kits:U9: unknown unit id 'U9'; known: U1, U2"):
        variant(small, {"kits:U9": 3})
    with pytest.raises(ValueError, match="known: .*, kits:<unit id>"):
        variant(small, {"kit:U2": 3})
    table = sweep(small, {"kits:U1": [1, 2]}, executor=SerialExecutor(), time_limit=2,
                  solver="greedy")
    assert table["kits:U1"].tolist() == [1, 2] and table["feasible"].all()


def test_rows_columns_and_monotone_in_units(small):
    table = sweep(small, {"units": [1, 2, 3], "weekend": [False, True]},
                  executor=SerialExecutor(), time_limit=2, solver="greedy")
    assert list(table.columns) == ["units", "weekend"] + RESULT_COLUMNS
    assert len(table) == 6
    assert table["feasible"].all()
    assert table[["units", "weekend"]].values.tolist() == [
        [1, False], [1, True], [2, False], [2, True], [3, False], [3, True]]
    for weekend in (False, True):
        counted = table[table.weekend == weekend]["counted"].tolist()
        assert counted[0] < counted[1] <= counted[2]  # one unit cannot finish; more never fewer
    no_weekend = table[~table.weekend]
    assert (no_weekend["overtime"] == 0).all()
    assert (table["coverage"] > 0.7).all()  # 8,400 of 12,000 before the plan


def test_optimiser_rows_are_checked_and_bounded(small):
    table = sweep(small, {"units": [1, 2]}, executor=SerialExecutor(), time_limit=2)
    assert table["feasible"].all()
    assert (table["counted"] > 0).all()
    bounded = table.dropna(subset=["bound"])
    assert (bounded["objective"] <= bounded["bound"] + 1e-6).all()


def _pool_and_dask(scenario, grid, also_client=False, **kw):
    distributed = pytest.importorskip("distributed")
    with ProcessPoolExecutor(2) as pool:
        local = sweep(scenario, grid, executor=pool, **kw)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        remote = sweep(scenario, grid, executor=client.get_executor(), **kw)
        if also_client:  # a Client given as is
            as_client = sweep(scenario, grid, executor=client, **kw)
            same = [c for c in remote.columns if c != "seconds"]
            assert remote[same].equals(as_client[same])
    return local, remote


def test_process_pool_and_dask_give_the_same_table(small):
    local, remote = _pool_and_dask(small, {"units": [1, 2], "kits": [1, 2]}, also_client=True,
                                   solver="greedy")
    same = [c for c in local.columns if c != "seconds"]
    assert len(local) == 4 and local["feasible"].all()
    assert local[same].equals(remote[same])


@pytest.mark.slow
def test_deterministic_optimiser_same_on_pool_and_dask(small):
    """Dask's workers are spawned with their own hash seed: a deterministic optimiser must
    still give the fork pool's rows. Bounded: one variant, one search step."""
    local, remote = _pool_and_dask(small, {"units": [2]}, deterministic=True,
                                   solve_options={"iterations": 1})
    same = [c for c in local.columns if c != "seconds"]
    assert local["feasible"].all()
    assert local[same].equals(remote[same])


def test_goal_reached_on_is_the_first_day_coverage_reaches_the_goal():
    """Hand-made plan: 80 of 100 recorded, goal 95 %; 10 counted on Monday, 5 on Wednesday."""
    from planner.plan import Plan, Route, Stop
    from planner.sweep import goal_reached_on

    data = {**SMALL, "targets": {"zones": {"green": 0.95}, "goal": 0.95},
            "villages": [{"id": "a", "x": 5, "y": 0, "eligible": 100, "recorded": 80}]}
    scenario = make_scenario(data)

    def day(date, n):
        stop = Stop("a", arrive=8 * 3600 + 600, start=8 * 3600 + 600, end=10 * 3600,
                    recorded=n, travel_s=600)
        return Route("U1", dt.date.fromisoformat(date), "weekday", 8 * 3600, 11 * 3600,
                     (stop,), 1200)

    assert goal_reached_on(Plan(scenario, (day("2024-01-01", 10),))) is None
    plan = Plan(scenario, (day("2024-01-03", 5), day("2024-01-01", 10)))
    assert goal_reached_on(plan) == "2024-01-03"
    already = make_scenario({**data, "targets": {"goal": 0.8}})
    assert goal_reached_on(Plan(already, ())) == "2024-01-01"  # the start: met before any visit


@pytest.mark.parametrize("change, words", [
    ({"kits": 1.5}, "kits = 1.5: kits: 1.5 is not a whole number"),  # was cut to 1
    ({"staff_weekday": "two"}, "'two' is not a whole number"),
    ({"units": ["U9"]}, "unknown unit id 'U9'; known: U1"),  # was a bare KeyError
    ({"turnout": 7}, "turnout = 7: turnout: at most 1 (got 7)"),
])
def test_a_grid_value_the_scenario_cannot_take_is_named(tiny_scenario, change, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        variant(tiny_scenario, change)
    assert variant(tiny_scenario, {"kits": 2.0}).units[0].kits == 2


def test_copies_of_a_kecamatan_service_point_serve_every_kecamatan():
    data = {**TINY, "units": [{**TINY["units"][0], "districts": "Timur"}]}
    scenario = make_scenario(data)
    three = variant(scenario, {"units": 3})
    assert [(u.id, u.districts) for u in three.units] == [("U1", ("Timur",)), ("U1+1", None),
                                                         ("U1+2", None)]


@pytest.mark.parametrize("value, weekend_hours", [
    ("false", False), ("False", False), (0, False), ("true", True), (1, True), (True, True)])
def test_weekend_and_closed_read_true_or_false_not_the_truth_of_a_word(small, value,
                                                                      weekend_hours):
    # "false" (a grid read from a text file) was a non-empty string, so true: the row said
    # weekend false and its plan worked every weekend
    assert (variant(small, {"weekend": value}).shift.weekend is not None) is weekend_hours
    closed = variant(small, {"closed": value}).calendar.closed
    assert closed == (small.calendar.closed if weekend_hours else ())


@pytest.mark.parametrize("change, words", [
    ({"weekend": "no way"}, "weekend = 'no way': weekend: 'no way' is not true or false"),
    ({"closed": 2}, "closed = 2: closed: 2 is not true or false"),
    ({"turnout": "lots"}, "turnout = 'lots': turnout: 'lots' is not a number"),  # was a bare
    # decimal.InvalidOperation
    ({"staff": 5}, "staff = 5: staff: 5 is not a (weekday, weekend) pair"),
    ({"units": "U1"}, "'U1' is a unit id, not a count: a variant that picks units by id gives "
                      "them as a list, one list per variant, e.g. {'units': [['U1']]}"),
])
def test_a_grid_value_of_the_wrong_kind_is_named(tiny_scenario, change, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        variant(tiny_scenario, change)


@pytest.mark.parametrize("grid, shown", [
    ({"deadline": "2024-01-05"}, "{'deadline': ['2024-01-05']}, not '2024-01-05'"),  # was read
    # as the list of its characters: "deadline = '2': Invalid isoformat string"
    ({"kits": 2}, "{'kits': [2]}, not 2"),  # was "'int' object is not iterable"
])
def test_a_grid_field_given_one_bare_value_asks_for_a_list(tiny_scenario, grid, shown):
    with pytest.raises(ValueError, match=re.escape(f"takes a list of values, one per variant: "
                                                   f"{shown}")):
        sweep(tiny_scenario, grid, executor=SerialExecutor(), solver="greedy")


def test_an_unknown_solver_is_named_before_any_variant_is_planned(tiny_scenario):
    # "greddy" was "'str' object is not callable", raised from inside the executor's worker
    with pytest.raises(ValueError, match=re.escape("sweep: solver 'greddy': expected None or "
                                                   "'optimiser' (planner.solve), 'greedy'")):
        sweep(tiny_scenario, {"kits": [1, 2]}, executor=SerialExecutor(), solver="greddy")


_CALLS: list[int] = []
_RELEASE = threading.Event()


def _fails_first_then_waits(scenario, time_limit, seed):
    _CALLS.append(1)
    if len(_CALLS) == 1:
        raise RuntimeError("the first variant fails")
    _RELEASE.wait(5)  # a long solve: still running when the sweep reports the failure
    raise RuntimeError("a later variant")


def test_a_failed_variant_drops_the_variants_not_started_on_the_callers_executor(tiny_scenario):
    # an analyst's executor went on planning the whole rest of the grid after the sweep had
    # raised (as after Ctrl-C); with the default pool the caller waited for all of it first
    _CALLS.clear()
    _RELEASE.clear()
    pool = ThreadPoolExecutor(1)
    try:
        with pytest.raises(RuntimeError, match="the first variant fails"):
            sweep(tiny_scenario, {"kits": [1, 2, 3, 4, 5, 6]}, executor=pool,
                  solver=_fails_first_then_waits)
    finally:
        _RELEASE.set()
        pool.shutdown(wait=True)
    assert len(_CALLS) <= 2  # the first, and the one already running when it failed
