"""One DuckDB instance per run: cursors while held, the file free for dbt, read-only outside a run."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.lib.warehouse_connection import connect_warehouse, handed_over, held, is_held
from pipelines.publish.serving import build_serving_copy


@pytest.fixture
def warehouse(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.figures as select 1 as n")
    return db


def test_outside_a_run_a_read_only_connection_cannot_write(warehouse):
    assert not is_held(warehouse)
    with connect_warehouse(warehouse, read_only=True) as con, pytest.raises(duckdb.Error):
        con.execute("insert into marts.figures values (2)")


def test_while_held_every_connection_shares_the_instance_even_read_only_ones(warehouse):
    with held(warehouse):
        with connect_warehouse(warehouse) as writer:
            writer.execute("insert into marts.figures values (2)")
        # a separate read-only instance of the file would be refused ("different configuration")
        with connect_warehouse(warehouse, read_only=True) as reader:
            assert reader.execute("select count(*) from marts.figures").fetchone()[0] == 2
        assert is_held(warehouse)
    assert not is_held(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:  # the instance is gone and the rows kept
        assert con.execute("select count(*) from marts.figures").fetchone()[0] == 2


def test_handed_over_frees_the_file_for_a_connection_with_its_own_settings_then_holds_it_again(warehouse):
    with held(warehouse):
        with connect_warehouse(warehouse) as con:
            con.execute("insert into marts.figures values (2)")
        with handed_over(warehouse):
            assert not is_held(warehouse)
            # what dbt-duckdb does: its own connection, with its own configuration
            with duckdb.connect(str(warehouse), config={"threads": 1}) as dbt_like:
                dbt_like.execute("insert into marts.figures values (3)")
        assert is_held(warehouse)
        with connect_warehouse(warehouse, read_only=True) as con:
            assert sorted(con.execute("select n from marts.figures").fetchall()) == [(1,), (2,), (3,)]


def test_handed_over_outside_a_run_holds_nothing_after(warehouse):
    with handed_over(warehouse):
        pass
    assert not is_held(warehouse)


def test_the_serving_copy_written_while_held_has_the_rows_not_yet_checkpointed(warehouse, tmp_path):
    """The copy reads through the held instance: rows only in its WAL are in the copy."""
    target = tmp_path / "serving.duckdb"
    with held(warehouse):
        with connect_warehouse(warehouse) as con:
            con.execute("insert into marts.figures select range from range(2, 1001)")
        counts = build_serving_copy(warehouse, target)
        with connect_warehouse(warehouse) as con:  # the copy's file is detached again
            attached = {row[0] for row in con.execute("select database_name from duckdb_databases()").fetchall()}
        assert "uw_serving_copy" not in attached
    assert counts["marts.figures"] == 1000
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("select count(*), max(n) from marts.figures").fetchone() == (1000, 1000)
