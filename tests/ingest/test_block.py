"""`parse_block` (column-wise, what ingest runs) gives `parse_row`'s verdicts row for row.

`parse_row` is the plain statement of the value and logic rules; the block parser takes
shortcuts (distinct cells parsed once, logic rules asked only of rows that may break one).
Generated rows mix valid, blank, malformed and boundary cells of every column type, so a
shortcut that drops or reorders a problem, a default, a restored zero or a logic rule fails here.
"""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.ingest.block import parse_block
from pipelines.ingest.columns import KINDS
from pipelines.ingest.headers import map_header_row
from pipelines.ingest.raw_rows import extra_columns
from pipelines.ingest.records import parse_row
from pipelines.ingest.sheet import Layout, is_totals_row

TODAY = date(2022, 12, 1)

BLANKS = [None, "", "  ", "-", "x"]
CELLS_BY_TYPE = {
    "count": [0, 1, 7, 12, 40, 1200, 1200.0, 3.5, -1, True, "15", "1.234", "1 000", "abc", 2**40, "0"],
    "date": [date(2022, 10, 5), datetime(2022, 3, 1), "05/10/2022", "30/06/2022", "01/01/2023",
             date(2023, 5, 1), "31/02/2022", "not a date", date(2000, 1, 1)],
    "period": ["Quý III/2022", "2022-Q3", "Quý 5/2022", "2022-Q1", "Q4/2021", "quý"],
    "tax_code": ["0200000007", "200000007", 200000007, "0200000008", "12", "MST", "0201234567"],
    "citizen_id": ["031190000123", "31190000123", "0311", "abcdefghijkl"],
    "text": ["Công ty A", "  Công   ty  B ", "Cong\u0301 ty", 42, 3.0],
    "yes_no": ["Có", "không", True, False, "maybe", 1, 0],
    "decimal": ["95,2", "95.2", 95.2, 7, "x9", True],
    "zone": ["Đình Vũ", "KCN Tràng Duệ", "Atlantis"],
    "ownership": ["FDI", "Tư nhân", "tu nhan", "Nhà nước", "martian"],
    "operating_status": ["Hoạt động ổn định", "Giải thể", "gone"],
    "org_type": ["Chi bộ", "Đảng bộ cơ sở", "Chi bộ nòng cốt", "club"],
    "gender": ["Nam", "Nữ", "nu", "F", "?"],
}


def kind_rows(kind_name: str):
    """Rows whose every column draws from a small random subset of its pool, so a column often
    holds only valid cells, or only valid and blank ones (the block parser's fast path)."""
    kind = KINDS[kind_name]
    pools = {c.name: st.lists(st.sampled_from(CELLS_BY_TYPE[c.type] + BLANKS), min_size=1, max_size=3,
                              unique_by=lambda v: (type(v), v)) for c in kind.columns}

    def rows(chosen: dict[str, list[object]]):
        return st.lists(st.fixed_dictionaries({n: st.sampled_from(p) for n, p in chosen.items()}),
                        min_size=1, max_size=25)

    return st.fixed_dictionaries(pools).flatmap(rows)


def layout_of(kind_name: str, names: list[str], extra_headers: int) -> Layout:
    kind = KINDS[kind_name]
    headers = [kind.column(n).headers[0] for n in names] + [f"Ghi chú {i}" for i in range(extra_headers)]
    columns, extra = map_header_row(kind_name, headers)
    return Layout(1, columns, extra, dict(enumerate(headers)))


def assert_same_verdicts(kind_name: str, rows: list[dict[str, object]]) -> None:
    kind = KINDS[kind_name]
    names = list(rows[0])
    layout = layout_of(kind_name, names, 0)
    cells = [[row[n] for n in names] for row in rows]
    block = parse_block(kind, layout, cells, TODAY)
    assert block.size == len(rows)
    for position, row_cells in enumerate(cells):
        expected = parse_row(kind, layout, row_cells, TODAY)
        got = block.result(position)
        assert got.record == expected.record
        assert [(type(v), v) for v in got.record.values()] == [(type(v), v) for v in expected.record.values()]
        assert got.problems == expected.problems
        assert got.restored == expected.restored


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(KINDS)).flatmap(lambda k: st.tuples(st.just(k), kind_rows(k))))
def test_block_verdicts_equal_row_verdicts(case):
    kind_name, rows = case
    assert_same_verdicts(kind_name, rows)


def test_logic_rules_found_only_by_the_screen_still_fire():
    """Rows chosen so each screened rule fires alone, next to rows that break nothing."""
    good = {"period": "2022-Q3", "tax_code": "0200000007", "workers_total": 100, "members_total": 90,
            "submitted_on": "05/10/2022"}
    rows = [good,
            {**good, "members_total": 101},                      # L001
            {**good, "workers_female": 101},                     # L002
            {**good, "candidates_admitted": 1, "admitted_via_core_cell": 2},  # L003
            {**good, "submitted_on": "30/06/2022"},              # L008: before the quarter
            {**good, "submitted_on": "05/01/2023"},              # L008: after today
            good]
    names = sorted({n for row in rows for n in row})
    full = [{n: row.get(n) for n in names} for row in rows]
    kind = KINDS["union_reports"]
    block = parse_block(kind, layout_of("union_reports", names, 0), [list(r.values()) for r in full], TODAY)
    assert [[p.rule_id for p in block.problems.get(i, [])] for i in range(len(rows))] == \
        [[], ["L001"], ["L002"], ["L003"], ["L008"], ["L008"], []]
    assert_same_verdicts("union_reports", full)


def test_sums_for_totals_rows_skip_blanks_and_problems():
    kind = KINDS["union_reports"]
    layout = layout_of("union_reports", ["period", "tax_code", "workers_total", "members_total"], 0)
    rows = [["2022-Q3", "0200000007", 10, 5], ["2022-Q3", "0200000007", "abc", 5],
            ["2022-Q3", "0200000007", 0, None], ["2022-Q3", "0200000007", 7, 2]]
    block = parse_block(kind, layout, rows, TODAY)
    assert block.sums(("workers_total", "members_total"), 0, 4) == {"workers_total": 17, "members_total": 12}
    assert block.sums(("workers_total",), 1, 3) == {"workers_total": 0}


def test_extra_columns_json_names_headers_and_unnamed_text():
    layout = layout_of("union_reports", ["period", "tax_code"], 1)
    rows = [["2022-Q3", "0200000007", "ghi \"chú\"", None, "lạc"], ["2022-Q3", "0200000007", None]]
    assert extra_columns(layout, rows) == ['{"Ghi chú 0": "ghi \\"chú\\"", "(cột 5)": "lạc"}',
                                           '{"Ghi chú 0": ""}']
    assert extra_columns(layout_of("union_reports", ["period"], 0), [["2022-Q3"]]) == ["{}"]


@given(st.lists(st.sampled_from([None, "", " ", "Tổng cộng", "  cộng ", "TOTAL", "Total:", 5, 0.0,
                                 date(2022, 1, 1), True, "STT", "Tổng", "tong"]), max_size=6))
def test_totals_row_is_the_first_text_cell(cells):
    from pipelines.ingest.values import normalize_text

    first = next((normalize_text(c) for c in cells if normalize_text(c)), "")
    assert is_totals_row(cells) == first.lower().startswith(("tổng", "cộng", "total"))
