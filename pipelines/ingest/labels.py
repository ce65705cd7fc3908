"""The words of the hand-drawn forms (inbound-reports.md §2.1, §2.2), and how a label is compared.

A label written by a person carries furniture the header rules of §2 do not forgive:
numbering (`1.`, `2.3`, `a)`, `(b)`, `II.`), bullets (`-`, `+`, `•`) and colons inside
(`Trong đó: nữ`). `normalize_label` drops all of that on top of the header rules, so the
tables below can be written once, the way the spec spells them.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from pipelines.ingest.headers import header_candidates, normalize_header
from pipelines.ingest.values import normalize_text

_LEADING = re.compile(
    r"^(?:\(\s*(?:\d{1,3}|[a-zđ]|[ivxlc]{1,5})\s*\)"  # (1) (a) (iv)
    r"|(?:\d{1,3}(?:\.\d{1,3})*|[a-zđ]|[ivxlc]{1,5})\s*[.)](?!\d)"  # 1. 2.3. a) II.
    r"|[-–—+•*·])\s*")
_COLON = re.compile(r"\s*:\s*")


def normalize_label(text: object) -> str:
    """Header rules of §2 (NFC, case, spaces, trailing `(*)`/`:`), then leading numbering,
    bullets and dashes, then inner colons (`trong đó: nữ` = `trong đó nữ`)."""
    label = normalize_header(text)
    previous = None
    while previous != label:
        previous, label = label, _LEADING.sub("", label, count=1)
    return _COLON.sub(" ", label).strip()


def label_candidates(text: object) -> tuple[str, ...]:
    """Most literal first: the label, then with trailing units `(người)` dropped one by one.

    Cached for text: every row above a header is tried against several tables, and forms
    repeat the same header and title texts from file to file."""
    if isinstance(text, str):
        return _label_candidates(text)
    return _label_candidates(normalize_text(text)) if text is not None else ()


@lru_cache(maxsize=16384)
def _label_candidates(text: str) -> tuple[str, ...]:
    forms: list[str] = []
    for form in header_candidates(normalize_label(text)):
        label = normalize_label(form)
        if label and label not in forms:
            forms.append(label)
    return tuple(forms)


def _index(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for name, labels in table.items():
        for label in labels:
            index.setdefault(normalize_label(label), name)
    return index


def lookup(index: dict[str, str], text: object) -> str | None:
    for form in label_candidates(text):
        if form in index:
            return index[form]
    return None


# --- §2.1 two-row headers: group cell over sub-headers ----------------------------------------

GROUPS: dict[str, dict[str, tuple[str, ...]]] = {"union_reports": {
    "workers": ("Lao động", "Số lao động", "CNLĐ", "Tổng số CNLĐ"),
    "members": ("Đoàn viên", "Đoàn viên công đoàn", "Số đoàn viên"),
    "party": ("Phát triển Đảng", "Quần chúng ưu tú", "Giới thiệu quần chúng ưu tú"),
}}
SUB_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "workers": {"workers_total": ("Tổng số", "Tổng", "Cộng"),
                "workers_female": ("Trong đó nữ", "Nữ", "Lao động nữ")},
    "members": {"members_total": ("Tổng số", "Tổng", "Cộng"),
                "members_female": ("Trong đó nữ", "Nữ"),
                "members_joined": ("Kết nạp mới", "Kết nạp mới trong kỳ", "Tăng"),
                "members_left": ("Giảm", "Giảm trong kỳ")},
    "party": {"candidates_introduced": ("Giới thiệu học lớp NTĐ", "Được giới thiệu", "Giới thiệu"),
              "candidates_admitted": ("Được kết nạp", "Kết nạp Đảng", "Được kết nạp Đảng"),
              "admitted_via_core_cell": ("Trong đó tại chi bộ nòng cốt", "Qua chi bộ nòng cốt")},
}


@cache
def _group_index(kind: str) -> dict[str, str]:
    return _index(GROUPS.get(kind, {}))


@cache
def _sub_index(group: str) -> dict[str, str]:
    return _index(SUB_HEADERS[group])


@cache
def _all_subs() -> frozenset[str]:
    return frozenset(label for group in SUB_HEADERS for label in _sub_index(group))


def match_group(kind: str, text: object) -> str | None:
    """`workers` / `members` / `party` for a group cell of §2.1, else None."""
    return lookup(_group_index(kind), text)


def match_sub_header(group: str, text: object) -> str | None:
    return lookup(_sub_index(group), text)


def is_known_sub_header(text: object) -> bool:
    return any(form in _all_subs() for form in label_candidates(text))


def group_columns(group: str) -> frozenset[str]:
    """The columns a group may hold: a sub-header spelled as a full header (`Đoàn viên nữ` under
    `Đoàn viên`) is accepted when it names one of these."""
    return frozenset(SUB_HEADERS[group])


# --- §2.2 the vertical form ------------------------------------------------------------------

LABEL_COLUMN = ("Nội dung", "Chỉ tiêu", "Nội dung chỉ tiêu")
VALUE_COLUMN = ("Số lượng", "Số liệu", "Giá trị")
UNIT_COLUMN = ("Đơn vị tính", "ĐVT")
NOTE_COLUMN = ("Ghi chú",)
VERTICAL_HEADER = {"label": LABEL_COLUMN, "value": VALUE_COLUMN, "unit": UNIT_COLUMN, "note": NOTE_COLUMN,
                   "number": ("TT", "STT", "Số TT")}

FEMALE = "female_of_above"
INDICATORS: dict[str, tuple[str, ...]] = {
    "workers_total": ("Tổng số lao động", "Tổng số CNLĐ", "Số lao động"),
    "members_total": ("Tổng số đoàn viên", "Tổng số đoàn viên công đoàn", "Số đoàn viên công đoàn"),
    FEMALE: ("Trong đó: nữ", "Trong đó nữ", "Nữ"),
    "workers_female": ("Lao động nữ",),
    "members_female": ("Đoàn viên nữ",),
    "members_joined": ("Số đoàn viên kết nạp mới trong kỳ", "Kết nạp đoàn viên mới"),
    "members_left": ("Số đoàn viên giảm trong kỳ", "Đoàn viên giảm"),
    "party_members": ("Số đảng viên đang làm việc tại doanh nghiệp", "Số đảng viên"),
    "candidates_introduced": ("Số quần chúng ưu tú giới thiệu học lớp nhận thức về Đảng",
                              "Giới thiệu đoàn viên ưu tú cho Đảng bồi dưỡng"),
    "candidates_admitted": ("Số quần chúng ưu tú được kết nạp Đảng", "Số được kết nạp Đảng"),
    "admitted_via_core_cell": ("Trong đó: kết nạp tại Chi bộ nòng cốt", "Kết nạp tại chi bộ nòng cốt CĐ-DN"),
}
# the female count of the indicator above it (§2.2)
FEMALE_OF = {"workers_total": "workers_female", "members_total": "members_female"}
REQUIRED_INDICATORS = ("workers_total", "members_total")

# title block of the vertical form: label → column of the report
TITLE_LABELS: dict[str, tuple[str, ...]] = {
    "tax_code": ("Mã số thuế", "MST", "Mã số DN"),
    "enterprise_name": ("Đơn vị báo cáo", "Tên doanh nghiệp", "Tên đơn vị", "Tên DN"),
    "period": ("Kỳ báo cáo", "Quý", "Kỳ"),
    "submitted_on": ("Ngày báo cáo", "Ngày lập biểu"),
    "revision": ("Lần nộp", "Lần báo cáo"),
}
UNION_PREFIX = re.compile(r"^(?:công đoàn cơ sở|cđcs)\b[\s:,.-]*", re.IGNORECASE)


@cache
def _vertical_header_index() -> dict[str, str]:
    return _index(VERTICAL_HEADER)


@cache
def _indicator_index() -> dict[str, str]:
    return _index(INDICATORS)


@cache
def _title_index() -> dict[str, str]:
    return _index(TITLE_LABELS)


def match_vertical_header(text: object) -> str | None:
    """`label` / `value` / `unit` / `note` / `number` for a cell of the vertical form's table header."""
    return lookup(_vertical_header_index(), text)


def match_indicator(text: object) -> str | None:
    """The report column an indicator row gives, `FEMALE` for `Trong đó: nữ`, else None."""
    return lookup(_indicator_index(), text)


def match_title_label(text: object) -> str | None:
    return lookup(_title_index(), text)


def is_breakdown(text: object) -> bool:
    """`Trong đó: …` rows detail the indicator above them rather than start a new one."""
    return normalize_label(text).startswith("trong đó")


_LEADING_ANY_CASE = re.compile(_LEADING.pattern, re.IGNORECASE)


def display_label(text: object) -> str:
    """The label as written, minus its numbering and bullets (`1. Tổng số lao động` → `Tổng số
    lao động`): how findings and the raw layer name an indicator."""
    label = normalize_text(text)
    previous = None
    while previous != label:
        previous, label = label, _LEADING_ANY_CASE.sub("", label, count=1)
    return label.strip() or normalize_text(text)
