"""Formulas and tags planted in enterprise names and cell values stay inert in both reports."""

import duckdb
import openpyxl
import pytest

from pipelines.report.data import gather, load_findings
from pipelines.report.html import render_report
from pipelines.report.xlsx import write_findings_xlsx
from tests.report.hostile import (
    FORMULA,
    HOSTILE_NAME,
    HOSTILE_TEXTS,
    REPORT_TAGS,
    RUN_ID,
    SCRIPT,
    build_hostile_warehouse,
    parse,
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    warehouse = folder / "warehouse.duckdb"
    build_hostile_warehouse(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        data = gather(con, RUN_ID)
        findings = load_findings(con)
    html = render_report(data, inbox=f"/inbox/{SCRIPT}")
    xlsx = folder / "dq_findings.xlsx"
    write_findings_xlsx(findings, xlsx, run_id=RUN_ID)
    return data, findings, html, xlsx


def test_findings_carry_the_current_enterprise_name(hostile):
    _, findings, _, _ = hostile
    names = {f["tax_code"]: f["enterprise_name"] for f in findings}
    assert names["0200000001"] == HOSTILE_NAME
    assert names["0200000002"] == FORMULA
    assert names[None] is None


def test_html_has_no_tag_from_the_data(hostile):
    _, _, html, _ = hostile
    page = parse(html)
    tags = [tag for tag, _ in page.tags]
    assert set(tags) <= REPORT_TAGS, set(tags) - REPORT_TAGS
    assert tags.count("script") == 1 and "b" not in tags and "img" not in tags
    handlers = {name for _, attrs in page.tags for name in attrs if name.startswith("on")}
    assert handlers <= {"oninput", "onchange"}
    text = "".join(page.texts)
    assert HOSTILE_NAME in text  # shown, as text
    for planted in HOSTILE_TEXTS:
        assert planted in text
    assert "alert" not in "".join(page.script_bodies)


def test_html_escapes_attribute_values_and_filters(hostile):
    _, _, html, _ = hostile
    assert SCRIPT not in html
    options = [attrs.get("value") for tag, attrs in parse(html).tags if tag == "option"]
    assert "2022-Q3" in options


def test_xlsx_has_no_formula_cell_and_keeps_the_text(hostile):
    _, findings, _, xlsx = hostile
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["Lỗi - error", "Cảnh báo - warning", "Thông tin - info"]
    seen = []
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    seen.append(cell.value)
    for planted in (*HOSTILE_TEXTS, HOSTILE_NAME, "=1+1", "+1", "@dup.xlsx", "-1"):
        assert planted in seen
    assert len(findings) == sum(sheet.max_row - 1 for sheet in book.worksheets)


def test_xlsx_formula_like_texts_carry_the_quote_prefix(hostile):
    _, _, _, xlsx = hostile
    sheet = openpyxl.load_workbook(xlsx)["Cảnh báo - warning"]
    formula_like = [c for row in sheet.iter_rows(min_row=2) for c in row
                    if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert formula_like and all(c.quotePrefix for c in formula_like)


def test_reconciliation_and_charts_from_the_small_warehouse(hostile):
    data, _, html, _ = hostile
    assert [rec.matches for rec in data.reconciliations] == [True]
    assert 'id="reconciliation"' in html and html.count("<svg") >= 3
