"""Dagster face of the ingest layer: one step reads the inbox; union reports are per quarter.

The inbox is read in one pass because a single file discovery, SHA-256 manifest and
archive serve all kinds, and each file is parsed once (the ingest contract). That step
is not partitioned: a file may hold several quarters. `raw/union_reports` is partitioned
by reporting quarter so one quarter can be re-read on its own (after a reader fix) from
the archived copies, without touching the other quarters' rows.
"""

from dagster import (
    AssetDep,
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    BackfillPolicy,
    MaterializeResult,
    MetadataValue,
    RetryRequested,
    asset,
    multi_asset,
)

from pipelines.ingest.reread import quarter_counts, reread_quarters
from pipelines.lib.partitions import REPORTING_QUARTER
from pipelines.resources import PipelinePaths

RAW_KINDS = ("enterprises", "union_reports", "party_orgs", "candidates", "control_totals")
UNPARTITIONED_KINDS = tuple(k for k in RAW_KINDS if k != "union_reports")
FILE_MANIFEST = AssetKey(["audit", "file_manifest"])
OWNERS = ["team:data-engineering"]
TRANSIENT_RETRIES = 3

RAW_DESCRIPTIONS = {
    "enterprises": "Danh mục doanh nghiệp — registry snapshots as read, with lineage.",
    "union_reports": "Báo cáo quý của CĐCS — quarterly grassroots-union reports as read, with lineage. "
                     "Partitioned by reporting quarter.",
    "party_orgs": "Danh sách tổ chức Đảng — Party-organisation register as read, with lineage.",
    "candidates": "Danh sách quần chúng ưu tú — candidate roster (personal data: raw layer only).",
    "control_totals": "Số liệu đã công bố — published control totals for reconciliation (C001).",
}


def raw_key(kind: str) -> AssetKey:
    return AssetKey(["raw", kind])


class InboxNotSettled(Exception):
    """A file's size changed between two looks: it is still being copied into the inbox."""


@multi_asset(
    name="inbox_ingest",
    specs=[
        AssetSpec(FILE_MANIFEST, group_name="ingest", kinds={"python", "duckdb"}, owners=OWNERS,
                  description="Sổ tệp — every inbox file by SHA-256: loaded, quarantined, duplicate or skipped; "
                              "the archive copy of each read file."),
        *[AssetSpec(raw_key(kind), description=RAW_DESCRIPTIONS[kind], group_name="ingest",
                    kinds={"python", "duckdb"}, owners=OWNERS) for kind in UNPARTITIONED_KINDS],
    ],
)
def inbox_ingest(context: AssetExecutionContext, paths: PipelinePaths):
    import duckdb

    from pipelines.ingest import ingest_inbox
    from pipelines.ingest.inbox_scan import readable_files, still_copying
    from pipelines.ingest.reread import kind_counts

    resolved = paths.resolve()
    context.log.info(f"Reading inbox {resolved.inbox}")
    moving = still_copying(readable_files(resolved.inbox))
    try:
        if moving:
            raise InboxNotSettled(f"still being copied: {', '.join(sorted(moving))}")
        summary = ingest_inbox(resolved.inbox, resolved.warehouse_db, resolved.archive, context.run.run_id)
    except (InboxNotSettled, duckdb.IOException) as exc:
        # Transient by nature: the copy finishes, the other writer lets go of the file.
        context.log.warning(f"transient ingest failure, will retry: {exc}")
        raise RetryRequested(max_retries=TRANSIENT_RETRIES, seconds_to_wait=10) from exc
    counts = kind_counts(resolved.warehouse_db)
    yield MaterializeResult(asset_key=FILE_MANIFEST, metadata={
        "files_seen": summary.files_seen,
        "files_loaded": summary.files_loaded,
        "files_quarantined": summary.files_quarantined,
        "files_duplicate": summary.files_duplicate,
        "files_skipped": summary.files_skipped,
        "rows_quarantined_this_run": summary.rows_quarantined,
    })
    for kind in UNPARTITIONED_KINDS:
        rows, quarantined = counts.get(kind, (0, 0))
        yield MaterializeResult(asset_key=raw_key(kind), metadata={
            "rows_loaded_this_run": summary.kinds_loaded.get(kind, 0),
            "dagster/row_count": rows,
            "rows_quarantined": quarantined,
        })


@asset(
    key=raw_key("union_reports"),
    deps=[AssetDep(FILE_MANIFEST)],
    partitions_def=REPORTING_QUARTER,
    backfill_policy=BackfillPolicy.single_run(),
    group_name="ingest",
    kinds={"python", "duckdb"},
    owners=OWNERS,
    description=RAW_DESCRIPTIONS["union_reports"],
)
def union_reports(context: AssetExecutionContext, paths: PipelinePaths) -> MaterializeResult:
    """In a run that also ingested the inbox the quarter's rows are already as the readers make
    them, so they are only counted; in a quarter-only run (re-run, backfill) they are re-read."""
    resolved = paths.resolve()
    quarters = list(context.partition_keys)
    outcome = reread_quarters(resolved.warehouse_db, resolved.archive, quarters, context.run.run_id)
    context.log.info(f"raw/union_reports {quarters[0]}..{quarters[-1]}: {outcome.mode}, "
                     f"{outcome.files} files re-read, {outcome.rows} rows")
    counts = quarter_counts(resolved.warehouse_db, quarters)
    table = "\n".join(f"| {q} | {counts.get(q, (0, '-'))[0]:,} | {counts.get(q, (0, '-'))[1]} |" for q in quarters)
    return MaterializeResult(metadata={
        "mode": outcome.mode,
        "files_reread": outcome.files,
        "dagster/row_count": sum(c[0] for c in counts.values()),
        "rows_by_quarter": MetadataValue.md("| quarter | rows | loaded_at (latest) |\n|---|---:|---|\n" + table),
    })
