import duckdb

from pipelines.publish.serving import publish_serving


def _working_warehouse(path):
    with duckdb.connect(str(path)) as con:
        con.execute("create schema raw; create schema marts; create schema audit")
        con.execute("create table raw.candidates as select '031095001234' as citizen_id")
        con.execute("create table marts.headline_figures as select 'workers' as metric, 1.0 as value")
        con.execute("create table audit.dq_findings as select 'F004' as rule_id")
        con.execute("create table audit.scratch as select 1 as x")


def test_serving_holds_marts_and_audit_only(tmp_path):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    _working_warehouse(warehouse)
    counts = publish_serving(warehouse, serving)
    assert counts == {"marts.headline_figures": 1, "audit.dq_findings": 1}
    with duckdb.connect(str(serving), read_only=True) as con:
        schemas = {row[0] for row in con.execute(
            "select distinct table_schema from information_schema.tables").fetchall()}
        assert schemas == {"marts", "audit"}
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_reader_of_the_old_file_keeps_reading_it_after_a_publish(tmp_path):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    _working_warehouse(warehouse)
    publish_serving(warehouse, serving)
    reader = duckdb.connect(str(serving), read_only=True)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update marts.headline_figures set value = 2.0")
    publish_serving(warehouse, serving)
    assert reader.execute("select value from marts.headline_figures").fetchone()[0] == 1.0
    reader.close()
    with duckdb.connect(str(serving), read_only=True) as fresh:
        assert fresh.execute("select value from marts.headline_figures").fetchone()[0] == 2.0
