"""Reporting quarters (`2022-Q3`): the one implementation of quarter arithmetic and labels.

Every domain spells a quarter the same way as the `period` column of the warehouse, so
arithmetic on it lives here once instead of being re-derived from `(month - 1) // 3`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

_PERIOD = re.compile(r"^(\d{4})-Q([1-4])$")


def period_of(year: int, quarter: int) -> str:
    """`2022-Q3` from its year and quarter number."""
    return f"{year}-Q{quarter}"


def quarter_of(day: date) -> str:
    """The period a day falls in."""
    return period_of(day.year, (day.month - 1) // 3 + 1)


def is_quarter(text: str) -> bool:
    return bool(_PERIOD.match(text))


def split_period(period: str) -> tuple[int, int]:
    found = _PERIOD.match(period)
    if not found:
        raise ValueError(f"not a period like 2022-Q3: {period!r}")
    return int(found.group(1)), int(found.group(2))


def quarter_start(period: str) -> date:
    year, quarter = split_period(period)
    return date(year, 3 * quarter - 2, 1)


def quarter_end(period: str) -> date:
    year, quarter = split_period(period)
    following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return following - timedelta(days=1)


def period_index(period: str) -> int:
    """Quarters as consecutive integers (year * 4 + quarter - 1), so the previous one is index - 1."""
    year, quarter = split_period(period)
    return year * 4 + quarter - 1


def last_closed_quarter(year: int, month: int) -> str:
    """The quarter that ended before the given month (the one being collected or due)."""
    quarter = (month - 1) // 3  # 0 in Jan–Mar: the previous year's Q4
    return period_of(year - 1, 4) if quarter == 0 else period_of(year, quarter)


def sort_quarters(quarters: Iterable[str]) -> list[str]:
    """Distinct valid periods, oldest first (the ISO spelling sorts chronologically)."""
    return sorted({q for q in quarters if is_quarter(q)})


def from_earliest(quarters: Iterable[str], changed: Iterable[str]) -> list[str]:
    """The quarters at or after the earliest changed one, oldest first; empty when none changed.

    A quarter's figures and findings look back at earlier quarters (members against the
    previous quarter's, a name against the last snapshot), never forward, so a change in a
    quarter can move that quarter and every later one, and nothing before it.
    """
    first = sort_quarters(changed)[:1]
    return [q for q in sort_quarters(quarters) if first and q >= first[0]]


def later_quarters(claimed: Iterable[str], known: Iterable[str]) -> list[str]:
    """The known quarters after the newest claimed one: a run of `claimed` changes them too (`from_earliest`)."""
    newest = sort_quarters(claimed)[-1:]
    return [q for q in sort_quarters(known) if newest and q > newest[0]]


def quarter_range_label(quarters: Sequence[str]) -> str:
    """One quarter, or `first..last` for several (the `uw/quarter` run tag)."""
    ordered = sort_quarters(quarters)
    if not ordered:
        return "-"
    return ordered[0] if len(ordered) == 1 else f"{ordered[0]}..{ordered[-1]}"


def short_quarter_label(day: date) -> str:
    """`Q3/22` for the quarter a day falls in: short enough for a chart column."""
    year, quarter = split_period(quarter_of(day))
    return f"Q{quarter}/{year % 100:02d}"


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def vietnamese_quarter_label(period: str) -> str:
    """`Quý III/2022`: how forms, reports and `dim_period.label` write a quarter."""
    year, quarter = split_period(period)
    return f"Quý {_ROMAN[quarter]}/{year}"
