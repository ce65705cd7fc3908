"""A Great Expectations expectation that fails yields its finding, through the same path as a run.

The staged table is hand-made with one row that breaks L001 (members above workers), which
ingest would have quarantined: the suite is the second line of defence that catches it
if the first one ever lets such a row through.
"""

import duckdb
import pytest

from pipelines.lib.audit import ensure_audit_schema
from pipelines.quality.current_findings import current_findings
from pipelines.quality.gx_results import gx_finding_rows, replace_gx_findings
from pipelines.quality.gx_suites import load_suites

pytestmark = pytest.mark.xdist_group("gx")

GOOD = ("0200000101", "2022-Q1", 100, 50, 80, 40, 1, 1, 0, "ab", 2)
BROKEN = ("0200000102", "2022-Q1", 50, 20, 60, 30, 1, 0, 0, "ab", 3)


def test_a_failed_expectation_becomes_a_gx_finding_on_the_offending_row(tmp_path):
    from pipelines.quality.gx_validation import validate_staging

    warehouse_db = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse_db)) as con:
        con.execute("create schema staging")
        con.execute("""create table staging.stg_union_reports (tax_code varchar, period varchar,
            workers_total integer, workers_female integer, members_total integer, members_female integer,
            revision integer, candidates_admitted integer, admitted_via_core_cell integer, sha256 varchar,
            source_row integer, source_file varchar)""")
        con.executemany("insert into staging.stg_union_reports values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'r.csv')",
                        [GOOD, BROKEN])
    suite = next(s for s in load_suites() if s.name == "stg_union_reports")
    results = validate_staging(warehouse_db, tmp_path / "gx", [suite])

    failed = {r.check_name for r in results if not r.success}
    assert failed == {"members_within_workers"}
    descriptions = {f"{e.suite}.{e.check_name}": (e.description_vi, e.description_en) for e in suite.expectations}
    with duckdb.connect(str(warehouse_db)) as con:
        ensure_audit_schema(con)
        replace_gx_findings(con, [suite.name], gx_finding_rows("run-1", results, descriptions))
        found = current_findings(con, "run-1")
    assert [(f["rule_id"], f["origin"], f["source_file"], f["source_row"], f["tax_code"]) for f in found] == \
        [("L001", "gx", "r.csv", 3, "0200000102")]
    assert found[0]["severity"] == "error" and "members_total=60" in found[0]["observed"]
    assert not found[0]["expected"].startswith("gx:")


def test_an_expectation_that_raises_records_why(tmp_path):
    """A null in an integer pair check makes GX raise inside a metric: the message must reach the result."""
    from pipelines.quality.gx_validation import validate_staging

    warehouse_db = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse_db)) as con:
        con.execute("create schema staging")
        con.execute("""create table staging.stg_party_orgs as select 'ORG1' as org_code,
            date '2020-01-01' as established_on, 'cell' as org_type, '0200000101' as tax_code,
            unnest([3, null])::integer as members_at_founding, 1::integer as transferred_members,
            null::date as dissolved_on, 'ab' as sha256, unnest([1, 2])::integer as source_row,
            'p.csv' as source_file""")
    suite = next(s for s in load_suites() if s.name == "stg_party_orgs")
    results = {r.check_name: r for r in validate_staging(warehouse_db, tmp_path / "gx", [suite])}

    raised = results["transferred_within_founding_members"]
    assert not raised.success and raised.error and "NA" in raised.error
    assert all(r.error is None for name, r in results.items() if name != "transferred_within_founding_members")
