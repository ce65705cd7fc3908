"""One data row → a canonical record, or the rules it breaks.

Value rules are checked column by column in the spec's order (key columns come first
there), then the logic rules on whatever parsed. The first problem is what the row is
quarantined for; every problem becomes a finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pipelines.ingest.columns import OPERATING_STATUS, ORG_TYPE, OWNERSHIP, Kind
from pipelines.ingest.dates import parse_date, parse_period
from pipelines.ingest.identifiers import citizen_id_agrees, parse_citizen_id, parse_tax_code
from pipelines.ingest.messages import Problem
from pipelines.ingest.sheet import Layout
from pipelines.ingest.values import (
    GENDERS,
    ValueProblem,
    normalize_text,
    parse_count,
    parse_decimal,
    parse_enum,
    parse_yes_no,
)
from pipelines.ingest.zones import match_zone
from pipelines.lib.quarters import quarter_start

ENUMS = {"ownership": (OWNERSHIP, "fdi / tư nhân / nhà nước"),
         "operating_status": (OPERATING_STATUS, "Hoạt động ổn định / Mới thành lập / Tạm ngừng / Giải thể"),
         "org_type": (ORG_TYPE, "Chi bộ / Đảng bộ / Chi bộ nòng cốt"),
         "gender": (GENDERS, "Nam / Nữ")}


@dataclass
class RowResult:
    record: dict[str, object]
    problems: list[Problem] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _parse_zone(raw: object) -> str | None:
    text = normalize_text(raw)
    if not text:
        return None
    code = match_zone(text)
    if code is None:
        raise ValueProblem("F010", text, "khu công nghiệp trong danh mục", "zone from the zone list")
    return code


def _enum_parser(kind: str):
    mapping, expected = ENUMS[kind]
    return lambda raw: parse_enum(raw, mapping, expected)


# type → parser returning (value, leading zero restored); a dict, because this runs per cell.
PARSERS = {
    "text": lambda raw: (normalize_text(raw) or None, False),
    "count": lambda raw: (parse_count(raw), False),
    "date": lambda raw: (parse_date(raw), False),
    "period": lambda raw: (parse_period(raw), False),
    "tax_code": parse_tax_code,
    "citizen_id": parse_citizen_id,
    "yes_no": lambda raw: (parse_yes_no(raw), False),
    "decimal": lambda raw: (parse_decimal(raw), False),
    "zone": lambda raw: (_parse_zone(raw), False),
    **{kind: (lambda parse: lambda raw: (parse(raw), False))(_enum_parser(kind)) for kind in ENUMS},
}


# (type, cell type, cell) → (value, leading zero restored, problem). Report files repeat the
# same cells endlessly (zones, enumerations, periods, small counts, every enterprise's tax code
# once per quarter), so a cell is parsed once per process. The cell's type is in the key because
# True == 1 == 1.0 in Python while the parsers tell them apart. Personal columns are never
# remembered. The cache is dropped whole when full: cheap, and bounded.
_PARSED: dict[tuple[str, type, object], tuple[object, bool, ValueProblem | None]] = {}
PARSED_CACHE_LIMIT = 250_000


def uncached_cell(column_type: str, raw: object) -> tuple[object, bool, ValueProblem | None]:
    try:
        value, restored = PARSERS[column_type](raw)
    except ValueProblem as problem:
        return None, False, problem
    return value, restored, None


def parse_cell(column_type: str, raw: object, remember: bool = True) -> tuple[object, bool, ValueProblem | None]:
    """The cell's canonical value, whether a leading zero was restored, and its problem if any."""
    if not remember:
        return uncached_cell(column_type, raw)
    key = (column_type, type(raw), raw)
    try:
        return _PARSED[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable cell: no reader makes one, but never fail for it
        return uncached_cell(column_type, raw)
    parsed = uncached_cell(column_type, raw)
    if len(_PARSED) >= PARSED_CACHE_LIMIT:
        _PARSED.clear()
    _PARSED[key] = parsed
    return parsed


def parse_row(kind: Kind, layout: Layout, cells: list[object], today: date) -> RowResult:
    result = RowResult(record={})
    record, problems = result.record, result.problems
    positions = layout.positions
    width = len(cells)
    for column in kind.columns:
        name = column.name
        index = positions.get(name)
        raw = cells[index] if index is not None and index < width else None
        value, restored, problem = parse_cell(column.type, raw, not column.personal)
        if problem is not None:
            observed = None if column.personal else problem.observed
            problems.append(Problem(problem.rule_id, name, observed, problem.expected_vi, problem.expected_en))
            record[name] = None
            continue
        if value is None:
            if column.required_value:
                problems.append(Problem("F009", name, None, "có giá trị", "a value"))
            if column.default is not None:
                value = column.default
        if restored:
            result.restored.append(name)
        record[name] = value
    problems.extend(logic_problems(kind.name, record, today))
    return result


def _gt(record: dict[str, object], left: str, right: str) -> bool:
    a, b = record.get(left), record.get(right)
    return isinstance(a, int) and isinstance(b, int) and a > b


def _before(record: dict[str, object], left: str, right: str) -> bool:
    a, b = record.get(left), record.get(right)
    return isinstance(a, date) and isinstance(b, date) and a < b


def _problem(rule: str, record: dict[str, object], left: str, right: str, op: str) -> Problem:
    observed = f"{left}={record.get(left)} {op} {right}={record.get(right)}"
    return Problem(rule, left, observed, f"{left} ≤ {right}" if op == ">" else f"{left} ≥ {right}")


def logic_problems(kind: str, record: dict[str, object], today: date) -> list[Problem]:
    problems: list[Problem] = []
    if kind == "union_reports":
        if _gt(record, "members_total", "workers_total"):
            problems.append(_problem("L001", record, "members_total", "workers_total", ">"))
        for female, total in (("workers_female", "workers_total"), ("members_female", "members_total")):
            if _gt(record, female, total):
                problems.append(_problem("L002", record, female, total, ">"))
        if _gt(record, "admitted_via_core_cell", "candidates_admitted"):
            problems.append(_problem("L003", record, "admitted_via_core_cell", "candidates_admitted", ">"))
        submitted, period = record.get("submitted_on"), record.get("period")
        if isinstance(submitted, date) and isinstance(period, str) and submitted < quarter_start(period):
            problems.append(Problem("L008", "submitted_on", f"{submitted.isoformat()} < {period}",
                                    f"≥ {quarter_start(period).isoformat()}"))
    elif kind == "candidates":
        problems.extend(_candidate_problems(record))
    elif kind == "party_orgs":
        if _before(record, "dissolved_on", "established_on"):
            problems.append(_problem("L007", record, "dissolved_on", "established_on", "<"))
        if _gt(record, "transferred_members", "members_at_founding"):
            problems.append(_problem("L007", record, "transferred_members", "members_at_founding", ">"))
        transferred = record.get("transferred_members")
        if record.get("via_core_cell_transfer") is False and isinstance(transferred, int) and transferred > 0:
            problems.append(Problem("L007", "via_core_cell_transfer",
                                    f"via_core_cell_transfer=no, transferred_members={transferred}",
                                    "transferred_members = 0"))
    for name, value in record.items():
        if isinstance(value, date) and value > today:
            personal = kind == "candidates" and name == "birth_date"
            problems.append(Problem("L008", name, None if personal else value.isoformat(),
                                    f"≤ {today.isoformat()}"))
    return problems


def _candidate_problems(record: dict[str, object]) -> list[Problem]:
    problems: list[Problem] = []
    citizen_id = record.get("citizen_id")
    if isinstance(citizen_id, str):
        birth = record.get("birth_date")
        gender = record.get("gender")
        if not citizen_id_agrees(citizen_id, birth if isinstance(birth, date) else None,
                                 gender if isinstance(gender, str) else None):
            problems.append(Problem("E008", "citizen_id", None, "khớp ngày sinh và giới tính",
                                    "agrees with birth date and gender"))
    for later in ("trained_on", "admitted_on"):
        if _before(record, later, "introduced_on"):
            problems.append(_problem("L006", record, later, "introduced_on", "<"))
    if _before(record, "admitted_on", "trained_on"):
        problems.append(_problem("L006", record, "admitted_on", "trained_on", "<"))
    return problems
