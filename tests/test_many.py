"""Many districts at once on a real Dask cluster: the CLI's ROOT, `solve_many`, a lost worker."""
from __future__ import annotations

import copy
import csv
import math
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from planner.cli import main
from planner.export.terminal import batch_progress_line
from planner.export.labels import zone_label
from planner.district_task import plan_from_data, plan_to_data
from planner.many import (SUMMARY_COLUMNS, DistrictResult, dask_client, load_districts,
                          plan_into_root, summary_table,
                          solve_many)
from tests.conftest import ROOT, TINY, make_scenario

distributed = pytest.importorskip("distributed")
PLAN_ROUTES = Path(sys.executable).with_name("plan-routes")


def district(k: int, villages: int = 8, days: int = 5) -> dict:
    """A small planar district (TINY's rules): `villages` on a ring of 4-10 km around the base,
    backlogs that two units cannot finish in `days` weekdays, so the plan has choices to make."""
    data = copy.deepcopy(TINY)
    data["name"] = f"Kabupaten {k}"
    data["calendar"] = {"start": "2024-01-01", "deadline": f"2024-01-{days:02d}", "holidays": "none"}
    data["units"] = [{"id": "U1", "base": "base", "kits": 2, "crew": 3},
                     {"id": "U2", "base": "base", "kits": 1, "crew": 2}]
    data["villages"] = [
        {"id": f"k{k}v{i}", "name": f"Desa {k}-{i}", "district": "Timur" if i % 2 else "Barat",
         "x": (4 + (i * 7 + k) % 7) * (-1) ** i, "y": (i * 3 + k) % 9 - 4,
         "eligible": 1000 + 37 * i, "recorded": 700 + 11 * i + k}
        for i in range(villages)]
    data["targets"] = {"zones": {"yellow": 0.85, "green": 0.92}, "goal": 0.92}
    make_scenario(data)  # a valid scenario: fail here, not on the cluster
    return data


def write_scenarios(folder: Path, datas: dict[str, dict]) -> list[Path]:
    paths = []
    for stem, data in datas.items():
        path = folder / f"{stem}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def bad_scenario(folder: Path) -> tuple[Path, int]:
    """A scenario whose second unit has no kit; returns its path and that line."""
    data = district(9)
    data["units"][1]["kits"] = 0
    path = write_scenarios(folder, {"bad": data})[0]
    line = next(n for n, text in enumerate(path.read_text().splitlines(), start=1)
                if text.strip() == "kits: 0")
    return path, line


def folder_is_whole(folder: Path) -> bool:
    return all((folder / name).is_file() for name in
               (".jemput-plan", "visits.csv", "days.csv", "summary.json"))


