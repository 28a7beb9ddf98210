"""The rules' exact arithmetic (`planner/rules.py`), by hand."""
from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from planner.rules import (UNLIMITED_PEOPLE, ServiceTerms, most_people, recording_seconds,
                           service_seconds, setup_seconds, turnout_cap, turnout_fraction)
from tests.conftest import make_scenario


def test_turnout_cap_is_exact_on_numbers_and_arrays():
    p, q = turnout_fraction(Decimal("0.6"))
    assert (p, q) == (3, 5)
    assert turnout_cap(p, q, 5) == 3 and turnout_cap(p, q, 7) == 5  # ceil(4.2)
    caps = turnout_cap(np.array([3, 7]), np.array([5, 100]), np.array([5, 100]))
    assert caps.tolist() == [3, 7]  # ceil(0.07 x 100) = 7, not 8


def test_service_seconds_round_up_per_visit():
    """5 min a person with 3 kits: 100 s a person; setup 30 min. 7 people: 1,800 + 700."""
    s = make_scenario(recording={"minutes_per_person": 5, "setup_minutes": 30, "turnout": 0.7})
    assert service_seconds(s, 3, 7) == 2500
    s = make_scenario(recording={"minutes_per_person": 1, "setup_minutes": 0, "turnout": 0.7})
    assert service_seconds(s, 7, 3) == 26  # 180 / 7 = 25.71... -> 26


def test_most_people_in_a_service_time():
    setup, person = Fraction(600), Fraction(100)
    assert most_people(1799, setup, person) == 11  # (1,799 - 600) / 100
    assert most_people(599, setup, person) == 0  # not even the setup fits
    assert most_people(600, setup, Fraction(0)) == UNLIMITED_PEOPLE


def test_service_terms_by_hand():
    """1 min a person with 7 kits (60/7 s), setup 30 s: 3 people 30 + 25.71... -> 56 s."""
    terms = ServiceTerms.of(Fraction(30), Fraction(60, 7))
    assert terms.seconds(3) == 56
    assert terms.most(56) == 3 and terms.most(55) == 2  # 25 / (60/7) = 2.9...
    assert terms.most(29) == 0
    assert ServiceTerms.of(Fraction(600), Fraction(0)).most(600) == UNLIMITED_PEOPLE


@given(setup=st.decimals("0", "60", places=2), per=st.decimals("0", "12", places=2),
       kits=st.integers(1, 3), recorded=st.integers(0, 400), seconds=st.integers(-10, 20_000))
def test_service_terms_match_the_fractions(setup, per, kits, recorded, seconds):
    """The integer terms give the Fraction arithmetic's numbers, for any recording rule."""
    s = make_scenario(recording={"minutes_per_person": float(per), "setup_minutes": float(setup),
                                 "turnout": 0.5})
    setup_s, person_s = setup_seconds(s), recording_seconds(s, kits)
    terms = ServiceTerms.of(setup_s, person_s)
    assert terms.seconds(recorded) == service_seconds(s, kits, recorded)
    assert terms.seconds(recorded) == math.ceil(setup_s + recorded * person_s)  # Fractions
    assert terms.most(seconds) == most_people(seconds, setup_s, person_s)
