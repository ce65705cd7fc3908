"""Rows that a dbt error rule keeps out of the figures are quarantined and counted like ingest's.

The "every rule broken once" inbox has one E002 report row, one E004 pair, one E009 person
(two roster rows) and one E010 org code (two register rows), each in a file of its own.
"""

import json

import duckdb
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("rules")]

WAREHOUSE_RULES = ("E002", "E004", "E009", "E010")


@pytest.fixture(scope="module")
def audit(broken):
    with duckdb.connect(str(broken["root"] / "warehouse" / "warehouse.duckdb"), read_only=True) as con:
        quarantine = con.execute("select rule_id, source_file, source_row, origin, raw_values "
                                 "from audit.quarantine").fetchall()
        manifest = con.execute("select source_file, rows_read, rows_loaded, rows_quarantined "
                               "from audit.file_manifest where status = 'loaded'").fetchall()
        runs = con.execute("select rows_loaded, rows_quarantined from audit.runs").fetchall()
    return {"quarantine": quarantine, "manifest": {row[0]: row[1:] for row in manifest}, "runs": runs}


@pytest.mark.parametrize("rule", WAREHOUSE_RULES)
def test_each_rejected_row_is_quarantined_with_its_rule_id(broken, audit, rule):
    expected = {(file, row) for _, _, _, _, file, row in broken["expected"][rule]}
    quarantined = {(file, row) for rule_id, file, row, origin, _ in audit["quarantine"]
                   if rule_id == rule and origin == "dbt"}
    assert quarantined == expected


@pytest.mark.parametrize("rule", WAREHOUSE_RULES)
def test_each_file_counts_its_rejected_rows_as_quarantined(broken, audit, rule):
    files = {file for _, _, _, _, file, _ in broken["expected"][rule]}
    for file in files:
        rejected = {row for _, f, row, origin, _ in audit["quarantine"] if f == file}
        rows_read, rows_loaded, rows_quarantined = audit["manifest"][file]
        assert rows_quarantined == len(rejected) > 0
        assert rows_read == rows_loaded + rows_quarantined


def test_the_run_totals_count_them_too(audit):
    (rows_loaded, rows_quarantined), = audit["runs"]
    assert rows_quarantined == len({(f, r) for _, f, r, _, _ in audit["quarantine"]})
    assert rows_loaded == sum(m[1] for m in audit["manifest"].values())


def test_quarantined_values_name_no_person(audit):
    roster = [json.loads(values) for rule, _, _, origin, values in audit["quarantine"]
              if rule == "E009" and origin == "dbt"]
    assert roster and all(row["citizen_id"] == "<redacted>" and row["full_name"] == "<redacted>"
                          and row["birth_date"] == "<redacted>" for row in roster)
    text = " ".join(values for *_, values in audit["quarantine"])
    for personal in ("Nguyễn Văn Thử", "031095000009", "1995-06-12"):
        assert personal not in text
