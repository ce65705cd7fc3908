"""`dbt seed` + `dbt build` on the hand-made raw schema of raw_fixture.py.

Expected figures, worked out by hand from raw_fixture.py (window from 2022-01-01):

as of 2022-09-30 the 2022-08-15 snapshot is in force (not 2022-10-15, where A is dissolved):
  registered  A B D E (C dissolved)                  = 4
  stable      A B D E                                = 4
  eligible    A B E (D not eligible, C dissolved)    = 3
  union       A B E                                  = 3   -> coverage 100 %
  workers     A 130 (identical duplicate kept once) + E 70; B's Q3 rows are E004,
              C is dissolved, D has no union         = 200; members 120 + 65 = 185
  introduced  A 5 + A 4 (revision 2 wins over 3) + A 2 + B 1 + C 10 = 22
  admitted    2 + 2 + 1 + 0 + 5 = 10 (the E002 report's 9 is excluded); via 1+1+1+2 = 5
  party orgs  P1, P3 (P2 dissolved 2022-08-01, P4 is E010, P5 is E002) = 2 -> 2/4 = 50 %
  established P2, P3 (P1 before the window)           = 2, both via transfer, 3 + 4 = 7
as of 2022-06-30 (2022-01-01 snapshot): workers A 120 + B 50 + C 200 = 370.
"""

from __future__ import annotations

import pytest

from .raw_fixture import EXPECTED_HEADLINE_2022_Q3

pytestmark = pytest.mark.xdist_group("dbt_build")

AS_OF_Q3 = "2022-09-30"


@pytest.fixture(scope="module")
def warehouse(built_warehouse):
    for name, result in built_warehouse.results.items():
        assert result.returncode == 0, f"dbt {name} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
    return built_warehouse


def headline(warehouse, as_of: str) -> dict[str, float | None]:
    rows = warehouse.query(
        "select metric, value from marts.headline_figures where as_of = cast(? as date)", [as_of]
    )
    return dict(rows)


def test_dbt_build_passes_with_unit_tests(warehouse):
    output = warehouse.results["build"].stdout
    assert "ERROR=0" in output
    assert "unit_test" in output or "unit test" in output


def test_headline_figures_latest_quarter(warehouse):
    figures = headline(warehouse, AS_OF_Q3)
    assert figures == pytest.approx(EXPECTED_HEADLINE_2022_Q3, rel=0, abs=1e-12)


def test_percentages_keep_full_precision(warehouse):
    figures = headline(warehouse, "2022-06-30")
    assert figures["party_org_coverage_pct"] == 100.0 * 2 / 3
    assert figures["workers"] == 370
    assert figures["union_enterprises"] == 3


def test_every_quarter_and_window(warehouse):
    rows = warehouse.query(
        "select distinct cast(as_of as varchar), cast(window_start as varchar) "
        "from marts.headline_figures order by 1"
    )
    assert rows == [("2022-03-31", "2022-01-01"), ("2022-06-30", "2022-01-01"), ("2022-09-30", "2022-01-01")]
    count = warehouse.query("select count(*) from marts.headline_figures")[0][0]
    assert count == 3 * 16


def test_one_accepted_report_per_enterprise_and_quarter(warehouse):
    rows = warehouse.query(
        "select tax_code, period, revision, workers_total from marts.fct_union_report "
        "where tax_code in ('0200000001', '0200000002') order by 1, 2"
    )
    assert rows == [
        ("0200000001", "2022-Q1", 1, 100),
        ("0200000001", "2022-Q2", 2, 120),
        ("0200000001", "2022-Q3", 1, 130),
        ("0200000002", "2022-Q2", 1, 50),
    ]


def test_dim_enterprise_history_and_period_labels(warehouse):
    versions = warehouse.query(
        "select cast(valid_from as varchar), cast(valid_to as varchar), operating_status, is_current "
        "from marts.dim_enterprise where tax_code = '0200000003' order by valid_from"
    )
    assert versions == [
        ("2022-01-01", "2022-08-14", "stable", False),
        ("2022-08-15", "2022-10-14", "dissolved", False),
    ]
    labels = warehouse.query("select label from marts.dim_period order by period")
    assert [label for (label,) in labels] == ["Quý I/2022", "Quý II/2022", "Quý III/2022"]


def test_target_tracking_current_year_pace(warehouse):
    rows = warehouse.query(
        "select metric, actual, met, status, months_elapsed, pace_needed_per_quarter "
        "from marts.target_tracking where year = 2022 order by metric"
    )
    assert rows == [
        ("party_members_admitted", 10.0, False, "in_progress", 9, 40.0),
        ("party_orgs_established", 2.0, False, "in_progress", 9, 3.0),
    ]


def test_breakdowns_add_up(warehouse):
    rows = warehouse.query(
        "select zone_code, value from marts.headline_by_zone "
        "where as_of = cast(? as date) and metric = 'workers' order by 1",
        [AS_OF_Q3],
    )
    assert rows == [("DV", 200.0), ("TD", 0.0), ("VSIP", 0.0)]


def test_no_personal_data_outside_raw(warehouse):
    personal = {"citizen_id", "full_name", "birth_date", "reporter_name", "reporter_phone"}
    columns = warehouse.query(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema <> 'raw'"
    )
    leaks = [c for c in columns if c[2] in personal]
    assert leaks == []
    values = warehouse.query(
        "select count(*) from marts.fct_party_candidate where birth_year_band = '1990-1994'"
    )
    assert values == [(2,)]


def test_findings(warehouse):
    rows = warehouse.query(
        "select rule_id, count(*) from intermediate.int_dq_findings group by rule_id order by rule_id"
    )
    counts = dict(rows)
    assert counts["E002"] == 2        # the report and the Party org of 0209999999
    assert counts["E004"] == 2        # both conflicting B rows
    assert counts["E005"] == 1        # A 2022-Q2 revision 1
    assert counts["E009"] == 2        # both roster rows of k2
    assert counts["E010"] == 2        # both register rows of P4
    assert counts["E007"] == 1        # D has no union
    assert counts["X004"] == 1        # k3 admitted by an unknown org
    e006 = warehouse.query(
        "select tax_code, period from intermediate.int_dq_findings where rule_id = 'E006'"
    )
    assert e006 == [("0200000003", "2022-Q1")]
