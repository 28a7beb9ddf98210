"""A route's legs timed on the plan's clock: the boat leaves the port so that the team
arrives when visits.csv says; the way home leaves at the end of the last visit."""
from __future__ import annotations

import datetime as dt

from planner.baseline import plan_greedy
from planner.export import crossings
from planner.network import TravelNetwork
from planner.plan import Plan, Route, Stop
from tests.conftest import TINY, make_scenario
from tests.export.sample import D2, D3, LOSMEN, PULAU, SUKAMAJU, hm


def test_island_route_is_road_boat_then_boat_road(geo_plan):
    route = next(r for r in geo_plan.routes if r.unit == "MK 2/Perahu")
    to_island, home = crossings.timed_ways(geo_plan, route)
    assert [(t.leg.start, t.leg.end, t.leg.mode) for t in to_island] == [
        ("kantor", "dermaga", "road"), ("dermaga", PULAU, "boat")]
    boat = crossings.crossings(to_island)
    assert len(boat) == 1 and boat[0].leaves == hm(8, 30) and boat[0].arrives == hm(9, 30)
    assert to_island[-1].arrives == route.stops[0].arrive
    assert to_island[0].leaves >= route.depart  # the hand-made plan leaves time to spare
    assert [(t.leg.mode, t.leaves) for t in home] == [("boat", hm(13, 30)),
                                                       ("road", hm(14, 30))]


def test_road_route_has_one_leg_per_stop_and_no_crossing(geo_plan):
    route = next(r for r in geo_plan.routes if len(r.stops) == 2)
    ways = crossings.timed_ways(geo_plan, route)
    assert [len(w) for w in ways] == [1, 1, 1]
    assert not any(crossings.crossings(w) for w in ways)
    assert ways[1][0].arrives == route.stops[1].arrive


def test_greedy_plan_crossings_agree_with_visits(geo_scenario):
    """On a real plan, each boat leaves after the previous stop ends (or the unit departs),
    and the legs after it add up to the arrival of visits.csv."""
    plan = plan_greedy(geo_scenario)
    island_visits = 0
    for route in plan.routes:
        ways = crossings.timed_ways(plan, route)
        for i, stop in enumerate(route.stops):
            ready = route.stops[i - 1].end if i else route.depart
            if ways[i]:
                assert ways[i][0].leaves >= ready
                assert ways[i][-1].arrives == stop.arrive
            island_visits += bool(crossings.crossings(ways[i]))
    assert island_visits >= 1, "the greedy plan should visit the island"


def test_a_scenario_without_links_gives_road_legs_of_the_matrix_time(tiny_scenario):
    route = Route("U1", dt.date(2024, 1, 1), "weekday", hm(8), hm(12),
                  (Stop("a", hm(8, 10), hm(8, 10), hm(11), 70, 600),), 1200)
    plan = Plan(tiny_scenario, (route,))
    ways = crossings.timed_ways(plan, route)
    # (3, 4) is 5 km from the base: 10 minutes at 30 km/h
    assert [(t.leg.start, t.leg.end, t.leg.seconds, t.leaves) for w in ways for t in w] == [
        ("base", "a", 600, hm(8)), ("a", "base", 600, hm(11))]


def test_the_network_is_built_once_per_scenario(tiny_scenario):
    first = crossings.network_for(tiny_scenario)
    assert crossings.network_for(tiny_scenario) is first
    other = make_scenario(TINY)
    assert crossings.network_for(other) is not first
    assert isinstance(first, TravelNetwork)


def test_place_names(geo_scenario):
    assert crossings.place_name(geo_scenario, "dermaga") == "Dermaga Paotere"
    assert crossings.place_name(geo_scenario, PULAU) == "Pulau Barrang"
    assert crossings.place_name(geo_scenario, "nowhere") == "nowhere"


# -- overnight trips -----------------------------------------------------------------------
def test_a_trip_day_leaves_from_the_lodging_of_the_night_before(trips):
    """MK1's Tuesday leaves no start place of its own: the plan's default, the losmen where
    it slept, is where its first leg starts; it ends at the losmen again."""
    tuesday = next(r for r in trips.routes if r.unit == "MK1" and r.date == D2)
    assert tuesday.start_place is None
    assert crossings.route_ends(trips, tuesday) == (LOSMEN, LOSMEN)
    ways = crossings.timed_ways(trips, tuesday)
    assert ways[0][0].leg.start == LOSMEN and ways[0][0].arrives == hm(6, 10)
    assert ways[-1][-1].leg.end == LOSMEN and ways[-1][0].leaves == hm(9, 58)
    moving = next(r for r in trips.routes if r.unit == "MK1" and r.date == D3)
    assert [(t.leg.start, t.leg.end, t.leaves) for w in crossings.timed_ways(trips, moving)
            for t in w] == [(LOSMEN, "kantor", hm(8))]  # a day without visits: one way


def test_the_boat_to_a_lodging_is_not_the_way_home(trips):
    """A day on the mainland that ends at the island's balai desa: its last boat goes to the
    lodging, and says so (Sukamaju to the port: 20 min 20 s, the boat leaves 10.20.20)."""
    route = Route("MK 2/Perahu", D2, "weekday", hm(8), hm(13), (
        Stop(SUKAMAJU, hm(8, 15), hm(8, 15), hm(10), 20, hm(0, 13)),), hm(1, 30),
        end_place=PULAU)
    plan = Plan(trips.scenario, (route,))
    ways = crossings.timed_ways(plan, route)
    assert [t.leg.end for t in ways[-1]] == ["dermaga", PULAU]
    assert crossings.crossing_texts(plan, ways[0], ways[-1], "id", to_lodging=True) == [
        "ke penginapan: berangkat 10.20 dari Dermaga Paotere, perahu 60 menit"]
    assert crossings.crossing_texts(plan, ways[0], ways[-1], "en", to_lodging=True) == [
        "to the lodging: leaves Dermaga Paotere at 10:20, boat 60 min"]


def test_lodgings_are_places_and_villages(trips, geo_plan):
    assert crossings.lodging_ids(trips) == [LOSMEN, PULAU]
    assert crossings.lodging_ids(geo_plan) == []
    assert crossings.place_name(trips.scenario, LOSMEN) == "Losmen Mawar"
    assert crossings.place_of(trips.scenario, PULAU).district == "Ujung/Tanah"


def test_a_crossing_among_zoned_times_gives_its_zone():
    """The calendars' lines around a boat say `... WIB`: so does the boat's time."""
    leaves = 14 * 3600 + 25 * 60
    assert crossings.crossing_text("Pulau Legundi", leaves, "boat", 2400, "id", "WIB") == \
        "berangkat 14.25 WIB dari Pulau Legundi, perahu 40 menit"
    assert crossings.crossing_text("Pulau Legundi", leaves, "boat", 2400, "en", "WIB") == \
        "leaves Pulau Legundi at 14:25 WIB, boat 40 min"
    assert crossings.crossing_text("X", 0, "boat", 60) == "berangkat 00.00 dari X, perahu 1 menit"
