"""Two-row headers (inbound-reports.md §2.1): recognised, never half-read, every figure read."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest import ingest_inbox
from pipelines.ingest.labels import GROUPS, SUB_HEADERS
from pipelines.ingest.sheet import SheetRejected, data_events, locate_header
from tests.fixtures.fixture_data import report_figures
from tests.fixtures.form_sheets import two_row_columns, two_row_sheet
from tests.fixtures.layouts import REPORT_COUNTS, write_csv
from tests.fixtures.make_forms_inbox import build, write_forms_inbox

FORMS = {f.path: f for f in build()}
TWO_ROW_FILES = [p for p, f in FORMS.items() if f.layout == "two_row_header"]


def numbered(rows):
    return [(i + 1, r) for i, r in enumerate(rows)]


@pytest.mark.parametrize("variant", range(4))
def test_every_spelling_of_the_pairs_names_its_column(variant):
    sheet = two_row_sheet([], variant, numbering=False, totals=False)
    layout, _ = locate_header("union_reports", numbered(sheet.rows))
    expected = {i: name for i, (_, _, name) in enumerate(two_row_columns(variant)) if name}
    assert layout.form == "two_row_header"
    assert layout.columns == expected


@pytest.mark.parametrize(("group", "sub", "column"), [
    (group_text, sub_text, column) for group, labels in GROUPS["union_reports"].items() for group_text in labels
    for column, subs in SUB_HEADERS[group].items() for sub_text in subs])
def test_every_group_and_sub_header_pair_of_the_spec(group, sub, column):
    header = ["STT", "Mã số thuế", "Kỳ báo cáo", group, "Ghi chú"]
    below = ["", "", "", sub, ""]
    layout, _ = locate_header("union_reports", numbered([header, below]))
    assert layout.form == "two_row_header"
    assert layout.columns == {1: "tax_code", 2: "period", 3: column}
    assert layout.headers[3] == f"{group} / {sub}"
    assert layout.extra == {0: "STT", 4: "Ghi chú"}


def test_group_cells_that_are_known_headers_are_never_taken_as_columns():
    """The half-read of the issue: `Tổng số CNLĐ` and `Số đoàn viên` are aliases of workers_total and
    members_total; read as one-row headers, the female, join and leave columns would be dropped."""
    header = ["STT", "Mã số thuế", "Kỳ", "Tổng số CNLĐ", "", "Số đoàn viên", "", "", ""]
    below = ["", "", "", "Tổng", "Nữ", "Tổng", "Nữ", "Kết nạp mới", "Giảm"]
    data = [1, "0201000017", "Q3/2022", 100, 40, 90, 35, 6, 2]
    layout, rest = locate_header("union_reports", numbered([header, below, ["(1)"] * 9, data]))
    assert list(layout.columns.values()) == ["tax_code", "period", "workers_total", "workers_female",
                                             "members_total", "members_female", "members_joined", "members_left"]
    assert [(e.kind, e.source_row) for e in data_events(layout, "tax_code", rest)] == [("data", 4)]


def test_group_text_repeated_over_its_span_reads_the_same():
    header = ["Mã số thuế", "Kỳ báo cáo", "Lao động", "Lao động", "Đoàn viên", "Đoàn viên"]
    below = ["", "", "Tổng số", "Trong đó nữ", "Tổng số", "Nữ"]
    layout, _ = locate_header("union_reports", numbered([header, below]))
    assert list(layout.columns.values()) == ["tax_code", "period", "workers_total", "workers_female",
                                             "members_total", "members_female"]


@pytest.mark.parametrize("below", [
    [1, "0201000017", "Q3/2022", 100, 90],  # data straight under a one-row header
    ["", "0201000017", "Quý III/2022", "", ""],  # a data row of text cells
    ["(1)", "(2)", "(3)", "(4)", "(5)"],  # numbering row
    ["", "chưa có", "quý ba", "", "", "ghi chú"],  # text only, one cell under no header: no group above
])
def test_a_one_row_header_stays_one_row(below):
    header = ["STT", "Mã số thuế", "Kỳ báo cáo", "Tổng số lao động", "Tổng số đoàn viên"]
    layout, _ = locate_header("union_reports", numbered([header, below]))
    assert layout.form == "wide"
    assert layout.columns == {1: "tax_code", 2: "period", 3: "workers_total", 4: "members_total"}


def test_a_sub_column_that_cannot_be_placed_rejects_the_sheet():
    header = ["Mã số thuế", "Kỳ báo cáo", "Lao động", "", "Đoàn viên", ""]
    below = ["", "", "Tổng số", "LĐ nữ", "Tổng số", "Nữ"]
    with pytest.raises(SheetRejected) as rejected:
        locate_header("union_reports", numbered([header, below]))
    assert "Lao động / LĐ nữ" in rejected.value.detail_vi
    assert rejected.value.observed == "Lao động / LĐ nữ"


def test_a_sub_column_under_an_unknown_group_is_an_extra_column():
    header = ["Mã số thuế", "Kỳ báo cáo", "Lao động", "", "Đoàn viên", "", "Tiền lương", ""]
    below = ["", "", "Tổng số", "Nữ", "Tổng số", "Nữ", "Bình quân", "Cao nhất"]
    layout, _ = locate_header("union_reports", numbered([header, below]))
    assert layout.extra == {6: "Tiền lương / Bình quân", 7: "Tiền lương / Cao nhất"}


def _ingest(tmp_path: Path, files: list[str]):
    inbox = tmp_path / "inbox"
    write_forms_inbox(tmp_path / "all")
    for name in files:
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmp_path / "all" / name, inbox / name)
    ingest_inbox(inbox, tmp_path / "w.duckdb", tmp_path / "archive", "run-1", today=date(2022, 12, 1))
    return duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)


def test_two_row_sheets_through_ingest_every_figure_of_every_row(tmp_path):
    """Merged xlsx, the CSV where merging is lost and a third spelling: each report's row, period,
    tax code and all ten counts, derived from the facts the files were written from."""
    con = _ingest(tmp_path, TWO_ROW_FILES)
    counts = ", ".join(REPORT_COUNTS)
    loaded = con.execute(f"select source_file, source_row, tax_code, period, {counts} from raw.union_reports "
                         "order by source_file, source_row").fetchall()
    expected = []
    for path in sorted(TWO_ROW_FILES):
        form = FORMS[path]
        for (tax, period), row in zip(form.reports, form.sheet.data_rows, strict=True):
            if ("E001", row) not in form.findings:
                expected.append((path, row, tax, period, *report_figures(tax, period).values()))
    assert loaded == expected
    assert len(expected) == 7
    quarantined = con.execute("select source_file, source_row, rule_id from audit.quarantine").fetchall()
    assert quarantined == [(p, row, rule) for p in TWO_ROW_FILES for rule, row in FORMS[p].findings]
    manifest = con.execute("select source_file, status, detail from audit.file_manifest order by 1").fetchall()
    assert manifest == [(p, "loaded", "layout: two_row_header") for p in sorted(TWO_ROW_FILES)]
    # the numbering row, the totals row (correct: no F008) and the footer are no rows
    findings = con.execute("select rule_id, source_file, source_row from audit.ingest_findings").fetchall()
    assert findings == [(rule, p, row) for p in TWO_ROW_FILES for rule, row in FORMS[p].findings]


def test_a_wrong_totals_row_on_a_two_row_sheet_is_f008(tmp_path):
    reports = [{"tax_code": "0201000017", "period": "Q3/2022", **report_figures("0201000017", "2022-Q3")},
               {"tax_code": "0201000024", "period": "Q3/2022", **report_figures("0201000024", "2022-Q3")}]
    sheet = two_row_sheet(reports, 1, merged=False)
    totals_row = sheet.data_rows[-1] + 1
    sheet.rows[totals_row - 1][5] += 7  # workers_female
    write_csv(tmp_path / "inbox/union_reports/f008.csv", sheet.rows, "utf-8", ",")
    ingest_inbox(tmp_path / "inbox", tmp_path / "w.duckdb", tmp_path / "archive", "run-1", today=date(2022, 12, 1))
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        found = con.execute("select rule_id, source_row, observed, message_vi from audit.ingest_findings").fetchall()
    assert [(r, row) for r, row, _, _ in found] == [("F008", totals_row)]
    assert "Tổng số CNLĐ / Lao động nữ" in found[0][3]
