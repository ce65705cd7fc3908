"""Header normalisation and matching (inbound-reports.md §2).

Diacritics stay significant here; only case, spacing, a trailing `(*)`/`*`/`:` and a
trailing unit in parentheses are forgiven. The unit is dropped only when the full text
does not match, because two official aliases differ only by their parentheses
(`Trong đó nữ (CNLĐ)` vs `Trong đó nữ (đoàn viên)`).
"""

from __future__ import annotations

import re
from functools import cache

from pipelines.ingest.columns import KINDS
from pipelines.ingest.values import normalize_text

_MARKER = re.compile(r"\s*(?:\(\*\)|\*|:)\s*$")
_UNIT = re.compile(r"\s*\([^()]*\)\s*$")


def normalize_header(text: object) -> str:
    return _strip_markers(normalize_text(text).lower())


def _strip_markers(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _MARKER.sub("", text)
    return text


def header_candidates(text: object) -> list[str]:
    """The forms to try, most literal first: full text, then with units dropped one by one."""
    current = normalize_header(text)
    forms = [current]
    while _UNIT.search(current):
        current = _strip_markers(_UNIT.sub("", current))
        if not current:
            break
        forms.append(current)
    return forms


@cache
def alias_index(kind: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for column in KINDS[kind].columns:
        for alias in (column.name, *column.headers):
            index.setdefault(normalize_header(alias), column.name)
    return index


def match_header(kind: str, text: object) -> str | None:
    index = alias_index(kind)
    for form in header_candidates(text):
        if form in index:
            return index[form]
    return None


def map_header_row(kind: str, cells: list[object]) -> tuple[dict[int, str], dict[int, str]]:
    """(cell index → canonical column, cell index → original header of an extra column).

    When two cells map to one column the first wins and the second is kept as extra.
    """
    known: dict[int, str] = {}
    extra: dict[int, str] = {}
    for index, cell in enumerate(cells):
        text = normalize_text(cell)
        if not text:
            continue
        name = match_header(kind, text)
        if name is not None and name not in known.values():
            known[index] = name
        else:
            extra[index] = text
    return known, extra
