"""`uw run`: execute the code location's job headless and tell the truth in the exit status.

A Dagster run whose checks fail still ends in SUCCESS, so the exit status is decided from
the gate verdict the publish step recorded in `audit.runs`, not from the run status alone.
It talks like a tool: one line per step and a summary; the full log goes to
`<warehouse>/logs/uw_run.log`, or to the terminal with `--verbose` (`progress.py`).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import time
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO

from pipelines.cli import EXIT_FAILED, EXIT_GATE_BLOCKED, EXIT_OK, EXIT_USAGE
from pipelines.cli.progress import ProgressPrinter, TerminalWarnings, progress_logger
from pipelines.config import INBOX_ENV, WAREHOUSE_ENV, Paths, resolve_paths
from pipelines.lib.build_state import rebuild_line, run_actions
from pipelines.lib.run_lock import WarehouseBusy, current_holder
from pipelines.lib.warehouse_connection import connect_warehouse

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
        "ops": {"audit__publish_gate": {"config": {"publish_anyway": publish_anyway}}},
        # Dagster starts only the loggers named here: the step lines, and its own log (to the
        # log file, or to the terminal with --verbose).
        "loggers": {"uw_progress": {}, "console": {"config": {"log_level": "INFO"}}},
    }


def _start_quarters_look(paths: Paths) -> Future:
    """The quarters of the inbox's new report files, looked for while Dagster loads.

    The look reads every new workbook (in worker processes when there are many: 2.8 s at
    scale 40) and loading Dagster and the definitions is ~2.5 s of one core; one after the
    other they were most of a cold run's "loading". Its module is imported here first, so
    the two threads never import the same modules at once.
    """
    from pipelines.ingest.inbox_scan import inbox_quarters

    look = ThreadPoolExecutor(max_workers=1, thread_name_prefix="uw-quarters-look")
    future = look.submit(inbox_quarters, paths.inbox, paths.warehouse_db)
    look.shutdown(wait=False)
    return future


def _quarter_range(instance, defs, paths: Paths, quarters_look: Future,
                   narrow: bool) -> tuple[dict[str, str], list | None]:
    """One run over the quarters it must build (a single-run range), and its asset selection.

    With only new report files (and `narrow`), the range starts at the earliest quarter they
    touch and the register step stays out (`run_plan.quarters_to_rebuild`); otherwise it is
    every quarter of the inbox and the warehouse. The quarters become partition keys of the
    instance first. With no quarter at all there is nothing quarter-shaped to build, so only
    the unpartitioned assets run.
    """
    from pipelines.orchestration.partitions import range_tags, register_quarters
    from pipelines.orchestration.run_plan import quarters_to_rebuild, selection_for_new_reports
    from pipelines.warehouse.assets import DBT_BUILD_STEPS

    look = quarters_look.result()
    register_quarters(instance, look.covered)
    few = quarters_to_rebuild(look.covered, look.changed, look.only_reports_new, paths.warehouse_db,
                              DBT_BUILD_STEPS) if narrow else None
    if few:
        return range_tags(instance, few), selection_for_new_reports(defs)
    tags = range_tags(instance, look.covered)
    if tags:
        return tags, None
    graph = defs.resolve_asset_graph()
    return {}, [key for key in graph.get_all_asset_keys() if graph.get(key).partitions_def is None]


def _summary(paths: Paths, run_id: str) -> dict | None:
    with connect_warehouse(paths.warehouse_db, read_only=True) as con:
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


def _print_summary(paths: Paths, summary: dict, seconds: float, log_file: Path | None) -> None:
    files = ", ".join(f"{count} {status}" for status, count in sorted(summary["files"].items()))
    print()
    print("── union-warehouse: run summary ──────────────────────────────")
    print(f"  files:      {summary['files_seen']:,} ({files})")
    print(f"  rows:       {summary['rows_loaded']:,} loaded, {summary['rows_quarantined']:,} quarantined")
    print(f"  findings:   {summary['findings_error']:,} error, {summary['findings_warning']:,} warning, "
          f"{summary['findings_info']:,} info")
    print(f"  rebuild:    {rebuild_line(summary['build'])}")
    gate = summary["gate_result"] + (f" ({summary['gate_reasons']})" if summary["gate_reasons"] else "")
    print(f"  gate:       {gate}")
    published = paths.serving_db if summary["published"] else "NOT published (serving.duckdb left as it was)"
    print(f"  published:  {published}")
    print(f"  report:     {paths.reports / 'dq_report.html'}")
    if log_file is not None:
        print(f"  log:        {log_file}")
    print(f"  took:       {seconds:,.0f} s")


def _pipeline_logs(verbose: bool, printer: ProgressPrinter, log_stream: IO[str] | None) -> None:
    """Our own modules' messages: all of them live with --verbose; else warnings on the terminal, all in the log."""
    pipeline_logger = logging.getLogger("pipelines")
    for handler in list(pipeline_logger.handlers):
        pipeline_logger.removeHandler(handler)
    pipeline_logger.setLevel(logging.INFO)
    detailed = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    if verbose:
        handler: logging.Handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(detailed)
        pipeline_logger.addHandler(handler)
        return
    pipeline_logger.addHandler(TerminalWarnings(printer))
    if log_stream is not None:
        handler = logging.StreamHandler(log_stream)
        handler.setFormatter(detailed)
        pipeline_logger.addHandler(handler)


