"""`uw run`: execute the code location's job headless and tell the truth in the exit status.

A Dagster run whose checks fail still ends in SUCCESS, so the exit status is decided from
the gate verdict the publish step recorded in `audit.runs`, not from the run status alone.
"""

from __future__ import annotations

import argparse
import logging
import os

import duckdb

from pipelines.cli import EXIT_FAILED, EXIT_GATE_BLOCKED, EXIT_OK, EXIT_USAGE
from pipelines.config import INBOX_ENV, WAREHOUSE_ENV, Paths, resolve_paths
from pipelines.lib.build_state import rebuild_line, run_actions

STARTED_BY = "uw-cli"


def _instance():
    from dagster import DagsterInstance

    if not os.environ.get("DAGSTER_HOME"):
        return DagsterInstance.ephemeral()
    from pipelines.orchestration.instance import faster_sqlite_run_history

    faster_sqlite_run_history()
    return DagsterInstance.get()


def _run_config(paths: Paths, publish_anyway: bool) -> dict:
    return {
        "resources": {"paths": {"config": {"inbox_dir": str(paths.inbox), "warehouse_dir": str(paths.warehouse)}}},
        "ops": {"serving__serving_duckdb": {"config": {"publish_anyway": publish_anyway}}},
        "loggers": {"console": {"config": {"log_level": "INFO"}}},
    }


def _quarter_range(instance, paths: Paths, defs) -> tuple[dict[str, str], list | None]:
    """One run over every quarter of the inbox and the warehouse (a single-run range).

    The quarters become partition keys of the instance first. With no quarter at all there
    is nothing quarter-shaped to build, so only the unpartitioned assets run.
    """
    from pipelines.orchestration.inbox_scan import quarters_for_run
    from pipelines.orchestration.partitions import range_tags, register_quarters

    quarters = quarters_for_run(paths.inbox, paths.warehouse_db)
    register_quarters(instance, quarters)
    tags = range_tags(instance, quarters)
    if tags:
        return tags, None
    graph = defs.resolve_asset_graph()
    return {}, [key for key in graph.get_all_asset_keys() if graph.get(key).partitions_def is None]


def _summary(paths: Paths, run_id: str) -> dict | None:
    with duckdb.connect(str(paths.warehouse_db), read_only=True) as con:
        cursor = con.execute("select * from audit.runs where run_id = ?", [run_id])
        row = cursor.fetchone()
        if row is None:
            return None
        summary = dict(zip([d[0] for d in cursor.description], row, strict=True))
        summary["files"] = dict(con.execute(
            "select status, count(*) from audit.file_manifest where run_id = ? group by status", [run_id]
        ).fetchall())
        summary["build"] = run_actions(con, run_id)
    return summary


def _print_summary(paths: Paths, summary: dict) -> None:
    files = ", ".join(f"{count} {status}" for status, count in sorted(summary["files"].items()))
    print()
    print("── union-warehouse: run summary ──────────────────────────────")
    print(f"  files:      {summary['files_seen']} ({files})")
    print(f"  rows:       {summary['rows_loaded']:,} loaded, {summary['rows_quarantined']:,} quarantined")
    print(f"  findings:   {summary['findings_error']} error, {summary['findings_warning']} warning, "
          f"{summary['findings_info']} info")
    print(f"  rebuild:    {rebuild_line(summary['build'])}")
    gate = summary["gate_result"] + (f" ({summary['gate_reasons']})" if summary["gate_reasons"] else "")
    print(f"  gate:       {gate}")
    published = paths.serving_db if summary["published"] else "NOT published (serving.duckdb left as it was)"
    print(f"  published:  {published}")
    print(f"  report:     {paths.reports / 'dq_report.html'}")


def _show_pipeline_logs() -> None:
    """Progress of our own modules (files read, rows loaded) on the terminal; Dagster logs its own."""
    logger = logging.getLogger("pipelines")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def run_command(args: argparse.Namespace) -> int:
    paths = resolve_paths(args.inbox, args.warehouse)
    if not paths.inbox.is_dir():
        print(f"uw run: inbox folder not found: {paths.inbox}")
        return EXIT_USAGE
    # Every step, including dbt's subprocess, resolves the same folders.
    os.environ[INBOX_ENV], os.environ[WAREHOUSE_ENV] = str(paths.inbox), str(paths.warehouse)
    paths.warehouse.mkdir(parents=True, exist_ok=True)
    _show_pipeline_logs()

    from pipelines.definitions import FULL_RUN_JOB, defs

    job = defs.resolve_job_def(FULL_RUN_JOB)
    instance = _instance()
    tags, selection = _quarter_range(instance, paths, defs)
    result = job.execute_in_process(
        run_config=_run_config(paths, args.publish_anyway),
        instance=instance,
        tags={"uw/started_by": STARTED_BY, "uw/inbox": str(paths.inbox), **tags},
        asset_selection=selection,
        raise_on_error=False,
    )
    if not result.success:
        print(f"uw run: the run failed (run id {result.run_id}); see the log above.")
        return EXIT_FAILED
    summary = _summary(paths, result.run_id)
    if summary is None:
        print(f"uw run: run {result.run_id} recorded no result in audit.runs.")
        return EXIT_FAILED
    _print_summary(paths, summary)
    return EXIT_OK if summary["gate_result"] != "blocked" else EXIT_GATE_BLOCKED
