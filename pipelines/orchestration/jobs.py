"""The one job: the whole asset graph, for one quarter, a range of quarters, or all of them.

`uw run`, the sensor, the schedules and the UI all launch this job, so there is a single
code path; they differ only in the partition (range) and the asset selection they pick.
"""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job

from pipelines.orchestration.hooks import RUN_HOOKS

FULL_RUN_JOB = "union_warehouse_run"
# Prepared once per quarter by their own job (pipelines/outreach/assets.py), not by every run.
ON_DEMAND_GROUPS = ("templates",)


def build_full_run_job():
    return define_asset_job(
        FULL_RUN_JOB,
        selection=AssetSelection.all() - AssetSelection.groups(*ON_DEMAND_GROUPS),
        hooks=RUN_HOOKS,
        description="Ingest the inbox, build the warehouse, check it, report, and publish through the gate. "
                    "Quarter-shaped assets run for the partition (range) of the run.",
    )
