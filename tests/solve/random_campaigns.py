"""Random small planar campaigns that mix many of DESIGN §2's features at once (homes away
from the base, trips and lodgings, one-way boat links, offline and no-power villages, staff
and overtime limits, shift and calendar rules, unavailable units), for property tests of the
whole optimiser. Built from a `random.Random`, so that hypothesis drives and replays them.
`mid_campaign` scales one up to a few dozen villages, weeks and units."""
from __future__ import annotations

import datetime as dt
import random


def _hours(rng: random.Random) -> dict:
    start = rng.choice([420, 480, 510])
    end = start + rng.choice([90, 120, 180, 240, 360, 480])
    return {"start": f"{start // 60:02d}:{start % 60:02d}", "end": f"{end // 60:02d}:{end % 60:02d}"}


def random_campaign(rng: random.Random) -> dict:
    """A campaign of 2-6 days, 2-7 villages within 12 km of the office, 1-2 units."""
    start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 700))
    days = [start + dt.timedelta(days=i) for i in range(rng.randint(2, 6))]
    calendar = {"start": start.isoformat(), "deadline": days[-1].isoformat(),
                "holidays": rng.choice(["none", "none", "ID"])}
    if rng.random() < 0.25:
        day = rng.choice(days).isoformat()
        calendar["closed"] = [{"from": day, "to": day, "reason": "server"}]
    if rng.random() < 0.2:
        calendar["extra_holidays"] = [rng.choice(days).isoformat()]
    shift = {"weekday": _hours(rng)}
    if rng.random() < 0.6:
        shift["weekend"] = _hours(rng)
    if rng.random() < 0.2:
        shift["friday"] = _hours(rng) if rng.random() < 0.6 else None
    if rng.random() < 0.2:
        day = rng.choice(days).isoformat()
        shift["dates"] = [{"from": day, "to": day, **_hours(rng), "reason": "Ramadan"}]
    places = [{"id": "kantor", "x": 0, "y": 0}]
    ports = [f"port{i}" for i in range(rng.choice([0, 0, 1, 2]))]
    inns = [f"inn{i}" for i in range(rng.choice([0, 1, 2]))]
    for pid in ports + inns + (["rumah"] if rng.random() < 0.3 else []):
        places.append({"id": pid, "x": rng.randint(-12, 12), "y": rng.randint(-12, 12),
                       **({"lodging": True} if pid in inns else {})})
    villages, links = [], []
    for j in range(rng.randint(2, 7)):
        v = {"id": f"v{j}", "x": rng.randint(-12, 12), "y": rng.randint(-12, 12),
             "unrecorded": rng.randint(1, 60)}
        for key, chance, value in [("signal", 0.3, False), ("power", 0.2, False),
                                   ("lodging", 0.2, True),
                                   ("priority", 0.3, rng.choice([0.5, 1.5, 2, 3])),
                                   ("turnout", 0.2, rng.choice([0.25, 0.5, 1])),
                                   ("turnaround_days", 0.2, rng.randint(0, 3))]:
            if rng.random() < chance:
                v[key] = value
        if ports and rng.random() < 0.3:
            v["access"] = "water"
            link = {"from": rng.choice(ports), "to": v["id"], "mode": "boat",
                    "minutes": rng.choice([10, 20, 45.5])}
            if rng.random() < 0.3:  # one way by boat, back by a slower river leg
                link["oneway"] = True
                links.append({"from": v["id"], "to": link["from"], "mode": "river",
                              "minutes": 2 * link["minutes"], "oneway": True})
            links.append(link)
        villages.append(v)
    lodgings = inns + [v["id"] for v in villages if v.get("lodging")]
    ids = [p["id"] for p in places] + [v["id"] for v in villages if v.get("lodging")]
    units = []
    for k in range(rng.choice([1, 1, 2])):
        u = {"id": f"U{k + 1}", "base": rng.choice(["kantor", "kantor"] + ids),
             "kits": rng.randint(1, 3), "crew": rng.randint(1, 3),
             "generator": rng.random() < 0.4, "max_nights": rng.choice([0, 0, 1, 2, 3])}
        if rng.random() < 0.3:
            u["end"] = rng.choice(ids)
        if rng.random() < 0.2:
            u["unavailable"] = [rng.choice(days).isoformat()]
        if rng.random() < 0.2:
            u["speed_kmh"] = rng.choice([15, 50])
        units.append(u)
    data = {"name": "random", "geometry": "planar", "calendar": calendar, "shift": shift,
            "recording": {"minutes_per_person": rng.choice([2.5, 5, 10]),
                          "setup_minutes": rng.choice([5, 10, 30]),
                          "turnout": rng.choice([0.35, 0.6, 1])},
            "travel": {"speed_kmh": rng.choice([20, 30, 40])},
            "offline_turnaround_days": rng.randint(0, 3),
            "places": places, "units": units, "villages": villages}
    if links:
        data["links"] = links
    if rng.random() < 0.5:
        data["staff"] = {"weekday": rng.randint(1, 5), "weekend": rng.randint(0, 4),
                         "overtime_unit_days": rng.choice([0, 1, 2, 5])}
    if not lodgings:
        for u in units:
            u["max_nights"] = 0
    return data


