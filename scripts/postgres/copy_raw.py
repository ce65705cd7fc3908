"""Copy the `raw` schema of a DuckDB warehouse into PostgreSQL, for the dbt `postgres` target.

    .venv/bin/python scripts/postgres/copy_raw.py data/warehouse/warehouse.duckdb [--schema raw]

The PostgreSQL connection comes from the same variables as profiles.yml: UW_PG_HOST,
UW_PG_PORT, UW_PG_USER, UW_PG_PASSWORD, UW_PG_DATABASE. The target schema is dropped and
recreated, so point it at a throwaway or dedicated database. Column types follow
docs/raw-layer.md (DuckDB DOUBLE → double precision, VARCHAR → text, …); rows go through
COPY in CSV form, so the copy is exact (dates, timestamps, doubles round-trip as text).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

import duckdb
import psycopg2

POSTGRES_TYPES = {
    "VARCHAR": "text",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "SMALLINT": "smallint",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "JSON": "text",
}


def postgres_type(duckdb_type: str) -> str:
    if duckdb_type.startswith("DECIMAL"):
        return duckdb_type.replace("DECIMAL", "numeric")
    try:
        return POSTGRES_TYPES[duckdb_type]
    except KeyError:
        raise ValueError(f"no PostgreSQL type for DuckDB type {duckdb_type}") from None


def connect_postgres():
    return psycopg2.connect(
        host=os.environ.get("UW_PG_HOST", "localhost"),
        port=int(os.environ.get("UW_PG_PORT", "5432")),
        user=os.environ.get("UW_PG_USER", "union_warehouse"),
        password=os.environ.get("UW_PG_PASSWORD", ""),
        dbname=os.environ.get("UW_PG_DATABASE", "union_warehouse"),
    )


def _csv_field(value) -> str:
    """One COPY CSV field: NULL is an unquoted empty field, every value is quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = repr(value)  # the shortest text that reads back as the same double
    else:
        text = str(value)
    return '"' + text.replace('"', '""') + '"'


def copy_schema(duckdb_path: Path, pg_connection, schema: str = "raw") -> dict[str, int]:
    """Replace `schema` in PostgreSQL with the tables of `schema` in the DuckDB file."""
    copied: dict[str, int] = {}
    with duckdb.connect(str(duckdb_path), read_only=True) as source:
        tables = [row[0] for row in source.execute(
            "select table_name from information_schema.tables "
            "where table_schema = ? and table_type = 'BASE TABLE' order by table_name", [schema]).fetchall()]
        with pg_connection.cursor() as cur:
            cur.execute(f'drop schema if exists "{schema}" cascade')
            cur.execute(f'create schema "{schema}"')
            for table in tables:
                columns = source.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position", [schema, table]).fetchall()
                column_ddl = ", ".join(f'"{name}" {postgres_type(kind)}' for name, kind in columns)
                cur.execute(f'create table "{schema}"."{table}" ({column_ddl})')
                names = ", ".join(f'"{name}"' for name, _ in columns)
                rows = source.execute(f'select {names} from "{schema}"."{table}"').fetchall()
                buffer = io.StringIO()
                for row in rows:
                    buffer.write(",".join(_csv_field(value) for value in row) + "\n")
                buffer.seek(0)
                cur.copy_expert(f'copy "{schema}"."{table}" ({names}) from stdin with (format csv)', buffer)
                copied[table] = len(rows)
    pg_connection.commit()
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse_db", type=Path, help="the DuckDB warehouse file (raw schema loaded)")
    parser.add_argument("--schema", default="raw")
    args = parser.parse_args(argv)
    if not args.warehouse_db.is_file():
        print(f"copy_raw: no such file {args.warehouse_db}", file=sys.stderr)
        return 2
    connection = connect_postgres()
    try:
        copied = copy_schema(args.warehouse_db, connection, args.schema)
    finally:
        connection.close()
    for table, count in copied.items():
        print(f"{args.schema}.{table}: {count} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
