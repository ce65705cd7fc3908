"""Dagster face of the ingest layer: one step reads the inbox into every raw table.

The inbox is read in one pass because a single file discovery, SHA-256 manifest and
archive serve all kinds; the five raw tables are separate assets so the dbt sources and
the UI show where each kind flows.
"""


from dagster import AssetExecutionContext, AssetKey, AssetSpec, MaterializeResult, multi_asset

from pipelines.resources import PipelinePaths

RAW_KINDS = ("enterprises", "union_reports", "party_orgs", "candidates", "control_totals")

RAW_DESCRIPTIONS = {
    "enterprises": "Danh mục doanh nghiệp — registry snapshots as read, with lineage.",
    "union_reports": "Báo cáo quý của CĐCS — quarterly grassroots-union reports as read, with lineage.",
    "party_orgs": "Danh sách tổ chức Đảng — Party-organisation register as read, with lineage.",
    "candidates": "Danh sách quần chúng ưu tú — candidate roster (personal data: raw layer only).",
    "control_totals": "Số liệu đã công bố — published control totals for reconciliation (C001).",
}


def raw_key(kind: str) -> AssetKey:
    return AssetKey(["raw", kind])


@multi_asset(
    name="inbox_ingest",
    specs=[
        AssetSpec(raw_key(kind), description=RAW_DESCRIPTIONS[kind], group_name="ingest",
                  kinds={"python", "duckdb"}, owners=["team:data-engineering"])
        for kind in RAW_KINDS
    ],
)
def inbox_ingest(context: AssetExecutionContext, paths: PipelinePaths):
    from pipelines.ingest import ingest_inbox

    resolved = paths.resolve()
    context.log.info(f"Reading inbox {resolved.inbox}")
    summary = ingest_inbox(resolved.inbox, resolved.warehouse_db, resolved.archive, context.run_id)
    shared = {
        "files_seen": summary.files_seen,
        "files_loaded": summary.files_loaded,
        "files_quarantined": summary.files_quarantined,
        "files_duplicate": summary.files_duplicate,
        "files_skipped": summary.files_skipped,
        "rows_quarantined_all_kinds": summary.rows_quarantined,
    }
    for kind in RAW_KINDS:
        yield MaterializeResult(
            asset_key=raw_key(kind),
            metadata={"rows_loaded_this_run": summary.kinds_loaded.get(kind, 0), **shared},
        )
