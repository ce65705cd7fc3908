"""Parsers for identifier cells: tax codes (check digit, lost leading zero) and citizen ids."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from pipelines.ingest.values import ValueProblem, normalize_text

# --- tax codes and citizen ids ------------------------------------------------------------

TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_TAX_EXPECTED = ("MST 10 số (+ -3 số) đúng số kiểm tra", "10-digit tax code (+ -3 digits), valid check digit")
_TAX = re.compile(r"^(\d{9,10})(-\d{3})?$")


def tax_check_digit(first_nine: str) -> int | None:
    """None when the weighted sum gives 10: no valid code has those nine digits."""
    total = sum(int(d) * w for d, w in zip(first_nine, TAX_WEIGHTS, strict=True))
    check = 10 - total % 11
    return None if check == 10 else check


def _digits_from_number(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return str(int(value))
    if isinstance(value, str) and re.fullmatch(r"\d{9,12}\.0", value.strip()):
        return value.strip()[:-2]
    return None


@lru_cache(maxsize=8192, typed=True)  # values repeat down a sheet (one period, few dates)
def parse_tax_code(value: object) -> tuple[str | None, bool]:
    """(code, leading_zero_restored); a 9-digit code lost its 0 in Excel (F007)."""
    digits = _digits_from_number(value)
    text = digits if digits is not None else re.sub(r"[\s.]", "", normalize_text(value))
    if text == "":
        return None, False
    found = _TAX.match(text)
    if not found:
        raise ValueProblem("E001", normalize_text(value), *_TAX_EXPECTED)
    main, branch = found.group(1), found.group(2) or ""
    restored = len(main) == 9
    if restored:
        main = "0" + main
    if tax_check_digit(main[:9]) != int(main[9]):
        raise ValueProblem("E001", normalize_text(value), *_TAX_EXPECTED)
    return main + branch, restored


_CID_EXPECTED = ("CCCD 12 số", "12-digit citizen id")


def parse_citizen_id(value: object) -> tuple[str | None, bool]:
    """(id, leading_zero_restored). Observed text is withheld: it identifies a person."""
    digits = _digits_from_number(value)
    text = digits if digits is not None else re.sub(r"[\s.]", "", normalize_text(value))
    if text == "":
        return None, False
    if not text.isdigit() or not text.isascii() or len(text) not in (11, 12):
        raise ValueProblem("E008", None, *_CID_EXPECTED)
    return text.zfill(12), len(text) == 11


def citizen_id_agrees(citizen_id: str, birth_date: date | None, gender: str | None) -> bool:
    """Digit 4 encodes century and sex, digits 5-6 the birth year (seed README)."""
    code = int(citizen_id[3])
    if code > 3:
        return False
    if birth_date is not None:
        century = 1900 if code in (0, 1) else 2000
        if birth_date.year - birth_date.year % 100 != century:
            return False
        if int(citizen_id[4:6]) != birth_date.year % 100:
            return False
    return gender is None or gender == ("male" if code % 2 == 0 else "female")
