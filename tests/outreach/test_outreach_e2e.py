"""The quarter's loop on a small inbox, end to end through the real `uw` command line.

Run 1: the fixture registry plus 2022-Q3 reports that are themselves our forms, filled in:
three correctly, three provoking a finding (a negative count, more members than workers,
a formula-like name) and one corrupt file. `uw feedback` must then write exactly three
enterprise packets plus the office packet. Run 2 (on a copy of that warehouse): the forms
`uw template` writes for the last quarter, five filled correctly and one typed against its
validation, dropped into the inbox as corrections.
"""

from __future__ import annotations

import csv
import shutil
from datetime import timedelta
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipelines.lib.rule_catalogue import rule
from pipelines.outreach.feedback import OFFICE_FILE, SUMMARY_CSV
from pipelines.outreach.quarter import Quarter
from pipelines.outreach.template_writer import GUIDE_SHEET, write_template
from pipelines.outreach.warehouse_read import Enterprise
from tests.conftest import run_uw
from tests.fixtures.fixture_data import ENTERPRISES, report_figures
from tests.outreach.forms import EXCEL_DATA_ROW, fill_form

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("outreach_e2e")]

FIXTURE_REGISTRY = Path(__file__).resolve().parent.parent / "fixtures" / "inbox" / "enterprises"
QUARTER = Quarter.parse("2022-Q3")
SUBMITTED = QUARTER.end + timedelta(days=5)
HOSTILE_NAME = '=HYPERLINK("http://x.invalid","Tiên Thanh")'


def union_enterprises_at(quarter: Quarter) -> dict[str, str]:
    """From the fixture facts: registered (zone known), not dissolved, union founded by the end."""
    return {e[0]: e[1] for e in ENTERPRISES
            if e[3] is not None and e[7] != "dissolved" and e[10] is not None and e[10] <= quarter.end}


UNIONS = union_enterprises_at(QUARTER)
CLEAN, NEGATIVE, TOO_MANY_MEMBERS, HOSTILE = sorted(UNIONS)[:3], *sorted(UNIONS)[3:]
PROVOKED = {NEGATIVE: "F004", TOO_MANY_MEMBERS: "L001", HOSTILE: "E003"}


def reporter(tax_code: str) -> dict[str, str]:
    """Personal values that stay in raw: each report carries its own, so a leak is traceable."""
    return {"reporter_name": f"Nguyễn Thị Riêng {tax_code[-3:]}", "reporter_phone": f"09{tax_code[-8:]}"}


def correct(tax_code: str, revision: int) -> dict[str, object]:
    return {**report_figures(tax_code, QUARTER.key), "submitted_on": SUBMITTED, "revision": revision,
            **reporter(tax_code)}


def planted(tax_code: str) -> tuple[dict[str, object], tuple[str, ...]]:
    values = correct(tax_code, 1)
    if tax_code == NEGATIVE:
        return {**values, "workers_female": -3}, ()
    if tax_code == TOO_MANY_MEMBERS:
        return {**values, "members_total": values["workers_total"] + 1}, ()
    if tax_code == HOSTILE:
        return {**values, "enterprise_name": HOSTILE_NAME}, ("enterprise_name",)
    return values, ()


