"""The short table printed at the end of a run: per district, coverage before -> after, zone."""
from __future__ import annotations

from ..plan import Plan
from .labels import check_lang, label, percent, zone_label


def rows(plan: Plan, lang: str = "id") -> list[list[str]]:
    """Header plus one row per district plus the total, as display strings."""
    check_lang(lang)
    summary = plan.summary()
    out = [[label("district", lang), label("backlog", lang), label("counted", lang),
            label("coverage_before", lang) + " → " + label("coverage_after", lang).split()[-1],
            label("zone", lang)]]
    backlog = 0
    for name, d in summary["districts"].items():
        backlog += d["backlog"]
        out.append([name or "–", str(d["backlog"]), str(d["counted"]),
                    f"{percent(d['coverage_before'])} → {percent(d['coverage'])}",
                    zone_label(d["zone"], lang)])
    out.append([label("total", lang), str(backlog), str(summary["counted_recordings"]),
                f"{percent(summary['coverage_before'])} → {percent(summary['coverage_after'])}",
                zone_label(summary["zone_after"], lang)])
    return out


def render(plan: Plan, lang: str = "id") -> str:
    """Aligned plain-text table (numbers right-aligned), ending without a newline."""
    table = rows(plan, lang)
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    numeric = {1, 2, 3}

    def line(r: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in numeric else c.ljust(w)
                         for i, (c, w) in enumerate(zip(r, widths))).rstrip()

    rule = "  ".join("-" * w for w in widths)
    body = [line(table[0]), rule] + [line(r) for r in table[1:-1]] + [rule, line(table[-1])]
    return "\n".join(body)
