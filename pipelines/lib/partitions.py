"""The reporting-quarter partitions every quarter-shaped asset shares.

A leaf so that ingest and the warehouse can partition their assets without importing the
orchestration package (which imports them to build jobs, sensors and schedules).
"""

from dagster import DynamicPartitionsDefinition

# Dynamic rather than a quarterly time window: keys read like the `period` column
# (`2022-Q3`), and the set is exactly the quarters that have reports.
REPORTING_QUARTER = DynamicPartitionsDefinition(name="reporting_quarter")
