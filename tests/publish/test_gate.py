import duckdb

from pipelines.publish.gate import GateResult, evaluate_gate
from pipelines.quality.findings import Finding
from pipelines.quality.store import ensure_audit_schema, write_findings
from pipelines.warehouse.test_results import DDL as TEST_RESULTS_DDL


def _warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ensure_audit_schema(con)
    con.execute(TEST_RESULTS_DDL)
    return con


def test_row_level_errors_do_not_block():
    con = _warehouse()
    write_findings(con, "r1", [Finding("F004", "vi", "en", source_file="a.csv", source_row=3)])
    gate = evaluate_gate(con, "r1")
    assert gate.passed and gate.status == "passed" and gate.will_publish


def test_control_total_mismatch_blocks_unless_overridden():
    con = _warehouse()
    write_findings(con, "r1", [Finding("C001", "vi", "en", period="2022-Q3", subject="workers", scope="entity")])
    assert evaluate_gate(con, "r1").status == "blocked"
    assert not evaluate_gate(con, "r1").will_publish
    overridden = evaluate_gate(con, "r1", publish_anyway=True)
    assert overridden.status == "overridden" and overridden.will_publish
    assert evaluate_gate(con, "another-run").passed  # only this run's findings count


def test_failing_error_test_on_a_mart_blocks_but_not_on_staging():
    con = _warehouse()
    con.execute("""insert into audit.dbt_test_results values
        ('r1', 'test.x.a', 'not_null_stg_x_id', 'model.x.stg_x', 'staging', 'fail', 2, null, now()),
        ('r1', 'test.x.b', 'unique_dim_enterprise_key', 'model.x.dim', 'marts', 'pass', 0, null, now())""")
    assert evaluate_gate(con, "r1").passed
    con.execute("""insert into audit.dbt_test_results values
        ('r1', 'test.x.c', 'not_null_fct_x', 'model.x.fct', 'marts', 'fail', 1, null, now())""")
    gate = evaluate_gate(con, "r1")
    assert gate.status == "blocked" and gate.failing_mart_tests == ["not_null_fct_x"]


def test_reasons_name_what_blocked():
    gate = GateResult(blocking_findings=2, failing_mart_tests=["t"])
    assert gate.reasons == ["2 control-total mismatch(es) (C001)", "failing mart test: t"]
