"""The quarterly form, written without a warehouse: layout, locks, validation, guide, and that
ingest reads a correctly filled form back exactly, while values against the validation give
the finding inbound-reports.md and rules.md name."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.ingest.columns import UNION_REPORTS
from pipelines.outreach.quarter import Quarter
from pipelines.outreach.template_layout import COLUMNS
from pipelines.outreach.template_writer import FORM_SHEET, GUIDE_SHEET, write_template
from pipelines.outreach.warehouse_read import COUNT_COLUMNS, AcceptedReport, Enterprise
from tests.fixtures.fixture_data import ENTERPRISES, T, report_figures
from tests.outreach.forms import EXCEL_DATA_ROW, fill_form, header_columns, read_like_ingest

QUARTER = Quarter.parse("2022-Q3")
ENTERPRISE = Enterprise(T[0], ENTERPRISES[0][1])
LAST = AcceptedReport("2022-Q2", report_figures(T[0], "2022-Q2"))
INPUTS = [c for c in COLUMNS if c.is_input]
IDENTITY = [c for c in COLUMNS if not c.is_input]


@pytest.fixture(scope="module")
def form(tmp_path_factory):
    path = tmp_path_factory.mktemp("form") / "form.xlsx"
    write_template(path, ENTERPRISE, QUARTER, LAST)
    return path


def _correct(tax_code: str = T[0], period: str = "2022-Q3") -> dict[str, object]:
    return {**report_figures(tax_code, period), "submitted_on": QUARTER.end + timedelta(days=5),
            "revision": 1, "reporter_name": "Người Thử", "reporter_phone": "0900000000"}


def test_form_has_the_official_headers_in_spec_order_and_a_guide(form):
    workbook = openpyxl.load_workbook(form)
    assert workbook.sheetnames == [FORM_SHEET, GUIDE_SHEET]
    columns = header_columns(workbook[FORM_SHEET])
    official = [c.headers[0] for c in UNION_REPORTS.columns]
    assert [h for h in columns if h in official] == official
    guide_text = " ".join(str(c.value) for row in workbook[GUIDE_SHEET].iter_rows() for c in row if c.value)
    assert f"{QUARTER.deadline:%d/%m/%Y}" in guide_text
    assert "Lần nộp" in guide_text and all(c.header in guide_text for c in COLUMNS)


def test_identity_is_filled_and_locked_inputs_unlocked_sheet_protected_without_password(form):
    sheet = openpyxl.load_workbook(form)[FORM_SHEET]
    columns = header_columns(sheet)
    cell = {c.name: sheet.cell(EXCEL_DATA_ROW, columns[c.header]) for c in COLUMNS}
    assert (cell["period"].value, cell["tax_code"].value, cell["enterprise_name"].value) == (
        QUARTER.label, ENTERPRISE.tax_code, ENTERPRISE.name)
    assert all(cell[c.name].protection.locked for c in IDENTITY)
    assert not any(cell[c.name].protection.locked for c in INPUTS)
    assert sheet.protection.sheet and not sheet.protection.password
    assert cell["reporter_name"].value is None and cell["reporter_phone"].value is None


def test_every_input_cell_has_validation_with_vietnamese_message_and_stop_alert(form):
    sheet = openpyxl.load_workbook(form)[FORM_SHEET]
    columns = header_columns(sheet)
    by_cell = {}
    for validation in sheet.data_validations.dataValidation:
        for ref in str(validation.sqref).split():
            by_cell[ref] = validation
    expected_type = {"count": "whole", "revision": "whole", "date": "date", "contact": "textLength"}
    for column in INPUTS:
        ref = sheet.cell(EXCEL_DATA_ROW, columns[column.header]).coordinate
        validation = by_cell[ref]
        assert validation.type == expected_type[column.role], column.name
        assert validation.showErrorMessage and validation.showInputMessage
        assert validation.errorStyle in (None, "stop") and validation.error and validation.prompt
        if column.role in ("count", "revision"):
            assert validation.formula1 == ("1" if column.role == "revision" else "0")
    identity_refs = {sheet.cell(EXCEL_DATA_ROW, columns[c.header]).coordinate for c in IDENTITY}
    assert not identity_refs & set(by_cell)


def test_last_accepted_figures_stand_beside_each_count(form):
    sheet = openpyxl.load_workbook(form)[FORM_SHEET]
    columns = header_columns(sheet)
    for name in COUNT_COLUMNS:
        header = UNION_REPORTS.column(name).headers[0]
        beside = sheet.cell(EXCEL_DATA_ROW, columns[header] + 1)
        assert beside.value == LAST.figures[name] and beside.protection.locked
        assert "Quý II/2022" in sheet.cell(EXCEL_DATA_ROW - 1, columns[header] + 1).value


def test_correctly_filled_form_reads_back_exactly_with_no_problem(form, tmp_path):
    values = _correct()
    [(row, record, problems)] = read_like_ingest(fill_form(form, tmp_path / "filled.xlsx", values))
    assert problems == [] and row == EXCEL_DATA_ROW
    assert record["period"] == "2022-Q3" and record["tax_code"] == T[0]
    assert {k: record[k] for k in values} == values


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(workers=st.integers(0, 200_000), data=st.data())
def test_any_figures_the_validation_admits_are_read_back_unchanged(form, tmp_path, workers, data):
    members = data.draw(st.integers(0, workers))
    admitted = data.draw(st.integers(0, 500))
    values = {"workers_total": workers, "workers_female": data.draw(st.integers(0, workers)),
              "members_total": members, "members_female": data.draw(st.integers(0, members)),
              "members_joined": data.draw(st.integers(0, 10_000)), "members_left": data.draw(st.integers(0, 10_000)),
              "candidates_admitted": admitted, "admitted_via_core_cell": data.draw(st.integers(0, admitted)),
              "submitted_on": data.draw(st.dates(QUARTER.start, date(2024, 1, 1))),
              "revision": data.draw(st.integers(1, 20))}
    [(_, record, problems)] = read_like_ingest(fill_form(form, tmp_path / "p.xlsx", values))
    assert problems == []
    assert {k: record[k] for k in values} == values


@pytest.mark.parametrize(("column", "typed", "rule"), [
    ("workers_female", -3, "F004"),
    ("members_joined", 1.5, "F004"),
    ("party_members", "12a", "F004"),
    ("submitted_on", "31/02/2022", "F005"),
    ("members_total", 10**6, "L001"),          # the validation bounds it by workers_total
    ("admitted_via_core_cell", 3, "L003"),     # bounded by candidates_admitted (1 here)
    ("submitted_on", datetime(2022, 6, 30), "L008"),  # before the quarter's first day
])
def test_a_value_typed_against_the_validation_gives_the_spec_finding(form, tmp_path, column, typed, rule):
    values = {**_correct(), column: typed}
    [(_, _, problems)] = read_like_ingest(fill_form(form, tmp_path / "bad.xlsx", values))
    assert rule in {p.rule_id for p in problems}


def test_hostile_enterprise_name_is_text_not_a_formula(tmp_path):
    hostile = Enterprise(T[1], '=HYPERLINK("http://x.invalid","bấm")')
    path = tmp_path / "hostile.xlsx"
    write_template(path, hostile, QUARTER, None)
    workbook = openpyxl.load_workbook(path)
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not any(c.data_type == "f" for c in cells)
    named = [c for c in cells if c.value == hostile.name]
    assert named and all(c.quotePrefix for c in named)
