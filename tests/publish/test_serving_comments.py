"""serving.duckdb explains itself: every table and column carries its dbt description as a comment."""

import json

import duckdb
import pytest

from pipelines.publish.comments import MANIFEST, comment_tables, load_descriptions
from pipelines.publish.serving import publish_serving


def _manifest(path, column_text: str) -> None:
    path.write_text(json.dumps({
        "nodes": {"model.x.headline_figures": {
            "resource_type": "model", "schema": "marts", "name": "headline_figures", "alias": "headline_figures",
            "description": "Số liệu chính. /\n  Headline figures.\n",
            "columns": {"metric": {"description": column_text}, "value": {"description": ""}}}},
        "sources": {"source.x.audit.dq_findings": {
            "resource_type": "source", "schema": "audit", "name": "dq_findings", "identifier": "dq_findings",
            "description": "Phát hiện. / Findings.", "columns": {"rule_id": {"description": "Quy tắc. / Rule."}}}},
    }), encoding="utf-8")


def _warehouse(path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema audit")
        con.execute("create table marts.headline_figures as select 'workers' as metric, 1.0 as value")
        con.execute("create table audit.dq_findings as select 'F004' as rule_id")


def test_descriptions_become_comments_and_gaps_are_reported(tmp_path):
    manifest = tmp_path / "manifest.json"
    _manifest(manifest, "Tên chỉ tiêu ('metric'). / Metric name.")
    db = tmp_path / "w.duckdb"
    _warehouse(db)
    with duckdb.connect(str(db)) as con:
        missing = comment_tables(con, load_descriptions(manifest))
        tables = dict(con.execute("select table_name, comment from duckdb_tables()").fetchall())
        columns = dict(con.execute("select column_name, comment from duckdb_columns() "
                                   "where database_name = current_database() and not internal").fetchall())
    # folded YAML is joined into one line; a quote inside the text survives
    assert tables == {"headline_figures": "Số liệu chính. / Headline figures.", "dq_findings": "Phát hiện. / Findings."}
    assert columns == {"metric": "Tên chỉ tiêu ('metric'). / Metric name.", "value": None,
                       "rule_id": "Quy tắc. / Rule."}
    assert missing == ["marts.headline_figures.value"]


def test_publish_writes_the_project_descriptions_into_the_new_file(tmp_path):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    _warehouse(warehouse)
    publish_serving(warehouse, serving, run_id="run-1")
    described = load_descriptions(MANIFEST)
    with duckdb.connect(str(serving), read_only=True) as con:
        comments = dict(con.execute("select table_name || '.' || column_name, comment from duckdb_columns() "
                                    "where database_name = 'serving' and schema_name = 'marts'").fetchall())
    assert comments == {f"headline_figures.{c}": described[("marts", "headline_figures")].columns[c]
                        for c in ("metric", "value")}


def test_publishing_without_a_manifest_still_publishes(tmp_path, caplog):
    assert load_descriptions(tmp_path / "absent.json") == {}
    assert "without descriptions" in caplog.text


@pytest.mark.e2e
@pytest.mark.xdist_group("sample_run")
def test_every_table_and_column_of_the_published_sample_has_its_description(sample_run):
    warehouse, result = sample_run
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as con:
        con.execute("use serving")  # duckdb names the catalog after the file
        blank_columns = con.execute(
            "select count(*) from duckdb_columns() where database_name = 'serving' and comment is null").fetchone()[0]
        blank_tables = con.execute(
            "select count(*) from duckdb_tables() where database_name = 'serving' and comment is null").fetchone()[0]
        columns = con.execute("select count(*) from duckdb_columns() where database_name = 'serving'").fetchone()[0]
        comment = con.execute("select comment from duckdb_columns() where database_name = 'serving' "
                              "and schema_name = 'marts' and table_name = 'headline_figures' "
                              "and column_name = 'metric'").fetchone()[0]
    assert columns > 150  # the marts and the audit tables, not an empty file
    assert (blank_columns, blank_tables) == (0, 0)
    described = load_descriptions(MANIFEST)[("marts", "headline_figures")].columns["metric"]
    assert comment == described and " / " in comment  # the dbt words, Vietnamese then English
