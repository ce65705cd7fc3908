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
    """
    missing: list[str] = []
    relations = con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = current_database() "
        f"and schema_name in ({', '.join(_literal(s) for s in schemas)}) order by all").fetchall()
    for schema, table in relations:
        described = descriptions.get((schema, table))
        qualified = f'{schema}."{table}"'
        if described and described.table:
            con.execute(f"comment on table {qualified} is {_literal(described.table)}")
        else:
            missing.append(f"{schema}.{table}")
        columns = [row[0] for row in con.execute(
            "select column_name from duckdb_columns() where database_name = current_database() "
            "and schema_name = ? and table_name = ? order by column_index", [schema, table]).fetchall()]
        for column in columns:
            text = described.columns.get(column) if described else None
            if text:
                con.execute(f'comment on column {qualified}."{column}" is {_literal(text)}')
            else:
                missing.append(f"{schema}.{table}.{column}")
    if missing:
        log.warning("serving.duckdb: %d tables/columns have no dbt description: %s", len(missing),
                    ", ".join(missing[:20]))
    return missing
