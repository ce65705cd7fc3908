"""Small DuckDB helpers every domain needs (existence checks, dict rows, bulk inserts, the memory cap)."""

from __future__ import annotations

import numpy as np

# DuckDB's buffer pool for the run's heavy statements (dbt's models, findings, publishing):
# its default, 80 % of RAM, let one `uw run` at scale 400 reach 7.7 GB. The dbt profile
# (dbt_project/profiles.yml, `settings:`) carries the same value. 1 GB (session 4) let
# two heavy models running side by side at scale 400 fail to pin a block
# (`int_dq_findings_logic`, once E003 got fast enough to overlap it): 2 GB (session 5).
DUCKDB_MEMORY_LIMIT = "2GB"


def limit_memory(con):
    """Cap DuckDB's memory for this database (the setting is the database's, shared by its connections)."""
    con.execute(f"set memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
    return con


def table_exists(con, schema: str, name: str) -> bool:
    """A table or view `schema.name` exists in the connection's current database."""
    # DuckDB's own catalog functions answer in half the time of information_schema (a run asks ~30 times)
    return bool(con.execute(
        "select (select count(*) from duckdb_tables() where database_name = current_database() "
        "and schema_name = $schema and table_name = $name) + (select count(*) from duckdb_views() "
        "where database_name = current_database() and schema_name = $schema and view_name = $name)",
        {"schema": schema, "name": name},
    ).fetchone()[0])


def columns_by_table(con, schema: str, tables_only: bool = False) -> dict[str, set[str]]:
    """Relation → its columns, for every table (and view, unless `tables_only`) of `schema`
    in the connection's current database, from one catalog query."""
    only = "and table_oid in (select table_oid from duckdb_tables())" if tables_only else ""
    columns: dict[str, set[str]] = {}
    for table, column in con.execute(
            "select table_name, column_name from duckdb_columns() "
            f"where database_name = current_database() and schema_name = ? {only}", [schema]).fetchall():
        columns.setdefault(table, set()).add(column)
    return columns


def dict_rows(con, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


SMALL_BATCH_ROWS = 8


def insert_rows(con, table: str, rows: list[dict[str, object]]) -> None:
    """One bulk insert of dict rows, column-wise, by column name.

    Each column becomes one numpy object array (values are already canonical Python objects
    and None), registered as a dict of arrays: DuckDB scans it once and casts to the table's
    types, with no per-cell type inference or NaN replacement, and far faster than
    `executemany`. No pandas frame: DuckDB reads the dict itself, and pandas' ~0.2 s import
    stays off the paths that only write audit rows (a no-op run never imports it).
    """
    if not rows:
        return
    names = list(rows[0])
    for row in rows[1:]:
        names.extend(k for k in row if k not in names)
    if len(rows) <= SMALL_BATCH_ROWS:
        # Registering a frame costs ~3 ms whatever its size; ingest writes ~1,500 tiny batches
        # (a manifest row, a file's few findings), where one bound VALUES statement costs ~1 ms.
        placeholders = "(" + ", ".join("?" * len(names)) + ")"
        quoted = ", ".join(f'"{name}"' for name in names)
        con.execute(f"INSERT INTO {table} ({quoted}) VALUES " + ", ".join([placeholders] * len(rows)),
                    [row.get(name) for row in rows for name in names])
        return
    columns = {name: np.array([row.get(name) for row in rows], dtype=object) for name in names}
    con.register("_uw_insert_batch", columns)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _uw_insert_batch")
    finally:
        con.unregister("_uw_insert_batch")
