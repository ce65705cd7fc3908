"""Findings → the lines of a feedback packet: who receives each, in what order, in what words.

A finding goes to the enterprise whose registered tax code it names; a finding with no
tax code, or one that is not in the registry (malformed, unregistered), cannot be sent to
anyone by tax code, so it goes to the data office's own packet. Meanings and advice come
from the rule catalogue only. The column a finding is about is read from the `cột «…»`
part of its message, since outputs.md §2 gives findings no column field.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from pipelines.lib.rule_catalogue import rule
from pipelines.outreach.quarter import label_of

OFFICE = ""  # the packet key of findings that belong to no registered enterprise
SEVERITY_ORDER = {"error": 0, "warning": 1}
SEVERITY_WORDS = {"error": ("Lỗi", "error"), "warning": ("Cảnh báo", "warning")}
_COLUMN_VI = re.compile(r"cột «([^»]+)»")
_COLUMN_EN = re.compile(r"column «([^»]+)»")


@dataclass(frozen=True)
class FeedbackLine:
    severity: str
    rule_id: str
    tax_code: str
    quarter: str
    source_file: str
    source_row: int | None
    column: str
    observed: str
    expected: str
    message_vi: str
    message_en: str
    meaning_vi: str
    meaning_en: str
    action_vi: str
    action_en: str
    finding_key: str


def recipient(finding: dict, registered: set[str]) -> str:
    tax_code = (finding.get("tax_code") or "").strip()
    return tax_code if tax_code in registered else OFFICE


def column_of(finding: dict) -> str:
    for pattern, field in ((_COLUMN_VI, "message_vi"), (_COLUMN_EN, "message_en")):
        found = pattern.search(finding.get(field) or "")
        if found:
            return found.group(1)
    return ""


def quarter_text(period: str | None) -> str:
    if not period:
        return ""
    try:
        return f"{label_of(period)} ({period})"
    except ValueError:
        return period


def line_of(finding: dict) -> FeedbackLine:
    about = rule(finding["rule_id"])
    return FeedbackLine(
        severity=finding["severity"], rule_id=finding["rule_id"], tax_code=finding.get("tax_code") or "",
        quarter=quarter_text(finding.get("period")), source_file=finding.get("source_file") or "",
        source_row=finding.get("source_row"), column=column_of(finding),
        observed=_text(finding.get("observed")), expected=_text(finding.get("expected")),
        message_vi=_text(finding.get("message_vi")), message_en=_text(finding.get("message_en")),
        meaning_vi=about.meaning_vi, meaning_en=about.meaning_en, action_vi=about.action_vi,
        action_en=about.action_en, finding_key=finding.get("finding_key") or "",
    )


def _text(value: object) -> str:
    return "" if value is None else str(value)


def sort_key(line: FeedbackLine) -> tuple:
    """Errors first; then by quarter, file and row, the order the reporter works through them."""
    return (SEVERITY_ORDER.get(line.severity, 9), line.quarter, line.source_file, line.source_row or 0,
            line.rule_id, line.column, line.finding_key)


def packets(findings: list[dict], registered: set[str]) -> dict[str, list[FeedbackLine]]:
    """Lines per recipient (a tax code, or OFFICE), each list sorted errors first."""
    grouped: dict[str, list[FeedbackLine]] = defaultdict(list)
    for finding in findings:
        if finding.get("severity") in SEVERITY_ORDER:
            grouped[recipient(finding, registered)].append(line_of(finding))
    return {key: sorted(lines, key=sort_key) for key, lines in grouped.items()}
