"""C001 as the report and the asset check read it: rows of `intermediate.int_control_total_checks`.

The reconciliation itself (current file versions, latest row, rounding to the published
precision) is made once, in that dbt model, and C001 findings come from it through
`int_dq_findings`; this module only reads the verdicts, it never recomputes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from pipelines.lib.duckdb_tools import table_exists

CHECKS_MODEL = ("intermediate", "int_control_total_checks")


@dataclass(frozen=True)
class Reconciliation:
    metric: str
    as_of: date
    window_start: date | None
    published: float
    decimals: int
    computed: float | None
    source: str | None
    source_file: str
    source_row: int
    difference: float | None
    matches: bool


def reconcile(con: duckdb.DuckDBPyConnection) -> list[Reconciliation]:
    """Every control total with the warehouse's figure and the verdict dbt gave it."""
    if not table_exists(con, *CHECKS_MODEL):
        return []
    schema, name = CHECKS_MODEL
    rows = con.execute(f"""
        select metric, as_of, control_window_start, control_value, value_decimals, warehouse_value,
               source, source_file, source_row, difference, matches
        from {schema}.{name} order by as_of, metric, control_window_start nulls first""").fetchall()
    return [
        Reconciliation(metric=metric, as_of=as_of, window_start=window_start, published=float(value),
                       decimals=int(decimals or 0), computed=None if computed is None else float(computed),
                       source=source, source_file=source_file, source_row=source_row,
                       difference=None if difference is None else float(difference), matches=bool(matches))
        for (metric, as_of, window_start, value, decimals, computed, source, source_file, source_row,
             difference, matches) in rows
    ]