def _check_folders(paths: Paths) -> str | None:
    if not paths.inbox.exists():
        return f"inbox folder not found: {paths.inbox}"
    if not paths.inbox.is_dir():
        return f"--inbox is not a folder: {paths.inbox}"
    if paths.warehouse.exists() and not paths.warehouse.is_dir():
        return f"--warehouse is not a folder: {paths.warehouse}"
    return None


def _first_failure(result) -> str:
    """The failed step and the innermost error (Dagster wraps the real one in its own)."""
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            error = event.step_failure_data.error
            while error.cause is not None:
                error = error.cause
            message = error.message.strip().splitlines()
            return f"step {event.step_key}: {message[0] if message else error.cls_name or 'failed'}"
    return "see the log"


def _execute(paths: Paths, args: argparse.Namespace, printer: ProgressPrinter):
    from pipelines.warehouse.project import ensure_manifest, manifest_is_stale

    quarters_look = _start_quarters_look(paths)
    if manifest_is_stale():  # a fresh clone or an edited model: `dbt parse` takes a while, say so
        printer.write("the dbt project is new or changed, parsing it… ", end_line=False)
        ensure_manifest()
    from pipelines.definitions import FULL_RUN_JOB, defs
    from pipelines.orchestration.dead_runs import clear_dead_run
    from pipelines.orchestration.run_plan import build_steps, nothing_to_rebuild, selection_without_rebuild
    from pipelines.warehouse.assets import REBUILD_TAG

    job = defs.resolve_job_def(FULL_RUN_JOB)
    loggers = {**job.loggers, "uw_progress": progress_logger(printer)}
    instance = _instance()
    if cleared := clear_dead_run(instance, paths.warehouse):
        printer.write(f"  run {cleared} had died holding this warehouse; marked failed.")
    unchanged = None if args.rebuild else nothing_to_rebuild(paths.inbox, paths.warehouse_db, build_steps())
    if unchanged is not None:  # same inbox, same code, same raw tables: no dbt and GX steps (run_plan.py)
        tags, selection = {REBUILD_TAG: f"unchanged since {unchanged.last_run}"}, selection_without_rebuild(defs)
    else:
        tags, selection = _quarter_range(instance, defs, paths, quarters_look, narrow=not args.rebuild)
        if args.rebuild:
            tags[REBUILD_TAG] = "always"
    if printer.line_open:
        printer.write(f"ready ({time.monotonic() - printer.started:,.1f} s)")
    return job.with_logger_defs(loggers).execute_in_process(
        run_config=_run_config(paths, args.publish_anyway),
        instance=instance,
        tags={"uw/started_by": STARTED_BY, "uw/inbox": str(paths.inbox), **tags},
        asset_selection=selection,
        raise_on_error=False,
    )


def run_command(args: argparse.Namespace) -> int:
    paths = resolve_paths(args.inbox, args.warehouse)
    problem = _check_folders(paths)
    if problem:
        print(f"uw run: {problem}", file=sys.stderr)
        return EXIT_USAGE
    holder = current_holder(paths.warehouse)
    if holder is not None:  # refused, not queued: docs/reliability.md
        print(f"uw run: {WarehouseBusy(paths.warehouse, holder)}")
        return EXIT_FAILED
    # Every step, including dbt's subprocess, resolves the same folders.
    os.environ[INBOX_ENV], os.environ[WAREHOUSE_ENV] = str(paths.inbox), str(paths.warehouse)
    paths.warehouse.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    printer = ProgressPrinter(sys.stdout, verbose=args.verbose)
    printer.started = started
    print(f"uw run: {paths.inbox} → {paths.warehouse}", flush=True)
    log_file = None if args.verbose else paths.warehouse / "logs" / "uw_run.log"
    printer.write("  loading the pipeline… ", end_line=False)
    with contextlib.ExitStack() as stack:
        log_stream = None
        if log_file is not None:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            log_stream = stack.enter_context(log_file.open("w", encoding="utf-8"))
            # Dagster's event log, dbt's per-model lines and library warnings go to the log file.
            stack.enter_context(contextlib.redirect_stdout(log_stream))
            stack.enter_context(contextlib.redirect_stderr(log_stream))
        _pipeline_logs(args.verbose, printer, log_stream)
        try:
            result = _execute(paths, args, printer)
        except Exception:  # loading the definitions failed (e.g. the dbt project does not parse)
            traceback.print_exc()
            result = None
    printer.close_line()
    where = f"; details in {log_file}" if log_file else ""
    if result is None:
        print(f"uw run: the pipeline could not be loaded{where or ' (traceback above)'}.")
        return EXIT_FAILED
    if not result.success:
        holder = current_holder(paths.warehouse)
        if holder is not None and holder.run_id != result.run_id:
            print(f"uw run: {WarehouseBusy(paths.warehouse, holder)}")
        print(f"uw run: the run failed (run id {result.run_id}): {_first_failure(result)}{where}.")
        return EXIT_FAILED
    summary = _summary(paths, result.run_id)
    if summary is None:
        print(f"uw run: run {result.run_id} recorded no result in audit.runs{where}.")
        return EXIT_FAILED
    _print_summary(paths, summary, time.monotonic() - started, log_file)
    return EXIT_OK if summary["gate_result"] != "blocked" else EXIT_GATE_BLOCKED
