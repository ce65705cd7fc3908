"""Descriptions for `serving.duckdb`: every table and column says what it means.

BI tools (Metabase, DBeaver, Superset) show a database comment beside a table or column
name, so the published copy carries the dbt descriptions (Vietnamese, then English) as
`COMMENT ON TABLE/COLUMN`. The dbt YAML is the one place those words are written: marts
are dbt models, and the audit tables the pipeline writes itself are declared as the dbt
source `audit` (`dbt_project/models/audit/_audit.yml`) only so that they are described
there too. The words are read from dbt's `manifest.json`, which every run has (the
definitions parse the project when it is missing or stale).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.config import DBT_PROJECT_DIR

log = logging.getLogger(__name__)

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"


@dataclass
class Description:
    table: str
    columns: dict[str, str] = field(default_factory=dict)


def _clean(text: str | None) -> str:
    """YAML folded blocks keep line breaks and a trailing newline; a comment reads as one line."""
    return " ".join((text or "").split())


def load_descriptions(manifest_path: Path = MANIFEST) -> dict[tuple[str, str], Description]:
    """(schema, table) → its description and its columns', from dbt models, seeds and sources."""
    if not manifest_path.is_file():
        log.warning("no dbt manifest at %s: serving.duckdb is published without descriptions", manifest_path)
        return {}
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    nodes = [n for n in manifest.get("nodes", {}).values() if n.get("resource_type") in ("model", "seed")]
    described: dict[tuple[str, str], Description] = {}
    for node in [*nodes, *manifest.get("sources", {}).values()]:
        name = node.get("alias") or node.get("identifier") or node["name"]
        if node.get("resource_type") == "source":
            name = node.get("identifier") or node["name"]
        columns = {col: _clean(info.get("description")) for col, info in node.get("columns", {}).items()}
        described[(node["schema"], name)] = Description(
            table=_clean(node.get("description")), columns={c: d for c, d in columns.items() if d})
    return described


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def comment_tables(con: duckdb.DuckDBPyConnection, descriptions: dict[tuple[str, str], Description],
                   schemas: tuple[str, ...] = ("marts", "audit")) -> list[str]:
    """Write every known description as a comment; returns `schema.table[.column]` left without one.

    A relation with no description is logged, not fatal: publishing must not fail over
    documentation, and the test on the published sample holds the YAML to every column.
    The columns come from one catalog query and the comments go in as one script: a
    statement apiece was a third of a no-op run's publish step.
    """
    missing: list[str] = []
    statements: list[str] = []
    in_schemas = ", ".join(_literal(s) for s in schemas)
    columns: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            f"where database_name = current_database() and schema_name in ({in_schemas}) "
            "order by schema_name, table_name, column_index").fetchall():
        columns.setdefault((schema, table), []).append(column)
    relations = con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = current_database() "
        f"and schema_name in ({in_schemas}) order by all").fetchall()
    for schema, table in relations:
        described = descriptions.get((schema, table))
        qualified = f'{schema}."{table}"'
        if described and described.table:
            statements.append(f"comment on table {qualified} is {_literal(described.table)}")
        else:
            missing.append(f"{schema}.{table}")
        for column in columns.get((schema, table), []):
            text = described.columns.get(column) if described else None
            if text:
                statements.append(f'comment on column {qualified}."{column}" is {_literal(text)}')
            else:
                missing.append(f"{schema}.{table}.{column}")
    if statements:
        con.execute(";\n".join(statements))
    if missing:
        log.warning("serving.duckdb: %d tables/columns have no dbt description: %s", len(missing),
                    ", ".join(missing[:20]))
    return missing
