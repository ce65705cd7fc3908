"""The report's "open since" is when a finding was last opened: a finding that was fixed and came back is
new to the auditor from the day it came back, not from the day it was first seen."""

from datetime import datetime

import duckdb

from pipelines.lib.findings import Finding
from pipelines.quality.current_findings import seen_row
from pipelines.quality.lifecycle import record_findings
from pipelines.report.data import WarehouseFindings, load_findings
from pipelines.report.xlsx import write_findings_xlsx


def test_a_reopened_finding_is_open_since_it_came_back(tmp_path):
    back = Finding("L001", "thành viên > người lao động", "members > workers", tax_code="0200000002",
                   period="2022-Q3", source_file="a.xlsx", source_row=3, observed="5 > 4", expected="≤")
    steady = Finding("E005", "thay thế", "superseded", tax_code="0200000003", period="2022-Q3",
                     source_file="b.xlsx", source_row=9)
    first, fixed, returned = datetime(2026, 1, 5, 8), datetime(2026, 2, 5, 8), datetime(2026, 3, 5, 8)
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        record_findings(con, "r1", [seen_row(back), seen_row(steady)], now=first)
        record_findings(con, "r2", [seen_row(steady)], now=fixed)
        record_findings(con, "r3", [seen_row(back), seen_row(steady)], now=returned)
        since = {f["rule_id"]: f["open_since"] for f in load_findings(con)}
        assert since == {"L001": returned, "E005": first}
        write_findings_xlsx(WarehouseFindings(con), tmp_path / "dq_findings.xlsx")
