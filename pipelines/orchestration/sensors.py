"""The inbox sensor: new bytes in the inbox start a run for the quarters (or registers) they touch.

Identity is the SHA-256, as in ingest, so a renamed or re-copied file with the same bytes
triggers nothing. The cursor remembers every hash already acted on, plus each path's
size, mtime and hash so unchanged files are not hashed again. A file whose size changes
between two looks is still being copied: it is left for the next tick and stays out of
the cursor. Report files ask for one run per quarter they contain (run key = quarter +
the files' hashes, so the same bytes never run twice); registry, Party-organisation,
roster and control-total files ask for one run of the assets they feed, over every known
quarter, because a register change can move every quarter's figures.
"""

from __future__ import annotations

import json
from collections import defaultdict

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

from pipelines.ingest.inbox_scan import UNION_REPORTS, peek_quarters, readable_files, still_copying
from pipelines.ingest.inventory import sha256_of
from pipelines.lib.partitions import REPORTING_QUARTER
from pipelines.lib.quarters import sort_quarters
from pipelines.lib.run_lock import current_holder
from pipelines.orchestration.dead_runs import clear_dead_run
from pipelines.orchestration.jobs import FULL_RUN_JOB, ON_DEMAND_GROUPS
from pipelines.orchestration.partitions import INBOX_TAG, QUARTER_TAG, range_tags
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
        else:
            register_kinds[sha] = f.kind
    shas_by_quarter: dict[str, set[str]] = defaultdict(set)
    for sha, quarters in quarters_by_sha.items():
        for quarter in quarters:
            shas_by_quarter[quarter].add(sha)
    base_tags = {INBOX_TAG: str(resolved.inbox), TRIGGER_TAG: "inbox_sensor"}
    known_quarters = set(context.instance.get_dynamic_partitions(REPORTING_QUARTER.name))
    new_quarters = [q for q in sort_quarters(shas_by_quarter) if q not in known_quarters]
    requests = [
        RunRequest(run_key=f"{quarter}:{','.join(sorted(shas))}", partition_key=quarter,
                   tags={**base_tags, QUARTER_TAG: quarter})
        for quarter, shas in sorted(shas_by_quarter.items())
    ]
    if register_kinds:
        requests.append(_register_request(context, register_kinds, base_tags, known_quarters | set(new_quarters)))
    return SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[REPORTING_QUARTER.build_add_request(new_quarters)] if new_quarters else [],
        cursor=_dump_cursor(cursor),
    )


def _register_request(context: SensorEvaluationContext, kinds_by_sha: dict[str, str], base_tags: dict,
                      quarters: set[str]) -> RunRequest:
    kinds = set(kinds_by_sha.values())
    selection = _register_selection(context, kinds)
    tags = {**base_tags, "uw/kinds": ",".join(sorted(kinds))}
    quarter_range = range_tags(context.instance, sort_quarters(quarters))
    if quarter_range:
        tags.update(quarter_range)
    else:  # no quarter stored yet: only what does not need one
        partitioned = {k for k in selection if context.repository_def.asset_graph.get(k).partitions_def}
        selection = [k for k in selection if k not in partitioned]
    return RunRequest(run_key="registers:" + ",".join(sorted(kinds_by_sha)), asset_selection=selection, tags=tags)
