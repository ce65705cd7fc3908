"""Metadata people read on the dbt assets: row counts, and the headline figures as a table.

dbt's events say a model was built, not what is in it. After each dbt command (the
subprocess has let go of the DuckDB file by then) one read-only connection counts the
rows of the models just built and renders the newest quarter of `marts.headline_figures`
as markdown, so the asset page answers "how many, and what do the figures say" at a glance.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb
from dagster import MetadataValue, Output

from pipelines.lib.warehouse_connection import connect_warehouse

log = logging.getLogger(__name__)

HEADLINE = ("marts", "headline_figures")
PREVIEW_ROWS = 40


def _relation(output_name: str) -> tuple[str, str] | None:
    schema, _, name = output_name.partition("__")
    return (schema, name) if name else None


def headline_preview(con) -> str | None:
    rows = con.execute(f"""
        select metric, value from {HEADLINE[0]}.{HEADLINE[1]}
        where as_of = (select max(as_of) from {HEADLINE[0]}.{HEADLINE[1]})
        order by metric limit {PREVIEW_ROWS}
    """).fetchall()
    if not rows:
        return None
    as_of = con.execute(f"select max(as_of) from {HEADLINE[0]}.{HEADLINE[1]}").fetchone()[0]
    lines = [f"**Headline figures as of {as_of}**", "", "| metric | value |", "|---|---:|"]
    for metric, value in rows:
        shown = "—" if value is None else (f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}")
        lines.append(f"| {metric} | {shown} |")
    return "\n".join(lines)


def _extra(con, relation: tuple[str, str]) -> dict:
    extra: dict = {"dagster/row_count": con.execute(
        f'select count(*) from "{relation[0]}"."{relation[1]}"').fetchone()[0]}
    if relation == HEADLINE:
        preview = headline_preview(con)
        if preview:
            extra["headline_preview"] = MetadataValue.md(preview)
    return extra


def with_table_metadata(events: Iterable[object], warehouse_db: Path) -> Iterator[object]:
    """The same events, each model's Output carrying its row count (and the headline preview)."""
    events = list(events)
    outputs = [e for e in events if isinstance(e, Output) and _relation(e.output_name)]
    if not outputs:
        yield from events
        return
    try:
        con = connect_warehouse(warehouse_db, read_only=True)
    except duckdb.Error as exc:  # metadata is a courtesy: never fail a build over it
        log.warning("no row counts: %s", exc)
        yield from events
        return
    try:
        for event in events:
            if isinstance(event, Output) and (relation := _relation(event.output_name)):
                try:
                    event = event.with_metadata({**event.metadata, **_extra(con, relation)})
                except duckdb.Error as exc:
                    log.warning("no row count for %s.%s: %s", *relation, exc)
            yield event
    finally:
        con.close()
