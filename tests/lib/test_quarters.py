"""Which quarters a change reaches: itself and every later one, never an earlier one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipelines.lib.quarters import from_earliest, later_quarters, period_of, sort_quarters

QUARTERS = st.builds(period_of, st.integers(2015, 2030), st.integers(1, 4))


def test_a_change_reaches_its_quarter_and_every_later_one():
    known = ["2022-Q2", "2021-Q4", "2022-Q1", "2022-Q3"]
    assert from_earliest(known, ["2022-Q1"]) == ["2022-Q1", "2022-Q2", "2022-Q3"]
    assert from_earliest(known, ["2022-Q3", "2022-Q1"]) == ["2022-Q1", "2022-Q2", "2022-Q3"]
    assert from_earliest(known, []) == []
    assert from_earliest(known, ["2022 Q1"]) == []  # not a period: changes nothing it can name


def test_later_quarters_are_those_a_narrow_claim_leaves_out():
    known = ["2021-Q4", "2022-Q1", "2022-Q2", "2022-Q3"]
    assert later_quarters(["2022-Q1"], known) == ["2022-Q2", "2022-Q3"]
    assert later_quarters(["2021-Q4", "2022-Q3"], known) == []
    assert later_quarters([], known) == []


@given(st.lists(QUARTERS, max_size=12), st.lists(QUARTERS, max_size=4))
def test_the_reach_is_a_suffix_of_the_known_quarters_holding_every_known_change(known, changed):
    reach = from_earliest(known, changed)
    ordered = sort_quarters(known)
    assert reach == ordered[len(ordered) - len(reach):]
    assert set(changed) & set(known) <= set(reach)
    assert later_quarters(reach, known) == []  # a claim of the whole reach leaves nothing out
