"""`uw run` on tests/fixtures/forms_inbox: an inbox mixing wide sheets, two-row headers and
vertical forms (inbound-reports.md §2, §2.1, §2.2).

Every expectation is derived from `tests/fixtures/make_forms_inbox.py` (which file holds which
reports at which rows, and which finding each file is written to provoke) and the facts of
`fixture_data.py`, so the test says the same thing as the files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_uw
from tests.fixtures.fixture_data import ENTERPRISES, report_figures
from tests.fixtures.layouts import REPORT_COUNTS
from tests.fixtures.make_forms_inbox import build

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("forms_inbox")]

FORMS_INBOX = Path(__file__).resolve().parent.parent / "fixtures" / "forms_inbox"
FORMS = build()
INGEST_RULES = ("F001", "F002", "F003", "F004", "F005", "F007", "F008", "F009", "F010", "E001",
                "L001", "L002", "L003", "L008")


def quarantined_report(form, rule: str, row: int) -> int:
    """The quarantine row of a rejected report: a wide row is its own row; a vertical form's
    report stands at its `workers_total` row, whichever value broke the rule."""
    if form.layout == "vertical_form":
        return form.sheet.value_rows["workers_total"]
    return row


@pytest.fixture(scope="module")
def forms_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("forms_inbox")
    inbox = root / "inbox"
    shutil.copytree(FORMS_INBOX, inbox)
    result = run_uw("run", "--inbox", str(inbox), "--warehouse", str(root / "warehouse"))
    con = duckdb.connect(str(root / "warehouse" / "warehouse.duckdb"), read_only=True)
    yield result, con
    con.close()


def test_run_publishes(forms_run):
    result, _ = forms_run
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_manifest_layouts_and_row_accounting(forms_run):
    _, con = forms_run
    manifest = {f: rest for f, *rest in con.execute(
        "select source_file, status, detail, rows_read, rows_loaded, rows_quarantined from audit.file_manifest "
        "where kind = 'union_reports'").fetchall()}
    assert set(manifest) == {f.path for f in FORMS}
    for form in FORMS:
        status, detail, read, loaded, quarantined = manifest[form.path]
        if form.layout is None:
            assert (status, read, loaded, quarantined) == ("quarantined", 0, 0, 0), form.path
            continue
        rejected = sum(1 for rule, _ in form.findings if rule != "F007")
        assert (status, detail) == ("loaded", f"layout: {form.layout}"), form.path
        assert (read, loaded, quarantined) == (len(form.reports), len(form.reports) - rejected, rejected), form.path
    layouts = {detail for status, detail, *_ in manifest.values() if status == "loaded"}
    assert layouts == {"layout: wide", "layout: two_row_header", "layout: vertical_form"}


def test_every_loaded_report_with_its_row_and_figures(forms_run):
    _, con = forms_run
    counts = ", ".join(REPORT_COUNTS)
    loaded = sorted(con.execute(f"select source_file, source_row, tax_code, period, enterprise_name, {counts} "
                                "from raw.union_reports").fetchall())
    names = {e[0]: e[1] for e in ENTERPRISES}
    expected = []
    for form in FORMS:
        if form.layout is None:
            continue
        rows = ([form.sheet.value_rows["workers_total"]] if form.layout == "vertical_form"
                else form.sheet.data_rows)
        rejected = {quarantined_report(form, rule, row) for rule, row in form.findings if rule != "F007"}
        for (tax, period), row in zip(form.reports, rows, strict=True):
            if row not in rejected:
                expected.append((form.path, row, tax, period, names[tax], *report_figures(tax, period).values()))
    assert loaded == sorted(expected)


def test_quarantine_and_findings_name_file_and_row(forms_run):
    _, con = forms_run
    quarantine = sorted(con.execute("select source_file, source_row, rule_id from audit.quarantine "
                                    "where kind = 'union_reports'").fetchall())
    assert quarantine == sorted((f.path, quarantined_report(f, rule, row), rule) for f in FORMS
                                for rule, row in f.findings if row is not None and rule != "F007")
    placeholders = ", ".join("?" for _ in INGEST_RULES)
    found = sorted(con.execute(f"select rule_id, source_file, source_row from audit.dq_findings_current "
                               f"where rule_id in ({placeholders}) and source_file like 'union_reports/%'",
                               list(INGEST_RULES)).fetchall(), key=str)
    assert found == sorted(((rule, f.path, row) for f in FORMS for rule, row in f.findings), key=str)


def test_f002_messages_name_what_is_missing(forms_run):
    _, con = forms_run
    messages = dict(con.execute("select source_file, message_vi from audit.dq_findings_current "
                                "where rule_id = 'F002'").fetchall())
    assert "thiếu Mã số thuế" in messages["union_reports/bieu_doc_thieu_mst.xlsx"]
    assert "thiếu Tổng số đoàn viên" in messages["union_reports/bieu_doc_thieu_doan_vien.csv"]
    assert "«Lao động / LĐ dân tộc»" in messages["union_reports/hai_dong_cot_la.xlsx"]
    assert "biểu dọc" in messages["union_reports/bien_ban_hop.csv"]


def test_the_readable_reports_reach_the_warehouse(forms_run):
    """Wide, two-row and vertical reports alike become facts (none is unregistered or renamed)."""
    _, con = forms_run
    entity = con.execute("select rule_id, count(*) from audit.dq_findings_current where rule_id in "
                         "('E002', 'E003', 'E004') group by 1").fetchall()
    assert entity == []
    facts = con.execute("select count(*) from raw.union_reports").fetchone()[0]
    assert facts == sum(1 for f in FORMS for _ in f.reports) - sum(
        1 for f in FORMS for rule, row in f.findings if row is not None and rule != "F007")
