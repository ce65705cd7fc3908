"""Pure parsers for one cell value, per inbound-reports.md §3: text, counts, yes/no, enumerations.

Dates and periods are in `dates.py`, tax codes and citizen ids in `identifiers.py`.

Every parser takes the cell exactly as the reader produced it (str from CSV; str, float,
int, bool, date or datetime from Excel) and either returns the canonical value or raises
`ValueProblem` carrying the rule id, so the record layer can quarantine the row without
knowing how each type is spelled in the wild.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

BLANK_MARKS = frozenset({"", "-", "–", "—", "x"})
_SPACES = re.compile(r"\s+")


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
    if type(value) is str:
        # Fast path (millions of cells at scale): text already in NFC whose only whitespace is
        # single spaces is canonical once trimmed. `isprintable` is false for every whitespace
        # character but the space itself.
        if "  " not in value and value.isprintable() and (value.isascii() or unicodedata.is_normalized("NFC", value)):
            return value.strip()
    elif type(value) is int:
        return str(value)
    elif type(value) is float and value.is_integer():  # Excel's numbers: calamine gives 1.0 for 1
        return str(int(value))
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
