import duckdb
import pytest

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


def test_each_copy_carries_its_publication_stamp(tmp_path):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    _working_warehouse(warehouse)
    counts = publish_serving(warehouse, serving, run_id="run-7")
    with duckdb.connect(str(serving), read_only=True) as con:
        run_id, published_at, version = con.execute("select * from audit.publication").fetchone()
        stamped = dict(con.execute("select table_name, row_count from audit.publication_tables").fetchall())
    assert run_id == "run-7" and published_at is not None and version
    assert stamped == counts


def test_the_stamp_defaults_to_the_latest_run_of_the_warehouse(tmp_path):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    _working_warehouse(warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table audit.runs as select * from (values ('old', timestamp '2024-01-01'), "
                    "('new', timestamp '2024-02-01')) t(run_id, finished_at)")
    publish_serving(warehouse, serving)
    with duckdb.connect(str(serving), read_only=True) as con:
        assert con.execute("select run_id from audit.publication").fetchone()[0] == "new"


def test_a_failed_build_leaves_the_old_copy_and_no_staging_file(tmp_path, monkeypatch):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    _working_warehouse(warehouse)
    publish_serving(warehouse, serving, run_id="first")
    from pipelines.publish import serving as module

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "_fsync", broken)
    with pytest.raises(RuntimeError):
        publish_serving(warehouse, serving, run_id="second")
    with duckdb.connect(str(serving), read_only=True) as con:
        assert con.execute("select run_id from audit.publication").fetchone()[0] == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["serving.duckdb", "warehouse.duckdb"]
