"""DuckDB's memory is capped wherever the run's heavy statements execute: dbt's connection and ours.

DuckDB's default (80 % of RAM) let one `uw run` at scale 400 reach 7.7 GB, with dbt inside
the run's process. The cap is a fixed value in the dbt profile and in `DUCKDB_MEMORY_LIMIT`.
"""

import duckdb

from pipelines.lib.duckdb_tools import DUCKDB_MEMORY_LIMIT, limit_memory


def _setting(con) -> str:
    return con.execute("select current_setting('memory_limit')").fetchone()[0]


def test_our_connections_and_dbts_use_the_same_cap(tmp_path):
    from pipelines.warehouse.dbt_in_process import run_dbt

    with duckdb.connect() as fresh:
        default = _setting(fresh)
        capped = _setting(limit_memory(fresh))
    assert capped != default
    with duckdb.connect() as con:
        con.execute(f"set memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
        assert _setting(con) == capped

    shown = run_dbt(["show", "--inline", "select current_setting('memory_limit') as memory_limit"],
                    tmp_path / "warehouse.duckdb", tmp_path / "target")
    assert shown.results[0].agate_table.rows[0][0] == capped
