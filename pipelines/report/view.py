"""From `ReportData` to what the templates show: words for codes, meanings for rule ids, order.

`data.py` reads the warehouse; the templates lay the page out; this module decides what a
reader sees in between: each rule id with its meaning from the rule catalogue, every code
in words (`pipelines/lib/labels.py`), mismatches and errors first, info findings grouped by
rule (a count, with the rows on demand), and the current run's gate verdict in the trend.
Nothing here formats or escapes: the templates do, through Babel filters and autoescape.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pipelines.lib.labels import Words, words
from pipelines.lib.rule_catalogue import rule_catalogue
from pipelines.report.data import ReportData

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
INFO_ROWS_SHOWN = 500  # rows of one info rule in the page; the spreadsheet has every row
FILE_ROWS_SHOWN = 2000

METRIC_LABELS = {
    "registered_enterprises": Words("Doanh nghiệp đăng ký", "registered enterprises"),
    "stable_enterprises": Words("DN hoạt động ổn định", "stable enterprises"),
    "union_eligible_enterprises": Words("DN đủ điều kiện lập CĐCS", "union-eligible enterprises"),
    "union_enterprises": Words("DN có CĐCS", "enterprises with a union"),
    "workers": Words("Lao động", "workers"),
    "members": Words("Đoàn viên", "union members"),
    "enterprise_party_orgs": Words("Tổ chức Đảng trong DN", "enterprise Party organisations"),
    "candidates_introduced": Words("Quần chúng được giới thiệu", "candidates introduced"),
    "candidates_admitted": Words("Quần chúng được kết nạp", "candidates admitted"),
    "admitted_via_core_cell": Words("Kết nạp qua chi bộ nòng cốt", "admitted via a core cell"),
    "party_orgs_established": Words("Tổ chức Đảng thành lập mới", "Party organisations established"),
    "party_orgs_established_via_transfer": Words("Thành lập qua chuyển sinh hoạt", "established via transfer"),
    "party_members_transferred": Words("Đảng viên chuyển sinh hoạt", "Party members transferred"),
    "union_coverage_pct": Words("Tỷ lệ DN có CĐCS (%)", "union coverage (%)"),
    "party_org_coverage_pct": Words("Tỷ lệ DN có tổ chức Đảng (%)", "Party-organisation coverage (%)"),
    "admission_rate_pct": Words("Tỷ lệ kết nạp (%)", "admission rate (%)"),
    "party_members_admitted": Words("Kết nạp đảng viên", "Party members admitted"),
}


def metric_words(metric: str) -> Words:
    return METRIC_LABELS.get(metric, Words(metric, metric))


@dataclass(frozen=True)
class RuleWords:
    rule_id: str
    meaning: Words
    action: Words


def rule_words(rule_id: str | None) -> RuleWords:
    """A rule id with its meaning; an id missing from the catalogue says so instead of staying bare."""
    rule = rule_catalogue().get(rule_id or "")
    if rule is None:
        unknown = Words("quy tắc không có trong danh mục", "rule not in the catalogue")
        return RuleWords(rule_id or "", unknown, Words("", ""))
    return RuleWords(rule.rule_id, Words(rule.meaning_vi, rule.meaning_en), Words(rule.action_vi, rule.action_en))


def gate_reason_words(reason: str) -> Words:
    """The gate's reasons are English sentences in `audit.runs`; the report says them in both languages."""
    head, _, rest = reason.partition(" ")
    if head.isdigit() and "control-total mismatch" in rest:
        return Words(f"{head} số liệu đã công bố không khớp (C001)", f"{head} control total(s) do not match (C001)")
    if reason.startswith("failing mart test:"):
        test = reason.split(":", 1)[1].strip()
        return Words(f"kiểm thử mart không đạt: {test}", f"failing mart test: {test}")
    if "no union report" in reason:
        return Words("chưa có báo cáo quý nào được chấp nhận", "no union reports")
    return Words(reason, reason)


@dataclass
class InfoGroup:
    rule: RuleWords
    count: int
    rows: list[dict] = field(default_factory=list)

    @property
    def hidden(self) -> int:
        return max(0, self.count - len(self.rows))


