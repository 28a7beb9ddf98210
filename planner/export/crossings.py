"""The way a route takes, leg by leg and timed: which port a team leaves from and when.

A plan gives each visit its arrival time and the travel time from the previous stop, but not
the way: a visit to an island is road to the port, then the boat. The outputs show the boat
("berangkat 07.50 dari Dermaga Canti, perahu 90 menit"), so they take the legs of the least-time
path from `network.legs` (the same decomposition the travel matrix is built from) and time
them on the plan's own clock:

- the way to a stop is timed backwards from the stop's `arrive`, so the last leg ends exactly
  when visits.csv says the team arrives (with no waiting, the first leg also starts exactly when
  the team leaves the previous stop or its start place);
- the way home (or, on a trip, to the lodging) is timed forwards from the end of the last
  visit, or from the departure on a day without visits.

Display only: nothing here changes a time of the plan.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..network import TravelNetwork
from ..network.legs import Leg, legs
from ..plan import Plan, Route
from .labels import check_lang, clock, label

# A link's mode as people say it; a mode not listed is shown as written in the scenario.
_MODES = {
    "id": {"boat": "perahu", "river": "perahu sungai", "ferry": "kapal feri", "ship": "kapal",
           "speedboat": "speedboat"},
    "en": {},
}
_cache: dict[str, object] = {}  # the last scenario's network (writers run one after another)


@dataclass(frozen=True)
class TimedLeg:
    """One leg of a route with the clock time it starts (seconds after midnight)."""

    leg: Leg
    leaves: int

    @property
    def arrives(self) -> int:
        return self.leaves + self.leg.seconds

    @property
    def is_link(self) -> bool:
        return self.leg.is_link


def network_for(scenario, network: TravelNetwork | None = None) -> TravelNetwork:
    """The travel network of `scenario`, built once for all the writers of one plan; `network`
    (the one the plan was made on) is used instead of building one (with a road graph, a
    search from every place per unit speed)."""
    if _cache.get("scenario") is not scenario or (network is not None
                                                  and _cache.get("network") is not network):
        _cache.clear()
        _cache.update(scenario=scenario, network=network or TravelNetwork(scenario))
    return _cache["network"]  # type: ignore[return-value]


def way(plan: Plan, unit_id: str, a: str, b: str) -> list[Leg]:
    """The legs from `a` to `b` for the unit: one road leg unless a link is on the way."""
    scenario = plan.scenario
    network = network_for(scenario)
    unit = scenario.unit(unit_id)
    if a == b:
        return []
    best = network.travel(unit, a, b)
    if scenario.links:
        road = network.road_seconds(scenario.unit_speed(unit))  # kept per speed
        if int(road[network.index[a], network.index[b]]) != best:
            return legs(network, unit, a, b)
    return [Leg(a, b, "road", best)]


def route_ends(plan: Plan, route: Route) -> tuple[str, str]:
    """Where the route's day starts and where the unit sleeps after it (DESIGN §4
    `start_place`/`end_place`), as the plan resolves them (`Plan.places`): the unit's base or
    home, or a lodging on a trip."""
    return plan.places[(route.unit, route.date)]


def timed_ways(plan: Plan, route: Route) -> list[list[TimedLeg]]:
    """One list of timed legs per stop (the way to it), then the way to where the unit sleeps
    (home or a lodging): len(stops) + 1."""
    start, end = route_ends(plan, route)
    out: list[list[TimedLeg]] = []
    here = start
    for stop in route.stops:
        legs_in = way(plan, route.unit, here, stop.village_id)
        clock = stop.arrive - sum(leg.seconds for leg in legs_in)
        timed = []
        for leg in legs_in:
            timed.append(TimedLeg(leg, clock))
            clock += leg.seconds
        out.append(timed)
        here = stop.village_id
    clock = route.stops[-1].end if route.stops else route.depart
    home = []
    for leg in way(plan, route.unit, here, end):
        home.append(TimedLeg(leg, clock))
        clock += leg.seconds
    out.append(home)
    return out


def crossings(timed: list[TimedLeg]) -> list[TimedLeg]:
    """The boat, river or ferry legs of a way."""
    return [t for t in timed if t.is_link]


def place_of(scenario, pid: str):
    """The village or place with id `pid` (a lodging may be either), or None."""
    if pid in scenario.village_index:
        return scenario.village(pid)
    return next((p for p in scenario.places if p.id == pid), None)


def place_name(scenario, pid: str) -> str:
    """A place's or village's name for people (its id when it has none)."""
    item = place_of(scenario, pid)
    if item is None:
        return pid
    return item.label if pid in scenario.village_index else (item.name or item.id)


def lodging_ids(plan: Plan) -> list[str]:
    """Every lodging of the scenario (places, then villages, with `lodging: true`), then any
    other place where the plan has a unit sleep away from home, each once."""
    sc = plan.scenario
    out = [p.id for p in sc.places if p.lodging] + [v.id for v in sc.villages if v.lodging]
    for route in sorted(plan.routes, key=lambda r: (r.date, r.unit)):
        end = route_ends(plan, route)[1]
        if plan.away_at_night(route) and end not in out:
            out.append(end)
    return out


def crossing_texts(plan: Plan, way_in: list[TimedLeg], way_home: list[TimedLeg] | None,
                   lang: str, to_lodging: bool = False, zone: str = "") -> list[str]:
    """The boat legs of the way to a visit and, after the day's last visit, of the way to
    where the unit sleeps (home, or a lodging when `to_lodging`), in words:
    `berangkat 07.50 dari Dermaga Canti, perahu 90 menit` (`zone`: the time zone's
    abbreviation after the time, `berangkat 07.50 WITA ...`, where the text stands among times
    that give it)."""
    sc = plan.scenario

    def text(t: TimedLeg) -> str:
        return crossing_text(place_name(sc, t.leg.start), t.leaves, t.leg.mode, t.leg.seconds,
                             lang, zone)

    last = label("way_to_lodging" if to_lodging else "way_home", lang)
    return ([text(t) for t in crossings(way_in)]
            + [last.format(text=text(t)) for t in crossings(way_home or [])])


def mode_name(mode: str, lang: str = "id") -> str:
    """A link's mode (`boat`) in words of `lang` (`perahu`)."""
    return _MODES[check_lang(lang)].get(mode.lower(), mode)


def crossing_text(port: str, leaves: int, mode: str, seconds: int, lang: str = "id",
                  zone: str = "") -> str:
    """`berangkat 07.50 dari Dermaga Canti, perahu 90 menit` /
    `leaves Dermaga Canti at 07:50, boat 90 min` (minutes rounded up); with `zone`
    (`WITA`), `berangkat 07.50 WITA dari ...`."""
    time = clock(leaves, lang) + (f" {zone}" if zone else "")
    return label("leaves_from", lang).format(time=time, port=port, mode=mode_name(mode, lang),
                                             minutes=-(-int(seconds) // 60))
