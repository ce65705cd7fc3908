import duckdb

from pipelines.lib.audit import ensure_audit_schema
from pipelines.lib.findings import Finding
from pipelines.publish.gate import NO_UNION_REPORTS, GateResult, decide_gate, evaluate_gate, verdict_of
from pipelines.quality.current_findings import seen_row
from pipelines.quality.lifecycle import record_findings


def _warehouse(union_reports: int = 1) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ensure_audit_schema(con)
    con.execute("create schema marts")
    con.execute("create table marts.fct_union_report as select range as report_id from range(?)", [union_reports])
    return con


def test_row_level_errors_do_not_block():
    con = _warehouse()
    record_findings(con, "r1", [seen_row(Finding("F004", "vi", "en", source_file="a.csv", source_row=3))])
    gate = evaluate_gate(con)
    assert gate.passed and gate.status == "passed" and gate.will_publish


def test_control_total_mismatch_blocks_unless_overridden_and_only_while_open():
    con = _warehouse()
    c001 = Finding("C001", "vi", "en", period="2022-Q3", subject="workers", scope="entity", origin="control_totals")
    record_findings(con, "r1", [seen_row(c001)])
    assert evaluate_gate(con).status == "blocked"
    assert not evaluate_gate(con).will_publish
    overridden = evaluate_gate(con, publish_anyway=True)
    assert overridden.status == "overridden" and overridden.will_publish
    record_findings(con, "r2", [])  # the figure was corrected: C001 resolved
    assert evaluate_gate(con).passed


def test_failing_error_test_on_a_mart_blocks_but_not_on_staging_and_the_latest_result_counts():
    con = _warehouse()
    con.execute("""insert into audit.dbt_test_results values
        ('r1', 'test.x.a', 'not_null_stg_x_id', 'model.x.stg_x', 'staging', 'fail', 2, null, '2024-01-01'),
        ('r1', 'test.x.b', 'unique_dim_enterprise_key', 'model.x.dim', 'marts', 'pass', 0, null, '2024-01-01')""")
    assert evaluate_gate(con).passed
    con.execute("""insert into audit.dbt_test_results values
        ('r1', 'test.x.c', 'not_null_fct_x', 'model.x.fct', 'marts', 'fail', 1, null, '2024-01-01')""")
    gate = evaluate_gate(con)
    assert gate.status == "blocked" and gate.failing_mart_tests == ["not_null_fct_x"]
    con.execute("""insert into audit.dbt_test_results values
        ('r2', 'test.x.c', 'not_null_fct_x', 'model.x.fct', 'marts', 'pass', 0, null, '2024-01-02')""")
    assert evaluate_gate(con).passed


def test_a_warehouse_without_union_reports_is_not_published():
    for con in (_warehouse(union_reports=0), duckdb.connect()):
        ensure_audit_schema(con)
        gate = evaluate_gate(con)
        assert gate.status == "blocked" and gate.reasons == [NO_UNION_REPORTS]


def test_the_verdict_is_recorded_once_and_read_back_whole():
    con = _warehouse()
    c001 = Finding("C001", "vi", "en", period="2022-Q3", subject="workers", scope="entity", origin="control_totals")
    record_findings(con, "r1", [seen_row(c001)])
    assert verdict_of(con, "r1") is None
    decided = decide_gate(con, "r1", publish_anyway=True)
    decide_gate(con, "r1", publish_anyway=True)  # a retried step replaces its row
    assert verdict_of(con, "r1") == decided and decided.status == "overridden"
    assert con.execute("select count(*), any_value(status) from audit.gate_verdicts").fetchone() == (1, "overridden")


def test_reasons_name_what_blocked():
    gate = GateResult(blocking_findings=2, failing_mart_tests=["t"], has_union_reports=False)
    assert gate.reasons == [NO_UNION_REPORTS, "2 control-total mismatch(es) (C001)", "failing mart test: t"]
