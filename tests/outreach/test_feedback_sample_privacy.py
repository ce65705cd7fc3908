"""The default sample's run writes feedback packets with no person in them.

Shares the session's sample run (tests/conftest.py `sample_run`), so it adds no run of its
own in the full suite. The sample has candidates (names, citizen ids, birth dates) and
reporters, and findings about the very files that hold them; the packets are scanned with
the serving-privacy test's scanner, which finds a value however it is cased or spaced.
"""

from __future__ import annotations

import duckdb
import openpyxl
import pytest

from tests.e2e.test_serving_privacy import PersonalData

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("sample_run")]


def test_sample_feedback_packets_name_no_person(sample_run):
    warehouse, result = sample_run
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    names, numbers = set(), set()
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        for citizen_id, full_name in con.execute("select citizen_id, full_name from raw.candidates").fetchall():
            numbers.add(citizen_id)
            names.add(full_name)
        for name, phone in con.execute("select reporter_name, reporter_phone from raw.union_reports").fetchall():
            names.add(name)
            numbers.add(phone)
        open_tax_codes = {t for (t,) in con.execute("select distinct tax_code from audit.dq_findings_current "
                                                     "where severity in ('error', 'warning')").fetchall()}
    personal = PersonalData({n for n in names if n}, {n for n in numbers if n})
    folder = warehouse / "reports" / "feedback"
    packets = sorted(folder.glob("*.xlsx"))
    assert packets and len(packets) <= len(open_tax_codes) + 1
    for path in packets:
        for sheet in openpyxl.load_workbook(path):
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, cell.coordinate)
                    if cell.value is not None:
                        assert personal.found_in(str(cell.value)) == [], (path.name, cell.coordinate)
    assert personal.found_in((folder / "feedback_summary.csv").read_text(encoding="utf-8-sig")) == []
