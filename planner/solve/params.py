"""Every tuned number of the optimiser's search, in one documented, validated dataclass.

Shares are of the planner's time limit unless said otherwise; probabilities are per LNS
step. The values are the ones measured best on the project's benches (bench/results/NOTES.md
says how); change them through `solve(..., params=SearchParams(...))`.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

from .trip_routes import TourBudget


@dataclass(frozen=True)
class SearchParams:
    # -- time ------------------------------------------------------------------------------
    starts_until: float = 0.3  # no further construction variant starts after this share
    lns_until: float = 0.75  # the LNS stops at this share of the limit, leaving time to polish
    polish_until: float = 0.95  # unneeded unit-days are dropped only before this share
    master_share: float = 0.8  # of the time left, for the CP-SAT route-pool master
    master_min_left: float = 0.5  # seconds: less than this left, no master
    engine_share: float = 0.8  # the day-route engine's most, of the whole limit ...
    engine_until: float = 0.9  # ... and it must be done by this share
    refine_until: float = 0.9  # the bound's process refines until this share
    bound_grace: float = 0.1  # the LP may end this share of the limit after the search
    inline_lp_share: float = 0.2  # without a process of its own, the LP gets this share
    progress_every: float = 3.0  # seconds between progress reports
    # -- deterministic runs (iteration limits instead of the clock) --------------------------
    iterations: int = 40  # LNS steps
    master_deterministic_time: float = 3.0  # CP-SAT deterministic-time units
    engine_iterations: int = 2000  # PyVRP iterations per day
    tour_budget: TourBudget = TourBudget()  # the trip engine's iterations per window
    # -- route pool ------------------------------------------------------------------------
    pool_per_unit_day: int = 10  # candidate routes kept per unit-day for the master
    exhaustive_routes: int = 4000  # below this many possible day routes the master sees all
    exhaustive_villages: int = 10  # ... and no unit-day has more candidate villages
    engine_max_days: int = 3  # horizons this short also go to the day-route engine
    # -- large-neighbourhood search ------------------------------------------------------------
    max_window: int = 3  # most days torn out in one step (short windows: NOTES, search)
    window_probability: float = 0.5  # a stretch of consecutive days (else scattered days)
    noise: float = 0.3  # village weights are perturbed by up to this share ...
    noise_probability: float = 0.7  # ... in this share of the steps
    guided_probability: float = 0.5  # weights follow the LP's visits (once it is solved)
    guide_betas: tuple[float, ...] = (0.5, 2.0)  # extra weight of the LP's villages
    guide_threshold: float = 0.05  # LP visits above this mark a village as the LP's
    lp_every_steps: int = 25  # the walk looks for the LP only every this many steps (`take_lp`)
    rate_probability: float = 0.5  # insertion by rate (people per added second) not value
    # -- construction ------------------------------------------------------------------------
    unit_shuffle: float = 0.5  # chance of a random unit order on a day (with an rng)
    first_villages: int = 6  # insertion runs per unit-day, each from another first village
    shortlist: int = 8  # best estimates evaluated exactly per insertion
    trip_lodgings: int = 3  # lodgings tried for a trip from a unit-day
    trip_retry_days: int = 3  # after a trip does not pay, field days before trying again
    tour_until: float = 0.9  # the trip engine's whole tours end by this share of the limit
    tour_window_seconds: float | None = 0.5  # seconds a window gets at most per pass of the tours
    tour_pass_seconds: float = 30.0  # ... unless this many seconds shared over the windows is more
    reach_share: float = 0.1  # the last of the tours' time: aimed at kecamatan not reached
    reach_tries: int = 6  # windows tried per kecamatan not reached

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.endswith(("probability", "_share", "_until", "grace", "shuffle", "noise",
                                "threshold")):
                if not 0 <= value <= 1:
                    raise ValueError(f"SearchParams.{f.name} = {value} is not a share in [0, 1]")
            elif isinstance(value, (int, float)) and value < 0:
                raise ValueError(f"SearchParams.{f.name} = {value} must not be negative")
        if self.lp_every_steps < 1:
            raise ValueError(f"SearchParams.lp_every_steps = {self.lp_every_steps} must be at least 1")
        if not self.guide_betas:
            raise ValueError("SearchParams.guide_betas needs at least one value")
