"""Parsers for date and period cells (inbound-reports.md §3): day first, Excel serials, `Quý III/2022`."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from pipelines.ingest.values import ValueProblem, cell_text, normalize_text
from pipelines.lib.quarters import period_of

_EXCEL_EPOCH = date(1899, 12, 30)


# --- dates --------------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_DATE_EXPECTED = ("ngày hợp lệ dd/mm/yyyy", "valid date dd/mm/yyyy")


@lru_cache(maxsize=8192, typed=True)  # values repeat down a sheet (one period, few dates)
def parse_date(value: object) -> date | None:
    """Day first always; an Excel number in a date column is read as an Excel serial."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueProblem("F005", cell_text(value), *_DATE_EXPECTED)
    if isinstance(value, int | float):
        if value != value or not 1 <= value < 2958466:
            raise ValueProblem("F005", cell_text(value), *_DATE_EXPECTED)
        return _EXCEL_EPOCH + timedelta(days=int(value))
    text = normalize_text(value)
    if text == "":
        return None
    found = _DMY.match(text)
    try:
        if found:
            return date(int(found.group(4)), int(found.group(3)), int(found.group(1)))
        found = _ISO.match(text)
        if found:
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        pass
    raise ValueProblem("F005", text, *_DATE_EXPECTED)


def find_date_in_text(text: str) -> date | None:
    """The date of a title such as "tính đến ngày 30/09/2022" (None when there is none)."""
    found = re.search(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})", text)
    if not found:
        return None
    try:
        return date(int(found.group(4)), int(found.group(3)), int(found.group(1)))
    except ValueError:
        return None


# --- periods ------------------------------------------------------------------------------

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER = r"([1-4]|iv|iii|ii|i)"
_PERIOD_ISO = re.compile(r"^(\d{4}) ?- ?q ?([1-4])$")
_PERIOD_FORMS = (
    re.compile(rf"^(?:q|quý|quy) ?{_QUARTER} ?[/-] ?(\d{{4}})$"),
    re.compile(r"^(iv|iii|ii|i) ?/ ?(\d{4})$"),
    re.compile(rf"^(?:quý|quy) ?{_QUARTER} năm (\d{{4}})$"),
)


@lru_cache(maxsize=8192, typed=True)  # values repeat down a sheet (one period, few dates)
def parse_period(value: object) -> str | None:
    text = normalize_text(value).lower()
    if text == "":
        return None
    found = _PERIOD_ISO.match(text)
    if found:
        return period_of(int(found.group(1)), int(found.group(2)))
    for form in _PERIOD_FORMS:
        found = form.match(text)
        if found:
            raw_quarter = found.group(1)
            quarter = _ROMAN.get(raw_quarter) or int(raw_quarter)
            return period_of(int(found.group(2)), quarter)
    raise ValueProblem("F003", normalize_text(value), "kỳ dạng 2022-Q3 / Quý III/2022", "period like 2022-Q3")