def mid_campaign(rng: random.Random) -> dict:
    """`random_campaign`'s rules over 10-40 days, 15-70 villages within 40 km of the office
    (copies of its villages' kinds, backlogs up to 400) and 1-4 units (copies of its units),
    each water village reached from a port (one way by boat and back by river in 30 %)."""
    data = random_campaign(rng)
    start = dt.date.fromisoformat(data["calendar"]["start"])
    data["calendar"]["deadline"] = (start + dt.timedelta(days=rng.randint(10, 40))).isoformat()
    kinds = data["villages"]
    villages = [{**rng.choice(kinds), "id": f"w{j}", "x": rng.randint(-40, 40),
                 "y": rng.randint(-40, 40), "unrecorded": rng.randint(1, 400)}
                for j in range(rng.randint(15, 70))]
    ports = [p["id"] for p in data["places"] if p["id"].startswith("port")]
    links = []
    for v in villages:
        if v.get("access") != "water":
            continue
        if not ports:
            del v["access"]
            continue
        port, minutes = rng.choice(ports), rng.choice([10, 20, 45.5])
        if rng.random() < 0.3:
            links += [{"from": port, "to": v["id"], "mode": "boat", "minutes": minutes,
                       "oneway": True},
                      {"from": v["id"], "to": port, "mode": "river", "minutes": 2 * minutes,
                       "oneway": True}]
        else:
            links.append({"from": port, "to": v["id"], "mode": "boat", "minutes": minutes})
    data["villages"] = villages
    data.pop("links", None)
    if links:
        data["links"] = links
    lodgings = [p["id"] for p in data["places"] if p.get("lodging")] + \
        [v["id"] for v in villages if v.get("lodging")]
    ids = [p["id"] for p in data["places"]] + [v["id"] for v in villages if v.get("lodging")]
    units = []
    for k in range(rng.randint(1, 4)):
        u = {**rng.choice(data["units"]), "id": f"U{k + 1}"}
        if u["base"] not in ids:
            u["base"] = "kantor"
        if u.get("end") is not None and u["end"] not in ids:
            u["end"] = "kantor"
        if not lodgings:
            u["max_nights"] = 0
        units.append(u)
    data["units"] = units
    return data


def with_closures(data: dict, rng: random.Random) -> dict:
    """The campaign with its villages in two or three kecamatan and one to three `closures`
    of one to five days each, naming up to half of its villages or one of its kecamatan."""
    start = dt.date.fromisoformat(data["calendar"]["start"])
    length = (dt.date.fromisoformat(data["calendar"]["deadline"]) - start).days + 1
    districts = [f"K{i}" for i in range(rng.randint(2, 3))]
    villages = [{**v, "district": rng.choice(districts)} for v in data["villages"]]
    closures = []
    for _ in range(rng.randint(1, 3)):
        first = start + dt.timedelta(days=rng.randrange(length))
        closure = {"from": first.isoformat(),
                   "to": (first + dt.timedelta(days=rng.randint(0, 4))).isoformat()}
        if rng.random() < 0.3:  # a kecamatan that has villages (an empty one is an error)
            closure["districts"] = [rng.choice(sorted({v["district"] for v in villages}))]
        else:
            ids = [v["id"] for v in villages]
            closure["villages"] = rng.sample(ids, rng.randint(1, max(1, len(ids) // 2)))
        closures.append(closure)
    return {**data, "villages": villages, "closures": closures}
