"""Quarter arithmetic shared by the model and the writers.

Quarters are plain integers counted from 2018-Q1 (= 0) so the model can do range
arithmetic; the many written forms exist only because real reporters vary them.
"""

from __future__ import annotations

import datetime as dt

FIRST_YEAR = 2018
AS_OF = dt.date(2022, 9, 30)
WINDOW_START = dt.date(2018, 1, 1)
LAST_Q = 18  # 2022-Q3
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def quarter_of(day: dt.date) -> int:
    return (day.year - FIRST_YEAR) * 4 + (day.month - 1) // 3


def year_q(q: int) -> tuple[int, int]:
    return FIRST_YEAR + q // 4, q % 4 + 1


def q_start(q: int) -> dt.date:
    year, n = year_q(q)
    return dt.date(year, 3 * n - 2, 1)


def q_end(q: int) -> dt.date:
    year, n = year_q(q)
    nxt = dt.date(year + (n == 4), 1 if n == 4 else 3 * n + 1, 1)
    return nxt - dt.timedelta(days=1)


def iso(q: int) -> str:
    year, n = year_q(q)
    return f"{year}-Q{n}"


def period_text(q: int, form: int) -> str:
    """The accepted spellings of inbound-reports §3, picked per file by `form`."""
    year, n = year_q(q)
    forms = (
        f"Quý {ROMAN[n]}/{year}",
        f"{year}-Q{n}",
        f"Q{n}/{year}",
        f"quý {n} năm {year}",
        f"Quý {n}/{year}",
        f"{ROMAN[n]}/{year}",
        f"Q{n}-{year}",
    )
    return forms[form % len(forms)]


def title_period(q: int) -> str:
    year, n = year_q(q)
    return f"QUÝ {ROMAN[n]}/{year}"


def vn_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def date_text(day: dt.date, form: int) -> str:
    forms = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
    if form == 4:
        return f"{day.day}/{day.month}/{day.year}"
    return day.strftime(forms[form % len(forms)])
