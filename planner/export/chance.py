"""The words of a simulated chance on the terminal (`--simulate N`, `--robust Q`).

A chance is a share of runs. Written as a percentage with one decimal, it is never rounded to
100 % or 0 % unless every run (or none) reached the goal: 3 runs of 1,000 missing the goal
read `99.7 %`, and 99,996 of 100,000 read `> 99.9 %`, not a certainty. The chance line names
the goal and says what it is of: the whole district's counted coverage (recordings of offline
villages counting on the day their cards are issued), by the deadline. The recordings line
puts the simulated counted recordings beside the plan's own figure and says why the runs fall
short of it; the robust line says what the plan made for the expected turnout would have given
when another candidate was kept.
"""
from __future__ import annotations

from typing import Optional

from ..causes import in_lang, number
from ..turnout_check import OFF_BY
from .labels import check_lang
from .numbers import target_text

WORDS = {
    "en": {
        "chance": "Chance that the whole district's counted coverage reaches the {goal} goal by "
                  "the deadline: {shown} of {runs} runs (seed {seed})",
        "no_chance": "Chance of the goal: n/a (no targets.goal, or no village knows eligible); "
                     "{runs} runs (seed {seed})",
        "spread": "simulated counted recordings P10 {p10}, P50 {p50}, P90 {p90}",
        "planned": "; the plan expects {planned}",
        "short": " (the runs draw turnout, backlogs, lost unit-days and cancelled boats as the "
                 "scenario's uncertainty says, and a visit keeps its planned hours: when fewer "
                 "come it records fewer, when more come no more)",
        "robust_against": "; chosen over the plan made for the expected turnout (Q-quantile "
                          "{value}, {expected} at the expected figures)",
        "more": "> {x} %", "less": "< {x} %",
        "drawn_as_before": "; drawn around the scenario's turnout ({turnout}), though the "
                           "{visits} visits that happened as announced recorded {percent} % "
                           "of what was expected",
        "observed_flag": " (--turnout-from-actuals judges with theirs)",
    },
    "id": {
        "chance": "Peluang cakupan terhitung seluruh kabupaten mencapai sasaran {goal} sampai "
                  "batas waktu: {shown} dari {runs} simulasi (benih acak {seed})",
        "no_chance": "Peluang sasaran: t/a (tidak ada targets.goal, atau tidak ada desa yang "
                     "diketahui jumlah wajib KTP-nya); {runs} simulasi (benih acak {seed})",
        "spread": "perekaman terhitung dalam simulasi P10 {p10}, P50 {p50}, P90 {p90}",
        "planned": "; rencana memperkirakan {planned}",
        "short": " (simulasi mengundi kehadiran, sisa belum terekam, hari unit yang hilang dan "
                 "perahu yang batal menurut ketidakpastian skenario, dan kunjungan tetap pada jam "
                 "rencananya: bila yang datang lebih sedikit, terekam lebih sedikit; bila lebih "
                 "banyak, tidak lebih)",
        "robust_against": "; dipilih daripada rencana untuk tingkat kehadiran yang diperkirakan "
                          "(kuantil-Q {value}, {expected} pada angka perkiraan)",
        "more": "> {x} %", "less": "< {x} %",
        "drawn_as_before": "; disimulasikan dengan tingkat kehadiran skenario ({turnout}), "
                           "padahal {visits} kunjungan yang terlaksana sesuai rencana merekam "
                           "{percent} % dari yang diperkirakan",
        "observed_flag": " (--turnout-from-actuals memakai tingkat kehadiran mereka)",
    },
}


def chance_text(p: float, lang: str = "id") -> str:
    """A share of runs as a percentage with one decimal (`99,7 %`); `100 %` and `0 %` only
    when exact, `> 99,9 %` and `< 0,1 %` for what would round to them."""
    words = WORDS[check_lang(lang)]
    if p >= 1 or p <= 0:
        return f"{round(p * 100)} %"
    if round(p * 100, 1) >= 100:
        return words["more"].format(x=in_lang("99.9", lang))
    if round(p * 100, 1) <= 0:
        return words["less"].format(x=in_lang("0.1", lang))
    return in_lang(f"{p * 100:.1f}", lang) + " %"


def simulation_lines(sim: dict, lang: str, planned: Optional[int] = None,
                     against: Optional[dict] = None) -> list[str]:
    """The chance of the goal, and the simulated counted recordings beside the plan's
    `planned` counted recordings (with the reason where the runs' median falls short).
    `against` is a re-plan's summary.json `actuals.against_plan`: where the visits since the
    last plan recorded well below it and the re-plan kept the scenario's turnout, the runs
    draw around that turnout too, and the chance line says so."""
    words = WORDS[check_lang(lang)]
    runs = number(sim["runs"], lang)
    p = sim.get("goal_probability")
    if p is None:
        first = words["no_chance"].format(runs=runs, seed=sim["seed"])
    else:
        first = words["chance"].format(goal=target_text(sim["goal"], lang),
                                       shown=chance_text(p, lang), runs=runs, seed=sim["seed"])
        first += _drawn_as_before(against, lang)
    counted = sim.get("counted") or sim["objective"]
    second = words["spread"].format(
        p10=number(round(counted["p10"]), lang), p50=number(round(counted["p50"]), lang),
        p90=number(round(counted["p90"]), lang))
    if planned is not None:
        second += words["planned"].format(planned=number(planned, lang))
        if counted["p50"] < planned:
            second += words["short"]
    return [first, second]


def _drawn_as_before(against: Optional[dict], lang: str) -> str:
    share = (against or {}).get("share")
    if share is None or share >= 1 - OFF_BY or against.get("applied"):
        return ""
    words = WORDS[lang]
    text = words["drawn_as_before"].format(
        turnout=in_lang(f"{against['turnout']:g}", lang), visits=number(against["visits"], lang),
        percent=round(100 * share))
    return text + (words["observed_flag"] if against.get("turnout_factor") is not None else "")


def robust_against(robust: dict, lang: str) -> str:
    """When the kept candidate was made for a lower turnout: the plain candidate's Q-quantile
    and expected figure, so that a plan expecting fewer recordings says what it was chosen
    over; empty otherwise."""
    if robust.get("turnout_factor", 1.0) == 1.0:
        return ""
    plain = next((c for c in robust.get("candidates", ()) if c["turnout_factor"] == 1.0), None)
    if plain is None:
        return ""
    return WORDS[check_lang(lang)]["robust_against"].format(
        value=number(round(plain["quantile_value"]), lang),
        expected=number(round(plain["expected"]), lang))
