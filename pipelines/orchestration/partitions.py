"""Reporting quarters (`2022-Q3`) as Dagster partitions, and the keys of a run over several.

A `DynamicPartitionsDefinition` rather than a quarterly time window: the keys read like
the `period` column everywhere else (a time window would key `2022-07-01`), and the set
is exactly the quarters that have reports, so a backfill never offers empty quarters.
Keys are added in quarter order; a range run covers the stored order from the first to
the last quarter it needs, so a late, older quarter is still inside the range.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from dagster import DagsterInstance, DynamicPartitionsDefinition

REPORTING_QUARTER = DynamicPartitionsDefinition(name="reporting_quarter")

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
QUARTER_TAG = "uw/quarter"
INBOX_TAG = "uw/inbox"

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def is_quarter(key: str) -> bool:
    return bool(_QUARTER.match(key))


def sort_quarters(quarters: Iterable[str]) -> list[str]:
    return sorted({q for q in quarters if is_quarter(q)})


def previous_quarter(year: int, month: int) -> str:
    """The quarter that ended before the month given (the one being collected or due)."""
    quarter = (month - 1) // 3  # 0 in Jan–Mar: the previous year's Q4
    return f"{year - 1}-Q4" if quarter == 0 else f"{year}-Q{quarter}"


def quarter_label(quarters: Sequence[str]) -> str:
    """The `uw/quarter` tag: one quarter, or `first..last` for a range run."""
    ordered = sort_quarters(quarters)
    if not ordered:
        return "-"
    return ordered[0] if len(ordered) == 1 else f"{ordered[0]}..{ordered[-1]}"


def register_quarters(instance: DagsterInstance, quarters: Iterable[str]) -> list[str]:
    """Add the quarters the instance does not know yet, oldest first; returns those added."""
    known = set(instance.get_dynamic_partitions(REPORTING_QUARTER.name))
    missing = [q for q in sort_quarters(quarters) if q not in known]
    if missing:
        instance.add_dynamic_partitions(REPORTING_QUARTER.name, missing)
    return missing


def range_tags(instance: DagsterInstance, quarters: Iterable[str]) -> dict[str, str]:
    """Tags of one run over every quarter given (a single-run backfill), by stored key order."""
    wanted = set(sort_quarters(quarters))
    stored = [q for q in instance.get_dynamic_partitions(REPORTING_QUARTER.name) if q in wanted]
    if not stored:
        return {}
    return {RANGE_START_TAG: stored[0], RANGE_END_TAG: stored[-1], QUARTER_TAG: quarter_label(stored)}
