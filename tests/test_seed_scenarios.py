"""The five seed campaigns load, keep the seeds' totals, and plan without violations."""
from __future__ import annotations

import datetime as dt
import os
import warnings

import pytest

import planner
from planner.check import check
from planner.solve import solve
from tests.conftest import SCENARIOS

SEEDS = ["pesawaran-2018", "kapuas-hulu-2018", "lombok-tengah-2018", "oki-2017", "kotim-2016"]

# (wajib KTP, recorded) as the seeds give them (see the comments in each scenario file).
TOTALS = {
    "kapuas-hulu-2018": (169_067, 155_769),
    "lombok-tengah-2018": (686_362 + 66_524, 686_362),
    "oki-2017": (550_000, 440_000),
    "kotim-2016": (306_000, 226_000),
}

TIME_LIMIT = float(os.environ.get("JEMPUT_SEED_TIME_LIMIT", "2"))


_PLANS: dict = {}


def seed_plan(name: str):
    """The seed scenario and its plan at TIME_LIMIT, planned once for the module's tests."""
    if name not in _PLANS:
        scenario = planner.load_scenario(SCENARIOS / f"{name}.yaml")
        _PLANS[name] = scenario, solve(scenario, time_limit=TIME_LIMIT, seed=0)
    return _PLANS[name]


@pytest.mark.parametrize("name", SEEDS)
def test_plans_without_violations(name):
    scenario, plan = seed_plan(name)
    assert check(scenario, plan) == []
    assert plan.counted > 0


@pytest.mark.parametrize("name", sorted(TOTALS))
def test_totals_equal_the_seed(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every village column is one the contract names
        scenario = planner.load_scenario(SCENARIOS / f"{name}.yaml")
    eligible, recorded = TOTALS[name]
    assert sum(v.eligible for v in scenario.villages) == eligible
    assert sum(v.recorded for v in scenario.villages) == recorded
    assert sum(v.unrecorded for v in scenario.villages) == eligible - recorded


def test_kapuas_hulu_weekends_only_with_eleven_staff_and_priority_kecamatan():
    s = planner.load_scenario(SCENARIOS / "kapuas-hulu-2018.yaml")
    assert (s.staff.weekday, s.staff.weekend) == (0, 11)
    assert sum(u.crew for u in s.units) == 11
    assert s.calendar.deadline == dt.date(2018, 6, 26)
    backlog = {}
    for v in s.villages:
        backlog[v.district] = backlog.get(v.district, 0) + v.unrecorded
        assert (v.priority == 2) == (v.district in ("Putussibau Selatan", "Kalis", "Silat Hilir"))
    ranked = sorted(backlog, key=backlog.get, reverse=True)[:3]
    assert ranked == ["Putussibau Selatan", "Kalis", "Silat Hilir"]
    assert 1_000 < backlog["Putussibau Selatan"] < 1_100
    assert any(v.access == "water" for v in s.villages)
    assert any(lk.mode == "river" for lk in s.links)


def test_lombok_tengah_server_block_broken_kits_and_pujut():
    s = planner.load_scenario(SCENARIOS / "lombok-tengah-2018.yaml")
    (block,) = s.calendar.closed
    assert (block.to - block.from_).days + 1 == 10
    assert any(u.unavailable for u in s.units)
    backlog = {}
    for v in s.villages:
        backlog[v.district] = backlog.get(v.district, 0) + v.unrecorded
    assert max(backlog, key=backlog.get) == "Pujut"
    assert any(not v.signal for v in s.villages) and any(not v.power for v in s.villages)


def test_kotim_five_kits_and_the_75_percent_target():
    s = planner.load_scenario(SCENARIOS / "kotim-2016.yaml")
    assert sum(u.kits for u in s.units) == 5
    assert s.targets.goal == s.targets.zones["target"] == pytest.approx(0.75)
    assert s.calendar.deadline == dt.date(2016, 9, 30)


def test_kotims_kecamatan_kits_serve_their_own_kecamatan():
    """Seed 004: from 5 September Mentawa Baru Ketapang and Baamang record their own residents
    at the kecamatan; the office's three kits serve everyone."""
    s, plan = seed_plan("kotim-2016")
    assert {u.id: u.districts for u in s.units} == {
        "KANTOR": None, "KEC-MBK": ("Mentawa Baru Ketapang",), "KEC-BAAMANG": ("Baamang",)}
    district = {v.id: v.district for v in s.villages}
    assert planner.check(s, plan) == []
    for unit, own in (("KEC-MBK", "Mentawa Baru Ketapang"), ("KEC-BAAMANG", "Baamang")):
        assert {district[v] for v in plan.visits[plan.visits.unit == unit].village_id} == {own}
