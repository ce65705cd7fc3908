"""Pure parsers for one cell value, per inbound-reports.md §3.

Every parser takes the cell exactly as the reader produced it (str from CSV; str, float,
int, bool, date or datetime from Excel) and either returns the canonical value or raises
`ValueProblem` carrying the rule id, so the record layer can quarantine the row without
knowing how each type is spelled in the wild.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

BLANK_MARKS = frozenset({"", "-", "–", "—", "x"})
_SPACES = re.compile(r"\s+")
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass
class ValueProblem(Exception):
    rule_id: str
    observed: str | None
    expected_vi: str
    expected_en: str

    @property
    def expected(self) -> str:
        return f"{self.expected_vi} / {self.expected_en}"


def normalize_text(value: object) -> str:
    """NFC + trim + single spaces; the one place text gets its canonical form."""
    if value is None:
        return ""
    if type(value) is str and value.isascii() and value.isprintable() and "  " not in value:
        return value.strip()  # fast path: plain ASCII is already NFC with single spaces
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    return _SPACES.sub(" ", text).strip()


def cell_text(value: object) -> str:
    """The cell as a person would read it, for quarantine JSON and finding `observed`."""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return normalize_text(value)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and normalize_text(value) == "")


def fold(text: str) -> str:
    """Lower-case without diacritics (đ→d), for the loose comparisons of zones and enums."""
    text = normalize_text(text).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- counts -------------------------------------------------------------------------------

_GROUPED = re.compile(r"^\d{1,3}(?:([., ])\d{3})(?:\1\d{3})*$")
_SEPARATORS = re.compile(r"[., ]")
_COUNT_EXPECTED = ("số nguyên không âm", "non-negative integer")
MAX_COUNT = 2**31 - 1


def parse_count(value: object) -> int | None:
    """None means blank (or a dash/x), so the caller decides between 0, 1 and F009.

    Values above the INTEGER range of the raw tables are F004 too: a count of billions is
    a typing error, and letting it through would fail the whole file's insert.
    """
    if type(value) is str and value.isdigit() and value.isascii():
        number = int(value)  # fast path: most CSV cells are plain digits
        if number > MAX_COUNT:
            raise ValueProblem("F004", value, *_COUNT_EXPECTED)
        return number
    if isinstance(value, bool):
        raise ValueProblem("F004", cell_text(value), *_COUNT_EXPECTED)
    if isinstance(value, int):
        if not 0 <= value <= MAX_COUNT:
            raise ValueProblem("F004", str(value), *_COUNT_EXPECTED)
        return value
    if isinstance(value, float):
        if value != value or not value.is_integer() or not 0 <= value <= MAX_COUNT:
            raise ValueProblem("F004", repr(value).replace(".", ","), *_COUNT_EXPECTED)
        return int(value)
    text = normalize_text(value)
    if text.lower() in BLANK_MARKS:
        return None
    number = None
    if text.isdigit() and text.isascii():
        number = int(text)
    elif _GROUPED.match(text):
        number = int(_SEPARATORS.sub("", text))
    if number is None or number > MAX_COUNT:
        raise ValueProblem("F004", text, *_COUNT_EXPECTED)
    return number


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


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


@lru_cache(maxsize=8192, typed=True)  # values repeat down a sheet (one period, few dates)
def parse_period(value: object) -> str | None:
    text = normalize_text(value).lower()
    if text == "":
        return None
    found = _PERIOD_ISO.match(text)
    if found:
        return quarter_label(int(found.group(1)), int(found.group(2)))
    for form in _PERIOD_FORMS:
        found = form.match(text)
        if found:
            raw_quarter = found.group(1)
            quarter = _ROMAN.get(raw_quarter) or int(raw_quarter)
            return quarter_label(int(found.group(2)), quarter)
    raise ValueProblem("F003", normalize_text(value), "kỳ dạng 2022-Q3 / Quý III/2022", "period like 2022-Q3")


def quarter_start(period: str) -> date:
    year, quarter = period.split("-Q")
    return date(int(year), 3 * int(quarter) - 2, 1)


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


# --- yes/no, gender, enumerations ---------------------------------------------------------

_YES = frozenset({"có", "x", "1", "yes", "true", "✓", "co"})
_NO = frozenset({"không", "", "0", "no", "false", "khong"})


def parse_yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    key = normalize_text(value).lower()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueProblem("F010", normalize_text(value), "Có/Không", "yes/no")


GENDERS = {"nam": "male", "m": "male", "male": "male", "nữ": "female", "nu": "female",
           "f": "female", "female": "female"}


def parse_enum(value: object, mapping: dict[str, str], expected: str) -> str | None:
    """Case-insensitive; diacritics-insensitive as a fallback (`Tu nhan` is still private)."""
    text = normalize_text(value)
    if text == "":
        return None
    key = text.lower()
    if key in mapping:
        return mapping[key]
    folded = {fold(k): v for k, v in mapping.items()}
    if fold(text) in folded:
        return folded[fold(text)]
    raise ValueProblem("F010", text, expected, expected)


def parse_decimal(value: object) -> tuple[float, int] | None:
    """(value, decimals as written); `95,2` and `95.2` are both 95.2 with 1 decimal."""
    if isinstance(value, bool):
        raise ValueProblem("F004", cell_text(value), "số", "number")
    if isinstance(value, int | float):
        text = repr(float(value)) if isinstance(value, float) else str(value)
        if text.endswith(".0"):
            text = text[:-2]
    else:
        text = normalize_text(value).replace(" ", "")
    if text == "":
        return None
    found = re.fullmatch(r"(-?\d+)(?:[.,](\d+))?", text)
    if not found:
        raise ValueProblem("F004", text, "số (95,2 hoặc 95.2)", "number (95.2 or 95,2)")
    decimals = found.group(2) or ""
    return float(f"{found.group(1)}.{decimals or 0}"), len(decimals)
