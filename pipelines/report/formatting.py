"""Numbers, percentages and dates the Vietnamese way, through Babel (`vi_VN`).

156915 reads `156.915`, 95.2 reads `95,2 %`, 30 September 2022 reads `30/09/2022`. The
report and its charts format every figure here, so no page mixes `148630` with `12,478`.
A no-break space keeps `%` on the same line as its number.
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALE = "vi_VN"
NBSP = "\u00a0"


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def number(value: float | int | None, decimals: int | None = None) -> str:
    """A count or a figure; `decimals=None` shows whole numbers bare and others with up to 2 decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if decimals is None:
        if isinstance(value, int) or float(value).is_integer():
            return format_decimal(round(value), _pattern(0), locale=LOCALE)
        return format_decimal(value, "#,##0.##", locale=LOCALE)
    return format_decimal(round(float(value), decimals), _pattern(decimals), locale=LOCALE)


def signed(value: float | None, decimals: int = 0) -> str:
    """A difference with its sign: `+3`, `-915`, `0`."""
    if value is None:
        return ""
    rounded = round(float(value), decimals)
    if rounded == 0:
        return number(0, decimals)
    return ("+" if rounded > 0 else "-") + number(abs(rounded), decimals)


def percent(value: float | None, decimals: int = 1) -> str:
    """`value` is already in per cent (95.2 → `95,2 %`), as the marts store it."""
    if value is None:
        return ""
    return f"{number(value, decimals)}{NBSP}%"


def figure(value: float | None, metric: str, decimals: int | None = None) -> str:
    """A headline figure: percentages (metrics named `*_pct`) with their sign, counts as numbers."""
    if metric.endswith("_pct"):
        return percent(value, 1 if decimals is None else decimals)
    return number(value, decimals)


def day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return format_date(value, "dd/MM/yyyy", locale=LOCALE)


def moment(value: datetime | None) -> str:
    """A timestamp as stored (UTC, naive)."""
    if value is None:
        return ""
    return format_datetime(value, "dd/MM/yyyy HH:mm:ss", locale=LOCALE)


def any_value(value: object) -> str:
    """A cell of unknown type: the right format for numbers and dates, text as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return day(value)
    return str(value)
