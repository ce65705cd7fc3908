"""The inbox sensor: new bytes in the inbox start a run for the quarters (or registers) they touch.

Identity is the SHA-256, as in ingest, so a renamed or re-copied file with the same bytes
triggers nothing. The cursor remembers every hash already acted on, plus each path's
size, mtime and hash so unchanged files are not hashed again. A file whose size changes
between two looks is still being copied: it is left for the next tick and stays out of
the cursor. A tick's new report files ask for one run from the earliest quarter they
change to the newest (run key = their hashes, so the same bytes never run twice), the
rule `uw run` follows; registry, Party-organisation, roster and control-total files ask
for one run of the assets they feed, over every known quarter, because a register change
can move every quarter's figures.
"""

from __future__ import annotations

import json

from dagster import (
    AssetKey,
    AssetSelection,
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from pipelines.ingest.inbox_scan import UNION_REPORTS, loaded_quarters, peek_quarters, readable_files, still_copying
from pipelines.ingest.inventory import sha256_of
from pipelines.lib.partitions import REPORTING_QUARTER
from pipelines.lib.quarters import from_earliest, sort_quarters
from pipelines.lib.run_lock import current_holder
from pipelines.orchestration.dead_runs import clear_dead_run
from pipelines.orchestration.jobs import FULL_RUN_JOB, ON_DEMAND_GROUPS
from pipelines.orchestration.partitions import INBOX_TAG, RANGE_END_TAG, RANGE_START_TAG, range_tags_in
from pipelines.resources import PipelinePaths

TRIGGER_TAG = "uw/trigger"


def _load_cursor(raw: str | None) -> dict:
    cursor = json.loads(raw) if raw else {}
    return {"files": cursor.get("files", {}), "shas": set(cursor.get("shas", []))}


def _dump_cursor(cursor: dict) -> str:
    return json.dumps({"files": cursor["files"], "shas": sorted(cursor["shas"])}, sort_keys=True)


def _register_selection(context: SensorEvaluationContext, kinds: set[str]) -> list[AssetKey]:
    """The raw assets of these kinds, the ingest step that makes them, and all downstream."""
    graph = context.repository_def.asset_graph
    ingest = AssetSelection.assets(AssetKey(["audit", "file_manifest"]))
    raw = AssetSelection.assets(*[AssetKey(["raw", kind]) for kind in kinds])
    selection = ((ingest | raw).downstream() - AssetSelection.assets(AssetKey(["raw", UNION_REPORTS]))
                 - AssetSelection.groups(*ON_DEMAND_GROUPS))
    return sorted(selection.resolve(graph), key=lambda key: key.to_user_string())


@sensor(job_name=FULL_RUN_JOB, minimum_interval_seconds=30, default_status=DefaultSensorStatus.STOPPED,
        description="New or changed inbox files (by SHA-256) → a run for each quarter they hold; "
                    "register files → a run of the assets they feed.")
def inbox_sensor(context: SensorEvaluationContext, paths: PipelinePaths) -> SensorResult:
    resolved = paths.resolve()
    clear_dead_run(context.instance, resolved.warehouse)  # a killed run must not block the queue
    holder = current_holder(resolved.warehouse)
    if holder is not None:  # look again when the warehouse is free, so no request is refused
        return SensorResult(skip_reason=SkipReason(f"warehouse busy: {holder.describe()}"))
    cursor = _load_cursor(context.cursor)
    files = readable_files(resolved.inbox)
    moving = still_copying(files)
    quarters_by_sha: dict[str, set[str]] = {}
    report_paths: list[str] = []
    register_kinds: dict[str, str] = {}
    for f in files:
        if f.source_file in moving:
            context.log.info(f"{f.source_file} is still being copied; next tick")
            continue
        known = cursor["files"].get(f.source_file)
        sha = known[2] if known and known[:2] == [f.size, f.mtime_ns] else sha256_of(f.path)
        cursor["files"][f.source_file] = [f.size, f.mtime_ns, sha]
        if sha in cursor["shas"]:
            continue
        cursor["shas"].add(sha)
        if f.kind == UNION_REPORTS:
            quarters_by_sha[sha] = peek_quarters(f.path, f.source_file)
            report_paths.append(f.source_file)
        else:
            register_kinds[sha] = f.kind
    base_tags = {INBOX_TAG: str(resolved.inbox), TRIGGER_TAG: "inbox_sensor"}
    stored = context.instance.get_dynamic_partitions(REPORTING_QUARTER.name)
    in_files = set().union(*quarters_by_sha.values()) if quarters_by_sha else set()
    new_quarters = sorted(set(sort_quarters(in_files)) - set(stored))
    key_order = [*stored, *new_quarters]  # the keys once this tick's are added (appended, oldest first)
    requests = []
    if in_files:
        # their own quarters, and those the same paths loaded before (a new version supersedes them)
        changed = in_files | loaded_quarters(resolved.warehouse_db, report_paths)
        requests.append(_reports_request(sorted(quarters_by_sha), changed, key_order, base_tags))
    if register_kinds:
        requests.append(_register_request(context, register_kinds, base_tags, key_order))
    return SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[REPORTING_QUARTER.build_add_request(new_quarters)] if new_quarters else [],
        cursor=_dump_cursor(cursor),
    )


def _reports_request(shas: list[str], changed: set[str], key_order: list[str], base_tags: dict) -> RunRequest:
    """One run for the tick's new report files: from the earliest quarter they change to the newest.

    The same rule as `uw run` (`run_plan.quarters_to_rebuild`): later quarters look back at
    earlier ones, so they are in the range too.
    """
    tags = {**base_tags, **range_tags_in(key_order, from_earliest(key_order, changed))}
    run_key = "reports:" + ",".join(shas)
    if tags[RANGE_START_TAG] == tags[RANGE_END_TAG]:  # one quarter: a plain partition run
        quarter = tags.pop(RANGE_START_TAG)
        del tags[RANGE_END_TAG]
        return RunRequest(run_key=run_key, partition_key=quarter, tags=tags)
    return RunRequest(run_key=run_key, tags=tags)


def _register_request(context: SensorEvaluationContext, kinds_by_sha: dict[str, str], base_tags: dict,
                      key_order: list[str]) -> RunRequest:
    """Every known quarter, this tick's new ones included (`key_order`): a register can move them all."""
    kinds = set(kinds_by_sha.values())
    selection = _register_selection(context, kinds)
    tags = {**base_tags, "uw/kinds": ",".join(sorted(kinds))}
    quarter_range = range_tags_in(key_order, key_order)
    if quarter_range:
        tags.update(quarter_range)
    else:  # no quarter stored yet: only what does not need one
        partitioned = {k for k in selection if context.repository_def.asset_graph.get(k).partitions_def}
        selection = [k for k in selection if k not in partitioned]
    return RunRequest(run_key="registers:" + ",".join(sorted(kinds_by_sha)), asset_selection=selection, tags=tags)
