"""A failing dbt test stops nothing: its verdict goes to the gate, and every model is built.

Until session 11 dagster-dbt's blocking checks failed the dbt step at an error-severity
test's failure, so the run ended (exit 1) before the findings, the gate and the report. And
since session 11 the dbt steps use one `dbt build`, which skips everything below a failing
test; the step builds what it skipped in further passes
(`dbt_in_process.build_past_failing_tests`).

Two faults are planted where no input could put them (the pipeline's own checks would stop
them at ingest): a raw report row without a period, so the staging test
`not_null_stg_union_reports_period` fails and dbt build skips every model below it, and a
null worker count in a row the incremental `fct_union_report` keeps, so a marts test fails
and the gate blocks. The run must reach the gate (exit 3), and every test of the step must
have a verdict of this run: none skipped.
"""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import run_uw
from tests.rules.inbox import base_world, write_inbox

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("build_past_failing")]

FAILING = "not_null_fct_union_report_workers_total"
FAILING_UPSTREAM = "not_null_stg_union_reports_period"
BELOW_IT = "unique_int_union_reports_history_report_id"  # skipped by a single dbt build


def test_models_below_failing_tests_are_built_and_the_verdicts_reach_the_gate(tmp_path):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    write_inbox(base_world(), inbox)
    first = run_uw("run", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    db = warehouse / "warehouse.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("update marts.fct_union_report set workers_total = null where (tax_code, period) in "
                    "(select tax_code, period from marts.fct_union_report order by 1 desc, 2 desc limit 1)")
        con.execute("update raw.union_reports set period = null where rowid = (select min(rowid) "
                    "from raw.union_reports where tax_code = (select min(tax_code) from raw.union_reports))")
        # the quarter step's inputs look changed, its code the same: an incremental build
        con.execute("update audit.build_log set fingerprint = 'inputs of another day' "
                    "where step = 'warehouse_quarter_models' and action = 'built'")

    second = run_uw("run", "--inbox", str(inbox), "--warehouse", str(warehouse))

    assert second.returncode == 3, second.stdout[-3000:] + second.stderr[-3000:]  # blocked, not failed
    with duckdb.connect(str(db), read_only=True) as con:
        run_id = con.execute("select run_id from audit.runs order by started_at desc limit 1").fetchone()[0]
        verdicts = dict(con.execute("select test_name, status from audit.dbt_test_results where run_id = ?",
                                    [run_id]).fetchall())
        reasons = con.execute("select gate_reasons from audit.runs where run_id = ?", [run_id]).fetchone()[0]
        figures_as_of = con.execute("select count(distinct as_of) from marts.headline_figures").fetchone()[0]
    assert verdicts[FAILING] == verdicts[FAILING_UPSTREAM] == "fail"
    assert FAILING in reasons
    assert verdicts[BELOW_IT] == "pass"
    # tests on the marts below fct_union_report ran in this run (a skipped pass would leave them
    # out or 'skipped'), and passed
    below = {name: status for name, status in verdicts.items() if name.startswith(("sums_match_headline",
                                                                                    "accepted_values_headline"))}
    assert below and set(below.values()) == {"pass"}, below
    assert "skipped" not in verdicts.values()
    assert figures_as_of > 0