def texts_of(path: Path) -> list[str]:
    workbook = openpyxl.load_workbook(path)
    return [str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value is not None]


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("outreach")
    inbox = root / "inbox"
    shutil.copytree(FIXTURE_REGISTRY, inbox / "enterprises")
    reports = inbox / "union_reports" / "2022" / "Q3"
    blanks = root / "blank_forms"
    blanks.mkdir()
    for tax_code, name in UNIONS.items():
        blank = blanks / f"{tax_code}.xlsx"
        write_template(blank, Enterprise(tax_code, name), QUARTER, None)
        values, as_text = planted(tax_code)
        fill_form(blank, reports / f"bao_cao_{tax_code}.xlsx", values, as_text=as_text)
    (reports / "hong.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    warehouse = root / "warehouse"
    result = run_uw("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert result.returncode in (0, 3), result.stdout[-3000:] + result.stderr[-3000:]
    return root, inbox, warehouse


@pytest.fixture(scope="module")
def feedback(first_run):
    root, _, warehouse = first_run
    out = root / "feedback"
    result = run_uw("feedback", "--out", str(out), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def current(warehouse: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def packet_keys(path: Path) -> list[str]:
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(min_row=7, values_only=True))
    key_col = [str(h) for h in rows[0]].index("Mã phát hiện\nFinding key")
    return [row[key_col] for row in rows[1:]]


def test_feedback_writes_exactly_one_packet_per_provoked_enterprise_and_the_office(feedback):
    packets = sorted(p.name for p in feedback.glob("*.xlsx"))
    assert packets[0] == OFFICE_FILE
    assert sorted(name[:10] for name in packets[1:]) == sorted(PROVOKED)


def test_each_packet_lists_exactly_its_open_error_and_warning_findings(first_run, feedback):
    _, _, warehouse = first_run
    for tax_code, planted_rule in PROVOKED.items():
        [packet] = feedback.glob(f"{tax_code}_*.xlsx")
        expected = current(warehouse, "select finding_key, rule_id, severity from audit.dq_findings_current "
                                      "where tax_code = ? and severity in ('error', 'warning')", [tax_code])
        assert sorted(packet_keys(packet)) == sorted(k for k, _, _ in expected)
        assert planted_rule in {r for _, r, _ in expected}
        texts = texts_of(packet)
        assert rule(planted_rule).meaning_vi in texts and rule(planted_rule).action_en in texts
        severities = [t for t in texts if t in ("Lỗi / error", "Cảnh báo / warning")]
        assert severities == sorted(severities, key=lambda s: s != "Lỗi / error")  # errors first
        others = set(UNIONS) - {tax_code}
        assert not any(other in text for text in texts for other in others)


def test_office_packet_holds_the_corrupt_file(feedback):
    texts = texts_of(feedback / OFFICE_FILE)
    assert "union_reports/2022/Q3/hong.xlsx" in texts and rule("F001").meaning_vi in texts


def test_no_personal_value_and_no_live_formula_in_any_packet(first_run, feedback):
    _, _, warehouse = first_run
    personal = {v for row in current(warehouse, "select reporter_name, reporter_phone from raw.union_reports")
                for v in row if v}
    assert {reporter(t)["reporter_name"] for t in CLEAN} <= personal  # the check below can fail
    for path in [*feedback.glob("*.xlsx")]:
        for sheet in openpyxl.load_workbook(path):
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f"
                    assert not any(value in str(cell.value) for value in personal), (path.name, cell.coordinate)
    summary = (feedback / SUMMARY_CSV).read_text(encoding="utf-8-sig")
    assert not any(value in summary for value in personal)
    [hostile] = feedback.glob(f"{HOSTILE}_*.xlsx")
    cells = [c for row in openpyxl.load_workbook(hostile).active.iter_rows() for c in row if c.value == HOSTILE_NAME]
    assert cells and all(c.quotePrefix for c in cells)


def test_summary_csv_and_the_run_writes_the_same_packets(first_run, feedback):
    _, _, warehouse = first_run
    with (feedback / SUMMARY_CSV).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["file_name"] for r in rows) == sorted(p.name for p in feedback.glob("*.xlsx"))
    by_tax = {r["tax_code"]: r for r in rows}
    assert by_tax[TOO_MANY_MEMBERS]["enterprise_name"] == UNIONS[TOO_MANY_MEMBERS]
    assert int(by_tax[NEGATIVE]["error"]) >= 1 and int(by_tax[HOSTILE]["warning"]) >= 1
    from_run = warehouse / "reports" / "feedback"
    assert sorted(p.name for p in from_run.iterdir()) == sorted(p.name for p in feedback.iterdir())


@pytest.fixture(scope="module")
def forms(first_run):
    root, _, warehouse = first_run
    [(last,)] = current(warehouse, "select max(period) from marts.dim_period")
    out = root / "forms"
    result = run_uw("template", "--out", str(out), "--period", last, "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stdout + result.stderr
    return Quarter.parse(last), out


def test_template_writes_one_validated_locked_form_per_active_union(forms):
    quarter, out = forms
    assert quarter == QUARTER
    files = sorted(out.glob("*.xlsx"))
    assert [f.name[:10] for f in files] == sorted(union_enterprises_at(quarter))
    for path in files:
        workbook = openpyxl.load_workbook(path)
        sheet = workbook.worksheets[0]
        assert GUIDE_SHEET in workbook.sheetnames and sheet.protection.sheet
        assert len(sheet.data_validations.dataValidation) == 14  # every input column of §4.2
        identity = [sheet.cell(EXCEL_DATA_ROW, col) for col in (1, 2, 3)]
        assert identity[1].value == path.name[:10] and all(c.protection.locked for c in identity)


@pytest.fixture(scope="module")
def second_run(first_run, forms):
    root, inbox, warehouse = first_run
    _, out = forms
    inbox2, warehouse2 = root / "inbox2", root / "warehouse2"
    shutil.copytree(inbox, inbox2)
    shutil.copytree(warehouse, warehouse2)
    target = inbox2 / "union_reports" / "2022" / "Q3" / "mau"
    files = sorted(out.glob("*.xlsx"))
    filled = [fill_form(f, target / f.name, correct(f.name[:10], 2)) for f in files[:5]]
    against = fill_form(files[5], target / files[5].name, {**correct(files[5].name[:10], 2), "workers_female": -3})
    result = run_uw("run", "--inbox", str(inbox2), "--warehouse", str(warehouse2))
    assert result.returncode in (0, 3), result.stdout[-3000:] + result.stderr[-3000:]
    relative = lambda p: p.relative_to(inbox2).as_posix()  # noqa: E731
    return warehouse2, [relative(p) for p in filled], relative(against)


def test_correctly_filled_forms_load_with_no_finding_of_their_own(second_run):
    warehouse, filled, _ = second_run
    own = current(warehouse, "select rule_id, source_file from audit.dq_findings_current "
                             "where severity in ('error', 'warning') and source_file in (select unnest(?))", [filled])
    assert own == []
    accepted = current(warehouse, "select source_file from marts.fct_union_report where period = ?", [QUARTER.key])
    assert set(filled) <= {f for (f,) in accepted}  # loaded and counted, not merely ignored


def test_a_value_typed_against_the_validation_gives_the_spec_finding(second_run):
    warehouse, _, against = second_run
    found = current(warehouse, "select rule_id, source_row, message_vi from audit.dq_findings_current "
                               "where source_file = ?", [against])
    assert ("F004", EXCEL_DATA_ROW) in {(r, row) for r, row, _ in found}
    assert any("Lao động nữ" in message for _, _, message in found)
