"""Hooks on the full-run job: a step that fails, and a publish step whose gate said no.

A hook sees each step as it ends, so the failure note names the step and its error. The
gate verdict is read back from `audit.runs`, where the publish step records it, because a
blocked publish is a *successful* step (the run must go on to record and report).
"""

from __future__ import annotations

import duckdb
from dagster import HookContext, failure_hook, success_hook

from pipelines.lib.warehouse_connection import connect_warehouse
from pipelines.orchestration.notify import notify
from pipelines.orchestration.partitions import INBOX_TAG, QUARTER_TAG

PUBLISH_OP = "serving__serving_duckdb"


def _context_lines(context: HookContext) -> list[str]:
    tags = context.instance.get_run_by_id(context.run_id).tags if context.instance else {}
    return [f"inbox: {tags.get(INBOX_TAG, '-')}", f"quarter: {tags.get(QUARTER_TAG, '-')}"]


@failure_hook(required_resource_keys={"paths"})
def notify_on_failure(context: HookContext) -> None:
    error = context.op_exception
    reason = f"{type(error).__name__}: {error}"[:500] if error else "see the run log"
    notify(context.resources.paths.resolve().reports, context.run_id, "run failed",
           [f"step {context.op.name} failed", reason, *_context_lines(context)])


def gate_verdict(warehouse_db, run_id: str) -> tuple[str, str] | None:
    try:
        with connect_warehouse(warehouse_db, read_only=True) as con:
            row = con.execute("select gate_result, gate_reasons from audit.runs where run_id = ?",
                              [run_id]).fetchone()
    except duckdb.Error:
        return None
    return (row[0], row[1] or "") if row else None


@success_hook(required_resource_keys={"paths"})
def notify_on_gate_blocked(context: HookContext) -> None:
    if context.op.name != PUBLISH_OP:
        return
    paths = context.resources.paths.resolve()
    verdict = gate_verdict(paths.warehouse_db, context.run_id)
    if verdict and verdict[0] == "blocked":
        notify(paths.reports, context.run_id, "publishing blocked by the gate",
               [f"gate: blocked ({verdict[1]})", "serving.duckdb was left as it was",
                *_context_lines(context)])


RUN_HOOKS = {notify_on_failure, notify_on_gate_blocked}
