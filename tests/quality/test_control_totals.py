"""C001 is made once, in `int_control_total_checks`; Python only reads its verdicts."""

from datetime import date

import duckdb

from pipelines.quality.control_totals import reconcile


def test_reconcile_reads_the_model_and_never_recomputes():
    con = duckdb.connect()
    con.execute("create schema intermediate")
    con.execute("""create table intermediate.int_control_total_checks as select * from (values
        ('workers', date '2022-09-30', null::date, 156916.0, 0, 156915.0, 's', 'c/a.csv', 2, -1.0, false),
        ('union_coverage_pct', date '2022-09-30', null::date, 95.2, 1, 95.1557, 's', 'c/a.csv', 3, 0.0, true))
        t(metric, as_of, control_window_start, control_value, value_decimals, warehouse_value, source,
          source_file, source_row, difference, matches)""")
    by_metric = {rec.metric: rec for rec in reconcile(con)}
    assert not by_metric["workers"].matches and by_metric["workers"].difference == -1.0
    assert by_metric["union_coverage_pct"].matches and by_metric["union_coverage_pct"].decimals == 1
    assert by_metric["workers"].as_of == date(2022, 9, 30)


def test_no_model_no_reconciliation():
    assert reconcile(duckdb.connect()) == []


def test_python_has_no_second_c001():
    from tests.conftest import REPO_ROOT

    readers = [p for domain in ("quality", "publish", "report")
               for p in (REPO_ROOT / "pipelines" / domain).rglob("*.py")]
    python = "".join(p.read_text(encoding="utf-8") for p in readers)
    assert readers and "control_totals" in python  # they do read the verdicts...
    assert "raw.control_totals" not in python  # ...never the raw figures
    assert 'rule_id="C001"' not in python
