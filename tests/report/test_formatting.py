"""Numbers and dates the Vietnamese way (Babel, vi_VN), as outputs.md §4 writes them: 156.915; 95,2 %."""

from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from pipelines.report.formatting import NBSP, day, figure, moment, number, percent, signed


def test_the_spec_examples():
    assert number(156915) == "156.915"
    assert percent(95.15570934256056) == f"95,2{NBSP}%"
    assert figure(15.407854984894259, "party_org_coverage_pct", 1) == f"15,4{NBSP}%"
    assert figure(148630.0, "members", 0) == "148.630"
    assert day(date(2022, 9, 30)) == "30/09/2022"
    assert moment(datetime(2026, 1, 2, 3, 4, 5)) == "02/01/2026 03:04:05"
    assert signed(-915) == "-915" and signed(3) == "+3" and signed(0.04, 1) == "0,0"
    assert number(None) == "" and percent(None) == ""


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_a_whole_number_reads_back_without_its_thousands_dots(value):
    shown = number(value)
    assert int(shown.replace(".", "")) == value
    assert all(len(group) == 3 for group in shown.lstrip("-").split(".")[1:])


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_a_percentage_has_one_decimal_comma_and_a_kept_together_sign(value):
    shown = percent(value)
    digits, sign = shown.split(NBSP)
    assert sign == "%" and "," in digits
    assert abs(float(digits.replace(".", "").replace(",", ".")) - value) <= 0.05 + 1e-9