def test_cli_plans_three_good_districts_like_one_by_one_and_reports_the_bad_one(tmp_path):
    """`plan-routes A B C BAD -o ROOT --workers 2 --deterministic`: a LocalCluster of 2
    processes plans the good ones; their tables are the bytes the single-scenario CLI writes."""
    good = write_scenarios(tmp_path, {f"d{k}": district(k) for k in range(3)})
    bad, bad_line = bad_scenario(tmp_path)
    root = tmp_path / "ROOT"
    batch = subprocess.Popen([str(PLAN_ROUTES), *map(str, good[:2]), str(bad), str(good[2]),
                              "-o", str(root), "--workers", "2", "--deterministic",
                              "--time-limit", "5"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    for path in good:  # one by one, meanwhile (the machine's cores are shared anyway)
        result = CliRunner().invoke(main, [str(path), "-o", str(tmp_path / f"single-{path.stem}"),
                                           "--deterministic", "--time-limit", "5", "-q"])
        assert result.exit_code == 0, result.output
    _, stderr = batch.communicate(timeout=180)
    assert batch.returncode == 2, stderr
    assert f"{bad}:{bad_line}: units[1].kits:" in stderr
    assert "Traceback" not in stderr
    assert "[4/4]" in stderr and "berjalan:" in stderr  # progress per district, in --lang id
    assert sorted(p.name for p in root.iterdir() if not p.name.startswith(".")) == [
        "d0-plan", "d1-plan", "d2-plan", "map.html", "summary.csv", "summary.xlsx"]
    assert [p.name for p in root.iterdir() if ".tmp-" in p.name] == []
    for path in good:
        for table in ("visits.csv", "days.csv"):
            assert (root / f"{path.stem}-plan" / table).read_bytes() == \
                (tmp_path / f"single-{path.stem}" / table).read_bytes(), (path.stem, table)
        # summary.json has the keys of a plan made alone, `limits` too (it was left out)
        summaries = [json.loads((folder / "summary.json").read_text(encoding="utf-8"))
                     for folder in (root / f"{path.stem}-plan", tmp_path / f"single-{path.stem}")]
        assert set(summaries[0]) == set(summaries[1]) and "limits" in summaries[0]
        # deterministic: the same limits, re-planned one after another in the worker and on
        # two processes alone, however fast either machine is
        assert summaries[0]["limits"] == summaries[1]["limits"]
    rows = list(csv.DictReader(open(root / "summary.csv", encoding="utf-8")))
    assert list(rows[0]) == SUMMARY_COLUMNS
    by_file = {r["file"]: r for r in rows}
    for path in good:  # what one more of buys the most, from the district's own limits
        limits = json.loads((root / f"{path.stem}-plan" / "summary.json").read_text())["limits"]
        gains = {f"kit:{unit}": e for unit, e in limits["kit"].items()}
        gains.update((k, e) for k, e in limits.items() if k not in ("kit", "idle_units"))
        row = by_file[path.stem]
        assert float(row["limit_gain"]) == max(e["gain"] for e in gains.values()) > 0
        assert gains[row["limit"]]["gain"] == float(row["limit_gain"])
        assert row["limit_basis"] == gains[row["limit"]]["basis"] == "measured"
    assert [r["file"] for r in rows] == ["d0", "d1", "bad", "d2"]  # the order given
    assert by_file["bad"]["status"] == "INVALID"
    assert by_file["bad"]["error"].startswith(f"{bad}:{bad_line}: units[1].kits:")
    for k in range(3):
        visits = list(csv.DictReader(open(root / f"d{k}-plan" / "visits.csv")))
        assert int(by_file[f"d{k}"]["counted"]) == sum(int(v["recorded"]) for v in visits) > 0
        assert by_file[f"d{k}"]["district"] == f"Kabupaten {k}" and not by_file[f"d{k}"]["error"]
    import openpyxl

    sheet = openpyxl.load_workbook(root / "summary.xlsx").active
    assert sheet.max_row == 1 + 4 + 1  # header, one row per district, the total
    headings = [c.value for c in sheet[1]]
    limit, basis = (headings.index(h) for h in ("Paling membatasi (tambah satu)", "Dasar"))
    d0 = [c.value for c in sheet[2]]  # in words, in the run's language (id)
    assert d0[limit].startswith(("satu kit lagi untuk", "satu staf lagi", "satu hari",
                                 "batas waktu diundur"))
    assert d0[basis] == "diukur dengan perencanaan ulang"
    exact = float(by_file["d0"]["coverage_after"])  # shown rounded down, as printed
    assert d0[headings.index("Cakupan sesudah")] == math.floor(exact * 1000 + 1e-9) / 1000
    page = (root / "map.html").read_text(encoding="utf-8")
    assert all(f"Kabupaten {k}" in page for k in range(3)) and "Desa 2-7" in page


@pytest.fixture(scope="module")
def client():
    with dask_client(workers=2) as c:
        yield c


def test_a_killed_worker_loses_no_district_and_leaves_no_half_folder(tmp_path, client):
    """The first district to start has its worker process killed (SIGKILL) at once: Dask runs
    it again on a worker that is alive, and every folder is written whole."""
    paths = write_scenarios(tmp_path, {f"d{k}": district(k, villages=30, days=10)
                                       for k in range(3)})
    starts: list[dict] = []

    def kill_first(info):
        if info["event"] == "started":
            starts.append(info)
            if len(starts) == 1:
                os.kill(info["pid"], signal.SIGKILL)

    results = plan_into_root(paths, tmp_path / "ROOT", client,
                             {"time_limit": 3, "seed": 0}, formats=["map"], progress=kill_first)
    killed = starts[0]
    again = [s for s in starts[1:] if s["district"] == killed["district"]]
    assert again and again[0]["pid"] != killed["pid"]  # rescheduled on a live process
    assert all(r.ok for r in results), [r.errors for r in results]
    for path in paths:
        assert folder_is_whole(tmp_path / "ROOT" / f"{path.stem}-plan")
    assert [p.name for p in (tmp_path / "ROOT").iterdir() if ".tmp-" in p.name] == []
    assert (tmp_path / "ROOT" / "summary.csv").is_file()


def test_cli_on_an_existing_cluster_and_a_root_that_is_not_ours(tmp_path, client):
    paths = write_scenarios(tmp_path, {f"d{k}": district(k) for k in range(2)})
    root = tmp_path / "ROOT"
    args = [*map(str, paths), "-o", str(root), "--scheduler", client.scheduler.address,
            "--planner", "greedy", "--formats", "map"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f"{root}/: 2 dari 2 kabupaten direncanakan" in result.output  # --lang id, the default
    assert folder_is_whole(root / "d0-plan") and folder_is_whole(root / "d1-plan")
    again = CliRunner().invoke(main, [*args, "--lang", "en"])  # ours: replaced as a whole
    assert again.exit_code == 0, again.output
    assert f"{root}/: 2 of 2 districts planned" in again.output
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "letter.txt").write_text("not a plan")
    refused = CliRunner().invoke(main, [*args[:2], "-o", str(documents), *args[4:]])
    assert refused.exit_code == 2
    assert f"<command line>:1: --output: {documents} exists and does not hold" in refused.output
    assert sorted(p.name for p in documents.iterdir()) == ["letter.txt"]
    under_a_file = CliRunner().invoke(main, [*args[:2], "-o", str(documents / "letter.txt" / "R"),
                                             *args[4:]])
    assert under_a_file.exit_code == 2, under_a_file.output  # was an internal error (exit 1)
    assert "<command line>:1: --output: cannot make the folder" in under_a_file.output


def test_the_workers_draw_the_folders_and_the_client_only_writes_them(tmp_path, client,
                                                                     monkeypatch):
    """A batch's maps, calendars and charts are drawn on the workers (separate processes):
    with every writer broken in the client the folders are still written whole, in the
    run's language."""
    import planner.export.folder

    def broken(*args, **kwargs):
        raise AssertionError("the client drew a folder")

    monkeypatch.setattr(planner.export.folder, "write_all", broken)
    paths = write_scenarios(tmp_path, {f"d{k}": district(k) for k in range(2)})
    results = plan_into_root(paths, tmp_path / "ROOT", client, {"solver": "greedy"},
                             formats=["calendar", "map", "progress"], lang="en")
    assert all(r.ok and r.rendered is None for r in results), [r.errors for r in results]
    for path in paths:
        folder = tmp_path / "ROOT" / f"{path.stem}-plan"
        assert folder_is_whole(folder)
        assert (folder / "calendar" / "all.ics").is_file() and (folder / "progress.png").is_file()
        assert "Recorded" in (folder / "map.html").read_text(encoding="utf-8")  # --lang en
        assert "limits" in json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def test_a_rerun_names_the_folders_it_did_not_write(tmp_path, client):
    """ROOT keeps an earlier batch's folders (one may be the last good plan), and the run says
    which ones summary.csv no longer describes: a district left out, or one that failed."""
    paths = write_scenarios(tmp_path, {f"d{k}": district(k) for k in range(3)})
    root = tmp_path / "ROOT"
    options = ["-o", str(root), "--scheduler", client.scheduler.address, "--planner", "greedy",
               "--formats", "map", "--lang", "en"]
    first = CliRunner().invoke(main, [*map(str, paths), *options])
    assert first.exit_code == 0, first.output
    assert "earlier plan" not in first.output
    broken = district(1)
    broken["units"][1]["kits"] = 0
    write_scenarios(tmp_path, {"d1": broken})
    again = CliRunner().invoke(main, [str(paths[0]), str(paths[1]), *options])
    assert again.exit_code == 2, again.output
    notes = [line for line in again.output.splitlines() if "earlier plan" in line]
    assert notes == [
        f"warning: {root / 'd1-plan'}/ holds an earlier plan, not this run's: d1 has no new "
        "plan this time (see summary.csv)",
        f"warning: {root / 'd2-plan'}/ holds an earlier plan, not this run's: d2 is not among "
        "this run's scenarios"]
    assert folder_is_whole(root / "d1-plan") and folder_is_whole(root / "d2-plan")  # kept


def test_solve_many_on_a_client_gives_plans_errors_and_one_table(tmp_path, client):
    scenarios = [make_scenario(district(k)) for k in range(2)]
    missing = tmp_path / "missing.yaml"
    batch = solve_many([*scenarios, missing], client=client, solver="greedy", limits=True)
    assert sorted(batch.plans) == ["kabupaten-0", "kabupaten-1"]  # slugs of the names
    assert batch.errors == {"missing": (f"{missing}:1: (file): no such file",)}
    table = batch.summary
    assert list(table.columns) == SUMMARY_COLUMNS and len(table) == 3
    for name, plan in batch.plans.items():
        row = table[table.file == name].iloc[0]
        assert row.counted == plan.counted > 0 and row.status == plan.solver["status"]
        assert row.coverage_after > row.coverage_before and row.seconds >= 0
        limits = plan.summary()["limits"]  # the first of equals: other limits, then kits
        top = max([(k, e) for k, e in limits.items() if k not in ("kit", "idle_units")]
                  + [(f"kit:{u}", e) for u, e in limits["kit"].items()],
                  key=lambda x: x[1]["gain"])
        assert top[1]["gain"] > 0
        assert (row.limit, row.limit_gain, row.limit_basis) == (top[0], top[1]["gain"],
                                                                top[1]["basis"])


def test_plan_data_round_trip_and_a_mismatch_is_refused(tiny_scenario):
    from planner.baseline import plan_greedy

    plan = plan_greedy(tiny_scenario)
    data = plan_to_data(plan)
    rebuilt = plan_from_data(tiny_scenario, data)
    assert rebuilt.routes == plan.routes and rebuilt.counted == plan.counted > 0
    with pytest.raises(RuntimeError, match="does not rebuild"):
        plan_from_data(tiny_scenario, {**data, "counted": data["counted"] + 1})


def test_two_files_with_one_stem_are_refused(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_scenarios(tmp_path / "a", {"x": district(1)})[0]
    second = write_scenarios(tmp_path / "b", {"x": district(2)})[0]
    loaded = load_districts([first, second])
    assert loaded[0].scenario is not None and not loaded[0].errors
    assert loaded[1].bad_input and "another scenario is also named 'x'" in loaded[1].errors[0]


def test_variants_of_a_file_scenario_are_named_by_their_own_names(tmp_path):
    """DESIGN §5: `scenario.replace(...)` for variants. A variant of a loaded file kept the
    file's stem as its name, so it was refused, and renaming it (as the message said) did
    not help."""
    from planner.scenario import load_scenario

    base = load_scenario(write_scenarios(tmp_path, {"d40": district(1)})[0])
    more = base.replace(name="D40 more staff", staff={"weekday": 9})
    same = base.replace(staff={"weekday": 8})
    loaded = load_districts([base, more, same])
    assert [d.name for d in loaded] == ["d40", "d40-more-staff", "d40"]
    assert [bool(d.errors) for d in loaded] == [False, False, True]
    assert "scenario.replace(name=...)" in loaded[2].errors[0]


def test_progress_line_names_the_running_districts_and_time_left():
    [result] = load_districts([make_scenario(district(1))])
    result.fail(["x.yaml:3: units: bad"], bad_input=True)
    finished = {"event": "finished", "result": result, "done": 3, "total": 15,
                "running": ["a", "b"], "eta_s": 125}
    assert batch_progress_line(finished, "en") == \
        "[ 3/15] kabupaten-1: bad input | running: a, b | left: ~2 min 05 s"
    assert batch_progress_line(finished, "id") == \
        "[ 3/15] kabupaten-1: masukan salah | berjalan: a, b | sisa: ~2 mnt 05 dtk"
    started = {"event": "started", "district": "a", "pid": 42, "done": 0, "total": 2,
               "running": ["a"], "eta_s": None}
    assert batch_progress_line(started, "en") == "[0/2] started a (worker pid 42)"
    assert batch_progress_line(started, "id") == "[0/2] mulai a (pid pekerja 42)"


def test_a_planned_districts_progress_line_names_its_zones_in_the_language(tiny_scenario):
    from planner.many import DistrictResult
    from planner.plan import Plan

    zoned = tiny_scenario.replace(targets={"zones": {"green": 0.92}})
    planned = DistrictResult("d", "d.yaml", zoned, Plan(zoned, ()), seconds=65)
    info = {"event": "finished", "result": planned, "done": 1, "total": 1, "running": [],
            "eta_s": 0}
    zone = planned.row()["zone"]
    assert zone is not None
    assert batch_progress_line(info, "id") == (
        f"[1/1] d: 0 terhitung, zona {zone_label(planned.row()['zone_before'], 'id')} -> "
        f"{zone_label(zone, 'id')}, 1 mnt 05 dtk | berjalan: tidak ada | sisa: ~0 dtk")
    assert batch_progress_line(info, "en").endswith(
        ", 1 min 05 s | running: none | left: ~0 s")


def test_the_province_total_counts_each_planned_district_once(tiny_scenario):
    """A file given twice is refused, but its backlog went into the total a second time."""
    from planner.export.province import totals
    from planner.many import DistrictResult
    from planner.plan import Plan

    planned = DistrictResult("d", "d.yaml", tiny_scenario, Plan(tiny_scenario, ()))
    again = DistrictResult("d", "d.yaml", tiny_scenario)
    again.fail(["d.yaml:1: (file): given twice"], bad_input=True)
    assert totals([planned, again]) == totals([planned])
    assert totals([planned])["backlog"] == sum(v.unrecorded for v in tiny_scenario.villages)


def test_the_province_map_names_a_planar_district_it_cannot_place(tiny_scenario):
    """A planar district among geographic ones has no place on the map; it was left out
    without a word."""
    from planner.export.province import build_map
    from planner.many import DistrictResult
    from planner.plan import Plan
    from tests.export.sample import GEO

    geo = make_scenario(GEO)
    results = [DistrictResult("geo", None, geo, Plan(geo, ())),
               DistrictResult("flat", None, tiny_scenario, Plan(tiny_scenario, ()))]
    page = build_map(results, "en").get_root().render()
    assert "Not on this map (planar coordinates, not latitude/longitude): " \
        f"{tiny_scenario.name}" in page
    alone = build_map(results[:1], "en").get_root().render()
    assert "jemput-not-on-map" not in alone


def test_a_worker_plans_with_the_road_graph_the_client_read(tmp_path):
    """The payload carries the parsed road graph: a worker without the file (another
    machine) plans the same as the client would, and draws the district's folder."""
    from planner.baseline import plan_greedy
    from planner.district_task import plan_district
    from planner.many import _payload
    from planner.scenario import load_scenario
    from tests.network.test_roads import _write_roads

    _write_roads(tmp_path / "roads.graphml")
    data = {**TINY, "travel": {"speed_kmh": 30, "roads": "roads.graphml"},
            "places": [{"id": "base", "x": 0, "y": 0.1}],
            "villages": [{"id": "a", "x": 10, "y": 10, "unrecorded": 5}]}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    scenario = load_scenario(path)
    payload = _payload(scenario)
    (tmp_path / "roads.graphml").unlink()  # not on the worker's machine
    got = plan_district(payload, {"solver": "greedy", "render": {"formats": None, "lang": "en"}})
    want = plan_greedy(scenario)
    assert got["counted"] == int(want.counted) == 5
    assert got["routes"][0]["travel_s"] == want.routes[0].travel_s == 2 * 912
    formats, files = got["rendered"]  # its folder drawn there too, every format
    assert formats == ["tables", "calendar", "schedule", "announcements", "map", "progress"]
    assert {"visits.csv", "map.html", "schedule.xlsx", "progress.png"} <= set(files)


def test_a_batch_re_plans_each_district_from_its_own_actuals(tmp_path, client):
    """`--actuals DIR` with several scenarios: each district re-planned from DIR/<stem>.csv,
    its folder a re-plan (summary.json `actuals`, dates from its today) that passes
    `--check-plan --actuals`; a district without a file is reported, the others written.
    `--turnout-from-actuals` without an earlier plan in ROOT: said for each district."""
    from planner.baseline import plan_greedy

    datas = {f"d{k}": district(k, villages=10, days=10) for k in range(3)}
    paths = write_scenarios(tmp_path, datas)
    done = tmp_path / "done"
    done.mkdir()
    for stem in ("d0", "d1"):  # d2 has no file
        first = plan_greedy(make_scenario(datas[stem]))
        rows = first.visits[first.visits["date"] < "2024-01-04"]
        rows.to_csv(done / f"{stem}.csv", index=False)
    root = tmp_path / "ROOT"
    args = [*map(str, paths), "-o", str(root), "--scheduler", client.scheduler.address,
            "--planner", "greedy", "--formats", "announcements", "--lang", "en",
            "--turnout-from-actuals", "--actuals", str(done)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    for stem in ("d0", "d1"):  # ROOT held no plan to compare with: each district says so
        assert (f"{tmp_path / stem}.yaml:1: --turnout-from-actuals: no turnout to plan with"
                in result.output)
    assert (f"{done}:1: --actuals: no file of what happened in 'd2' (d2.csv, d2.xlsx or "
            "d2-plan/schedule.xlsx)"
            in result.output)
    assert not (root / "d2-plan").exists()
    for stem in ("d0", "d1"):
        folder = root / f"{stem}-plan"
        summary = json.loads((folder / "summary.json").read_text())
        assert summary["actuals"]["today"] == "2024-01-04"
        with (folder / "visits.csv").open() as f:
            assert min(r["date"] for r in csv.DictReader(f)) >= "2024-01-04"
        pages = "".join(p.read_text() for p in (folder / "announcements").iterdir())
        assert "Jadwal baru" in pages  # the worker drew them as a re-plan's
        checked = CliRunner().invoke(main, [str(tmp_path / f"{stem}.yaml"), "--check-plan",
                                            str(folder), "--actuals", str(done / f"{stem}.csv")])
        assert checked.exit_code == 0, checked.output
    refused = CliRunner().invoke(main, args[:-1] + [str(done / "d0.csv")])
    assert refused.exit_code == 2
    assert "<command line>:1: --actuals: with several scenarios, give a folder" in refused.output


def planned_batch(tmp_path, client, formats: str) -> tuple[dict, Path, list[str]]:
    """Two ten-day districts planned greedily into ROOT (`formats`, English): their data,
    ROOT and the command line that planned them, for a re-plan to extend."""
    datas = {f"d{k}": district(k, villages=10, days=10) for k in range(2)}
    paths = write_scenarios(tmp_path, datas)
    root = tmp_path / "ROOT"
    common = [*map(str, paths), "-o", str(root), "--scheduler", client.scheduler.address,
              "--planner", "greedy", "--formats", formats, "--lang", "en"]
    first = CliRunner().invoke(main, common)
    assert first.exit_code == 0, first.output
    return datas, root, common


def test_a_batch_keeps_each_districts_announced_visits(tmp_path, client):
    """`--actuals DIR --keep-until D` with several scenarios: each district keeps the visits its
    folder in ROOT announced to D, its worker plans the days after, the folder passes
    `--check-plan --actuals`; its changes.csv names the villages whose visits moved."""
    from tests.test_changes import expected_changes

    datas, root, common = planned_batch(tmp_path, client, "progress,calendar")
    with (root / "summary.csv").open() as f:  # a first plan: nobody to tell of a change
        assert {r["villages_to_tell"] for r in csv.DictReader(f)} == {""}
    done = tmp_path / "done"
    done.mkdir()
    announced, earlier = {}, {}
    for stem in datas:
        with (root / f"{stem}-plan" / "visits.csv").open() as f:
            rows = earlier[stem] = list(csv.DictReader(f))
        with (done / f"{stem}.csv").open("w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows({**r, "recorded": int(r["recorded"]) * 2 // 3} if i % 2 else r
                             for i, r in enumerate(r for r in rows if r["date"] < "2024-01-04"))
        announced[stem] = [(r["unit"], r["date"], r["village_id"], r["start"], r["end"])
                           for r in rows if "2024-01-04" <= r["date"] <= "2024-01-05"]
    again = CliRunner().invoke(main, common + ["--actuals", str(done), "--today", "2024-01-04",
                                               "--keep-until", "2024-01-05"])
    withdrawn_any = False
    assert again.exit_code == 0, again.output
    with (root / "summary.csv").open() as f:
        to_tell = {r["file"]: r["villages_to_tell"] for r in csv.DictReader(f)}
    told = 0
    for stem in datas:
        folder = root / f"{stem}-plan"
        with (folder / "visits.csv").open() as f:
            new_rows = list(csv.DictReader(f))
        now = [(r["unit"], r["date"], r["village_id"], r["start"], r["end"])
               for r in new_rows if r["date"] <= "2024-01-05"]
        assert announced[stem] and now == announced[stem]
        with (folder / "changes.csv").open() as f:  # compared by the worker with the earlier
            changes = {r["village_id"]: r["change"] for r in csv.DictReader(f)}
        assert changes == expected_changes(earlier[stem], new_rows, "2024-01-04")
        assert to_tell[stem] == str(len(changes))
        told += len(changes)
        withdrawn = json.loads((folder / "summary.json").read_text())["changes"]["withdrawn"]
        cancelled = folder / "calendar-cancelled" / "all.ics"  # drawn by the worker
        assert cancelled.exists() == bool(withdrawn)
        withdrawn_any = withdrawn_any or bool(withdrawn)
        summary = json.loads((folder / "summary.json").read_text())
        assert summary["kept"]["until"] == "2024-01-05"
        checked = CliRunner().invoke(main, [str(tmp_path / f"{stem}.yaml"), "--check-plan",
                                            str(folder), "--actuals", str(done / f"{stem}.csv"),
                                            "--today", "2024-01-04"])
        assert checked.exit_code == 0, checked.output
    assert withdrawn_any, "fewer recorded than planned: the days after the kept ones change"
    import openpyxl

    sheet = openpyxl.load_workbook(root / "summary.xlsx").active
    column = [c.value for c in sheet[1]].index("Villages whose schedule changed")
    assert [row[column].value for row in sheet.iter_rows(min_row=2)][-1] == told > 0


def test_a_batch_re_plans_from_the_workbooks_in_root(tmp_path, client):
    """`--actuals ROOT --today D`: each district's re-plan reads the workbook its teams
    corrected in ROOT/<stem>-plan/ (here one visit of d1 recorded 7 instead)."""
    import openpyxl

    datas, root, common = planned_batch(tmp_path, client, "schedule")
    planned = {}
    for stem in datas:
        with (root / f"{stem}-plan" / "visits.csv").open() as f:
            planned[stem] = [r for r in csv.DictReader(f) if r["date"] < "2024-01-04"]
    book = openpyxl.load_workbook(root / "d1-plan" / "schedule.xlsx")
    sheet = book["Unit U1"]
    recorded = [c.value for c in sheet[1]].index("Recorded") + 1
    was = sheet.cell(2, recorded).value
    sheet.cell(2, recorded).value = 7
    book.save(root / "d1-plan" / "schedule.xlsx")
    again = CliRunner().invoke(main, common + ["--actuals", str(root), "--today", "2024-01-04"])
    assert again.exit_code == 0, again.output
    # d1's teams recorded far less than announced at one visit: said, with d1's folder
    assert again.output.count("visits that happened as this plan announced") == 1
    assert "d1-plan/visits.csv: the 6 visits" in again.output
    for stem in datas:
        actuals = json.loads((root / f"{stem}-plan" / "summary.json").read_text())["actuals"]
        assert actuals["visits"] == len(planned[stem]) > 0
        assert actuals["recorded"] == sum(int(r["recorded"]) for r in planned[stem]) - \
            (was - 7 if stem == "d1" else 0)
        # every visit happened as its plan in ROOT announced it: compared there (5 or more)
        against = actuals.get("against_plan")
        assert (against is not None) == (actuals["visits"] >= 5)
        assert against is None or (against["visits"], against["recorded"]) == \
            (actuals["visits"], actuals["recorded"])


def test_a_districts_time_counts_its_limits_and_files():
    """The progress line's seconds and the time left come from the whole task on the worker
    (its limits' re-plans and its drawn files too), `seconds` stays the planning."""
    from planner.district_task import plan_district
    from planner.many import _payload

    data = plan_district(_payload(make_scenario(district(0))),
                         {"solver": "greedy", "limits": True, "time_limit": 4,
                          "render": {"formats": ["schedule", "map"], "lang": "id"}})
    assert 0 <= data["seconds"] < data["task_seconds"]


def test_a_districts_warnings_name_its_file_where_they_name_nothing():
    """A batch prints every district's warnings together: one from planning (a kept trip
    dropped, a village gone from the scenario) named no district; one located by loading keeps
    its place."""
    from planner.many import DistrictResult
    from planner.notices import Notice

    result = DistrictResult("metro", "lampung/kota-metro.yaml", warnings=(
        Notice("kept_unavailable", unit="U1", day="2018-05-08"),
        Notice("kept_unavailable", "kota-metro.yaml:12: units[0]", unit="U1", day="2018-05-09"),
        UserWarning("from a library")))
    assert [str(w).split(": unit 'U1'")[0] for w in result.located_warnings()] == [
        "lampung/kota-metro.yaml", "kota-metro.yaml:12: units[0]", "from a library"]


def test_the_province_table_starts_with_the_contracts_columns_in_its_order():
    """DESIGN §4 names summary.csv's columns (name, backlog, counted, coverage before and
    after, zone, goal reached, status, seconds, the error line): a reader by position finds
    them first, the planner's own after them; a scenario that could not be read is named by
    its file's stem."""
    failed = DistrictResult(name="d2", source="d2.yaml", errors=("d2.yaml:3: units: bad",),
                            bad_input=True)
    table = summary_table([failed])
    assert list(table.columns)[:10] == ["district", "backlog", "counted", "coverage_before",
                                        "coverage_after", "zone", "goal_reached", "status",
                                        "seconds", "error"]
    row = table.iloc[0]
    assert (row.district, row.file, row.status) == ("d2", "d2", "INVALID")
    assert row.error == "d2.yaml:3: units: bad"
