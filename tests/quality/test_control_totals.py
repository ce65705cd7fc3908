from datetime import date

import duckdb
import pytest

from pipelines.quality.control_totals import Reconciliation, c001_findings, quarter_of, reconcile


def _rec(published: float, computed: float | None, decimals: int) -> Reconciliation:
    return Reconciliation("union_coverage_pct", date(2022, 9, 30), None, published, decimals, computed,
                          "article", "control_totals/c.csv", 4)


@pytest.mark.parametrize(("published", "computed", "decimals", "matches"), [
    (95.2, 95.15570934256, 1, True),
    (95.2, 95.24, 1, True),
    (95.2, 95.26, 1, False),
    (156915, 156915.0, 0, True),
    (156915, 156914.0, 0, False),
    (26.3, 26.331967, 1, True),
    (15.4, None, 1, False),
])
def test_comparison_uses_the_published_precision(published, computed, decimals, matches):
    assert _rec(published, computed, decimals).matches is matches


def test_only_mismatches_become_c001_findings_keyed_by_metric_and_quarter():
    findings = c001_findings([_rec(95.2, 95.16, 1), _rec(95.2, 90.0, 1), _rec(95.2, None, 1)])
    assert [f.rule_id for f in findings] == ["C001", "C001"]
    assert findings[0].observed == "90.0" and findings[0].expected == "95.2"
    assert findings[0].period == "2022-Q3"
    assert findings[0].key == findings[1].key  # same metric and quarter: one problem, one key


def test_quarter_of():
    quarters = [quarter_of(date(2022, m, 1)) for m in (1, 3, 4, 9, 12)]
    assert quarters == ["2022-Q1", "2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4"]


def test_reconcile_reads_the_latest_control_total_and_matches_the_window():
    con = duckdb.connect()
    con.execute("create schema raw; create schema marts")
    con.execute("""create table raw.control_totals (metric varchar, as_of date, window_start date, value double,
                   value_decimals integer, source varchar, source_file varchar, source_row integer,
                   loaded_at timestamp)""")
    con.execute("""insert into raw.control_totals values
        ('workers', '2022-09-30', null, 100, 0, 'old', 'c/a.csv', 2, '2022-10-01'),
        ('workers', '2022-09-30', null, 120, 0, 'new', 'c/b.csv', 2, '2022-10-02'),
        ('candidates_admitted', '2022-09-30', '2018-01-01', 7, 0, 's', 'c/b.csv', 3, '2022-10-02')""")
    con.execute("create table marts.headline_figures (as_of date, window_start date, metric varchar, value double)")
    con.execute("""insert into marts.headline_figures values
        ('2022-09-30', '2018-01-01', 'workers', 120), ('2022-09-30', '2018-01-01', 'candidates_admitted', 9),
        ('2022-09-30', '2022-01-01', 'candidates_admitted', 7)""")
    by_metric = {rec.metric: rec for rec in reconcile(con)}
    assert by_metric["workers"].published == 120 and by_metric["workers"].matches
    assert by_metric["candidates_admitted"].computed == 9 and not by_metric["candidates_admitted"].matches
