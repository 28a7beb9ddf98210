"""`network.legs`: the way a shortest path takes, adding up to the matrix's time."""
from __future__ import annotations

from planner.network import TravelNetwork
from planner.network.legs import legs
from tests.conftest import TINY, make_scenario

ISLAND = {
    **TINY,
    "places": [{"id": "base", "x": 0, "y": 0}, {"id": "port", "name": "Dermaga", "x": 10, "y": 0}],
    "links": [{"from": "port", "to": "isle", "mode": "boat", "minutes": 90}],
    "villages": TINY["villages"] + [{"id": "isle", "x": 12, "y": 0, "unrecorded": 50,
                                     "access": "water"}],
}


def test_a_water_village_is_reached_by_road_to_the_port_then_the_boat():
    scenario = make_scenario(ISLAND)
    net = TravelNetwork(scenario)
    unit = scenario.units[0]
    way = legs(net, unit, "base", "isle")
    # 10 km at 30 km/h = 1,200 s by road, then 90 minutes by boat
    assert [(leg.start, leg.end, leg.mode, leg.seconds) for leg in way] == [
        ("base", "port", "road", 1200), ("port", "isle", "boat", 5400)]
    assert sum(leg.seconds for leg in way) == net.travel(unit, "base", "isle")
    assert [leg.is_link for leg in legs(net, unit, "isle", "a")] == [True, False]


def test_a_road_pair_is_one_road_leg_and_a_place_to_itself_none():
    scenario = make_scenario(ISLAND)
    net = TravelNetwork(scenario)
    unit = scenario.units[0]
    assert legs(net, unit, "base", "a") == [legs(net, unit, "base", "a")[0]]
    assert legs(net, unit, "base", "a")[0].seconds == net.travel(unit, "base", "a") == 600
    assert legs(net, unit, "a", "a") == []