@dataclass
class ReportView:
    data: ReportData
    inbox: str
    version: str
    gate_status: str
    gate_words: Words
    gate_reasons: list[Words]
    severity_counts: dict[str, int]
    file_status_counts: list[tuple[Words, int]]
    rows_loaded: int
    rows_quarantined: int
    reconciliations: list
    mismatches: int
    by_rule: list[dict]
    attention: list[dict]
    info_groups: list[InfoGroup]
    filter_rules: list[RuleWords]
    filter_periods: list[str]
    trend: list[dict]
    files: list[dict]


def _finding_row(finding: dict) -> dict:
    return {**finding, "rule": rule_words(finding.get("rule_id")),
            "severity_words": words("severity", finding.get("severity"))}


def _info_groups(data: ReportData, counts: dict[str, int]) -> list[InfoGroup]:
    rows_by_rule: dict[str, list[dict]] = {}
    for finding in data.findings:
        if finding.get("severity") == "info":
            rows_by_rule.setdefault(finding["rule_id"], []).append(_finding_row(finding))
    groups = []
    for rule_id in sorted(set(rows_by_rule) | {r for r, n in counts.items() if n}):
        rows = rows_by_rule.get(rule_id, [])
        groups.append(InfoGroup(rule_words(rule_id), max(counts.get(rule_id, 0), len(rows)), rows[:INFO_ROWS_SHOWN]))
    return sorted(groups, key=lambda g: (-g.count, g.rule.rule_id))


def build_view(data: ReportData, inbox: str, version: str) -> ReportView:
    gate_status = data.gate.status
    attention = sorted(
        (_finding_row(f) for f in data.findings if f.get("severity") != "info"),
        key=lambda f: (SEVERITY_RANK.get(f.get("severity"), 3), f.get("rule_id") != "C001", f.get("rule_id") or ""))
    info_open = {r["rule_id"]: r["open_findings"] or 0 for r in data.by_rule if r["severity"] == "info"}
    by_rule = sorted(
        ({**r, "rule": rule_words(r["rule_id"]), "severity_words": words("severity", r["severity"])}
         for r in data.by_rule),
        key=lambda r: (SEVERITY_RANK.get(r["severity"], 3), -(r["open_findings"] or 0), r["rule_id"]))
    current = Counter(f.get("severity") for f in data.findings)
    severity_counts = {s: (data.trend[-1].get(f"findings_{s}") if data.trend else current.get(s, 0)) or 0
                       for s in SEVERITY_RANK}
    trend = []
    for index, run in enumerate(data.trend):
        is_current = run["run_id"] == data.run_id
        verdict = run.get("gate_result") or (gate_status if is_current else None)
        trend.append({**run, "label": f"#{index + 1}", "is_current": is_current, "verdict": verdict,
                      "verdict_words": words("gate", verdict) if verdict else None})
    files = [{**f, "status_words": words("file_status", f.get("status")),
              "kind_words": words("file_kind", f.get("kind"))} for f in data.files[:FILE_ROWS_SHOWN]]
    statuses = Counter(f.get("status") for f in data.files)
    return ReportView(
        data=data, inbox=inbox, version=version,
        gate_status=gate_status, gate_words=words("gate", gate_status),
        gate_reasons=[gate_reason_words(r) for r in data.gate.reasons],
        severity_counts=severity_counts,
        file_status_counts=[(words("file_status", s), n) for s, n in sorted(statuses.items(), key=lambda i: -i[1])],
        rows_loaded=sum(f.get("rows_loaded") or 0 for f in data.files),
        rows_quarantined=sum(f.get("rows_quarantined") or 0 for f in data.files),
        reconciliations=sorted(data.reconciliations, key=lambda rec: (rec.matches, rec.metric, rec.as_of)),
        mismatches=sum(not rec.matches for rec in data.reconciliations),
        by_rule=by_rule,
        attention=attention,
        info_groups=_info_groups(data, info_open),
        filter_rules=[rule_words(r) for r in sorted({f["rule_id"] for f in data.findings if f.get("rule_id")})],
        filter_periods=sorted({f["period"] for f in data.findings if f.get("period")}),
        trend=trend,
        files=files,
    )
