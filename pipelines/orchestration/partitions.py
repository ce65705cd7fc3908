"""Reporting quarters (`2022-Q3`) as Dagster partitions, and the keys of a run over several.

A `DynamicPartitionsDefinition` rather than a quarterly time window: the keys read like
the `period` column everywhere else (a time window would key `2022-07-01`), and the set
is exactly the quarters that have reports, so a backfill never offers empty quarters.
Keys are added in quarter order; a range run covers the stored order from the first to
the last quarter it needs, so a late, older quarter is still inside the range.
"""

from __future__ import annotations

from collections.abc import Iterable

from dagster import DagsterInstance

from pipelines.lib.partitions import REPORTING_QUARTER
from pipelines.lib.quarters import quarter_range_label, sort_quarters

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
QUARTER_TAG = "uw/quarter"
INBOX_TAG = "uw/inbox"


def register_quarters(instance: DagsterInstance, quarters: Iterable[str]) -> list[str]:
    """Add the quarters the instance does not know yet, oldest first; returns those added."""
    known = set(instance.get_dynamic_partitions(REPORTING_QUARTER.name))
    missing = [q for q in sort_quarters(quarters) if q not in known]
    if missing:
        instance.add_dynamic_partitions(REPORTING_QUARTER.name, missing)
    return missing


def range_tags(instance: DagsterInstance, quarters: Iterable[str]) -> dict[str, str]:
    """Tags of one run over every quarter given (a single-run backfill), by stored key order."""
    return range_tags_in(instance.get_dynamic_partitions(REPORTING_QUARTER.name), quarters)


def range_tags_in(key_order: Iterable[str], quarters: Iterable[str]) -> dict[str, str]:
    """The same tags by a given key order: the sensor's, which holds the keys its tick is about to add."""
    wanted = set(sort_quarters(quarters))
    ordered = [q for q in key_order if q in wanted]
    if not ordered:
        return {}
    return {RANGE_START_TAG: ordered[0], RANGE_END_TAG: ordered[-1], QUARTER_TAG: quarter_range_label(ordered)}
