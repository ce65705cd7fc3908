"""Codes in words: what `error`, `skipped` or `above_max` mean to a person, Vietnamese first.

The warehouse stores short English codes (they are an interface: `outputs.md`); every
place a person reads one — the auditor report, the findings spreadsheet, the feedback to
enterprises — shows these words instead, from this one table. Rule ids are not here:
their meanings live in the rule catalogue (`rule_catalogue.py`).
"""

from __future__ import annotations

from typing import NamedTuple


class Words(NamedTuple):
    vi: str
    en: str

    def __str__(self) -> str:
        return f"{self.vi} / {self.en}"


SEVERITY = {
    "error": Words("Lỗi", "error"),
    "warning": Words("Cảnh báo", "warning"),
    "info": Words("Thông tin", "info"),
}

FILE_STATUS = {
    "loaded": Words("Đã nạp", "loaded"),
    "quarantined": Words("Cách ly", "quarantined"),
    "duplicate": Words("Trùng, bỏ qua", "duplicate"),
    "skipped": Words("Bỏ qua", "skipped"),
}

FILE_KIND = {
    "union_reports": Words("Báo cáo quý", "union reports"),
    "enterprises": Words("Danh bạ doanh nghiệp", "enterprise registry"),
    "party_orgs": Words("Tổ chức Đảng", "Party organisations"),
    "candidates": Words("Quần chúng được giới thiệu", "candidates"),
    "control_totals": Words("Số liệu đã công bố", "published control totals"),
}

TARGET_STATUS = {
    "met": Words("Đạt", "met"),
    "not_met": Words("Không đạt", "not met"),
    "above_max": Words("Vượt mức tối đa", "above the maximum"),
    "in_progress": Words("Đang thực hiện", "in progress"),
}

GATE = {
    "passed": Words("Đạt — đã công bố", "passed, published"),
    "blocked": Words("Chặn — không công bố", "blocked, not published"),
    "overridden": Words("Công bố bất chấp cổng", "overridden, published anyway"),
}

RECONCILIATION = {
    True: Words("Khớp", "match"),
    False: Words("Lệch", "mismatch"),
}

LIFECYCLE = {
    "open": Words("Đang mở", "open"),
    "resolved": Words("Đã khắc phục", "resolved"),
}

CHECK_RESULT = {
    True: Words("Đạt", "passed"),
    False: Words("Không đạt", "failed"),
}

YES_NO = {True: Words("Có", "yes"), False: Words("Không", "no")}

VOCABULARIES = {
    "severity": SEVERITY, "file_status": FILE_STATUS, "file_kind": FILE_KIND, "target_status": TARGET_STATUS,
    "gate": GATE, "reconciliation": RECONCILIATION, "lifecycle": LIFECYCLE, "yes_no": YES_NO,
    "check_result": CHECK_RESULT,
}


def words(vocabulary: str, code: object) -> Words:
    """The words for a code; an unknown code reads as itself in both languages rather than vanishing."""
    known = VOCABULARIES[vocabulary].get(code)  # type: ignore[call-overload]
    if known is not None:
        return known
    shown = "" if code is None else str(code)
    return Words(shown, shown)
