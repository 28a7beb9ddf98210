"""Figures as people of the run's language write them: `65.928` and `91,9 %` in Indonesian,
`65,928` and `91.9 %` in English."""
from __future__ import annotations

import math

from .labels import check_lang


def percent(share: float | None, lang: str = "id") -> str:
    """`91,9 %` (id) / `91.9 %` (en): one decimal, rounded down, so that a coverage just
    under a zone's threshold (0.91976 against green at 0.92) never reads as the threshold."""
    if share is None:
        return "–"
    text = f"{math.floor(share * 1000 + 1e-9) / 10:.1f}"
    return (text.replace(".", ",") if check_lang(lang) == "id" else text) + " %"


def whole(count: float, lang: str = "id") -> str:
    """`65.928` (id) / `65,928` (en), rounded to a whole number."""
    text = f"{round(count):,}"
    return text.replace(",", ".") if check_lang(lang) == "id" else text


def decimal(value: float, places: int, lang: str = "id") -> str:
    """`18,26` (id) / `18.26` (en)."""
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if check_lang(lang) == "id" else text


def target_text(share: float, lang: str = "id") -> str:
    """A threshold or a goal as the scenario sets it, without needless decimals: `92 %`,
    `92,5 %`."""
    text = f"{float(share) * 100:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + " %" if check_lang(lang) == "id" else text + " %"
