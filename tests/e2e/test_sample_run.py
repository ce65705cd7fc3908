"""`uw run` on the default sample inbox: the seed's figures, the findings, the accounting."""

import duckdb
import pytest

from tests.conftest import run_uw

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("sample_run")]

# The article's figures (../shared/seed/README.md) as metrics.md names them.
SEED_FIGURES = {
    "enterprise_party_orgs": 51,
    "union_enterprises": 275,
    "workers": 156915,
    "members": 148630,
    "candidates_introduced": 976,
    "candidates_admitted": 257,
    "admitted_via_core_cell": 116,
    "party_orgs_established": 32,
    "party_orgs_established_via_transfer": 16,
    "party_members_transferred": 86,
}
SEED_PERCENTAGES = {"union_coverage_pct": 95.2, "party_org_coverage_pct": 15.4, "admission_rate_pct": 26.3}

HEADLINE_QUERY = """
select metric, value from marts.headline_figures
where as_of = date '2022-09-30' and window_start = date '2018-01-01'
"""


@pytest.fixture(scope="module")
def first_run(sample_run):
    return sample_run


@pytest.fixture(scope="module")
def second_run(first_run, sample_inbox):
    warehouse, _ = first_run
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        before = _snapshot(con)
    result = run_uw("run", "--inbox", str(sample_inbox), "--warehouse", str(warehouse))
    return warehouse, result, before


def _snapshot(con) -> dict:
    return {
        "raw_rows": {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0]
                     for t in ("enterprises", "union_reports", "party_orgs", "candidates", "control_totals")},
        "figures": dict(con.execute(HEADLINE_QUERY).fetchall()),
        "quarantine": con.execute("select count(*) from audit.quarantine").fetchone()[0],
    }


def test_run_exits_zero_and_leaves_warehouse_serving_and_report(first_run):
    warehouse, result = first_run
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for path in ("warehouse.duckdb", "serving.duckdb", "reports/dq_report.html"):
        assert (warehouse / path).is_file(), path
    assert "gate:       passed" in result.stdout
    assert str(warehouse / "reports" / "dq_report.html") in result.stdout


def test_headline_figures_reproduce_every_seed_figure(first_run):
    warehouse, _ = first_run
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as con:
        figures = dict(con.execute(HEADLINE_QUERY).fetchall())
    for metric, expected in SEED_FIGURES.items():
        assert figures[metric] == expected, metric
    for metric, expected in SEED_PERCENTAGES.items():
        assert round(figures[metric], 1) == expected, metric
        assert figures[metric] != expected  # kept at full precision, rounded only for display


def test_every_control_total_reconciles(first_run):
    warehouse, _ = first_run
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw.control_totals").fetchone()[0] == 13
        assert con.execute("select count(*) from audit.dq_findings where rule_id = 'C001'").fetchone()[0] == 0
        run = con.execute("select gate_result, published, started_by from audit.runs").fetchall()
    assert run == [("passed", True, "uw-cli")]


def test_injected_defects_are_found_where_the_sample_put_them(first_run):
    warehouse, _ = first_run
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        found = con.execute("select rule_id, severity, source_file, source_row from audit.dq_findings_current "
                            "where severity <> 'info' or rule_id in ('E005', 'F006')").fetchall()
    rules = {row[0] for row in found}
    assert {"F001", "F006", "F008", "E002", "E005", "L001", "E008"} <= rules
    by_rule = {row[0]: row for row in found}
    assert by_rule["L001"][2].startswith("union_reports/2021/Q2/") and by_rule["L001"][3] == 10
    assert by_rule["E008"][2] == "candidates/DS_QCUT_2021_12.xlsx" and by_rule["E008"][3] == 278
    assert not any(row[0] in ("C001", "E004", "E009", "E010") for row in found)


def test_every_loaded_file_accounts_for_every_row(first_run):
    warehouse, _ = first_run
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        unbalanced = con.execute("select source_file from audit.file_manifest where status = 'loaded' "
                                 "and rows_read <> rows_loaded + rows_quarantined").fetchall()
        statuses = dict(con.execute("select status, count(*) from audit.file_manifest group by status").fetchall())
        quarantined_rows = con.execute("select count(*) from audit.quarantine").fetchone()[0]
        manifest_quarantined = con.execute("select sum(rows_quarantined) from audit.file_manifest").fetchone()[0]
    assert unbalanced == []
    assert statuses["quarantined"] == 1 and statuses["duplicate"] == 1 and statuses["skipped"] >= 2
    assert quarantined_rows == manifest_quarantined > 0


def test_rerun_parses_nothing_and_changes_nothing(second_run):
    warehouse, result, before = second_run
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        after = _snapshot(con)
        latest = con.execute("select run_id from audit.runs order by finished_at desc limit 1").fetchone()[0]
        parsed = con.execute("select count(*) from audit.file_manifest where run_id = ? "
                             "and status in ('loaded', 'quarantined')", [latest]).fetchone()[0]
        current_errors = con.execute("select count(*) from audit.dq_findings_current "
                                     "where severity = 'error'").fetchone()[0]
    assert parsed == 0
    assert after == before
    assert current_errors == 4  # the sample's F001, E002, E008 and L001 stay open until fixed at the source


def test_both_hand_drawn_layouts_are_loaded(first_run):
    """docs/sample-data.md: some consolidated sheets have two-row headers and some single-enterprise
    files are vertical forms; the manifest says so and they load like every other file."""
    warehouse, _ = first_run
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        loaded = con.execute("select detail, source_file from audit.file_manifest "
                             "where kind = 'union_reports' and status = 'loaded'").fetchall()
    names = {"layout: two_row_header": "BC_CDCS_KCN_", "layout: vertical_form": "CDCS_"}
    for detail, prefix in names.items():
        files = [f for d, f in loaded if d == detail]
        assert files, detail
        assert all(f.rsplit("/", 1)[-1].startswith(prefix) for f in files), detail
