"""Gate and publish steps: decide once, then record the run and swap in the new serving copy.

The gate is its own asset, upstream of the report and the publish step, so both show the
same verdict; `publish_anyway` is its run config (`audit__publish_gate` in the UI).
"""


from dagster import AssetExecutionContext, AssetKey, Config, Failure, MaterializeResult, MetadataValue, asset

from pipelines.lib.audit import ensure_audit_schema
from pipelines.lib.build_state import record_steps_not_run
from pipelines.lib.warehouse_connection import connect_warehouse
from pipelines.publish.gate import decide_gate, verdict_of
from pipelines.publish.run_log import record_run
from pipelines.publish.serving import mark_published, publish_serving
from pipelines.resources import PipelinePaths

GATE_ASSET = AssetKey(["audit", "publish_gate"])
FINDINGS_ASSET = AssetKey(["audit", "dq_findings"])
REPORT_ASSET = AssetKey(["reports", "dq_report"])
SERVING_ASSET = AssetKey(["serving", "serving_duckdb"])
STARTED_BY_TAG = "uw/started_by"


class GateConfig(Config):
    publish_anyway: bool = False


@asset(key=GATE_ASSET, deps=[FINDINGS_ASSET], group_name="publish", kinds={"python", "duckdb"},
       owners=["team:data-quality"],
       description="Cổng công bố: quyết định một lần mỗi lượt chạy (passed / blocked / overridden) / "
                   "the publish gate, decided once per run; the report and the publish step read this verdict.")
def publish_gate(context: AssetExecutionContext, config: GateConfig, paths: PipelinePaths) -> MaterializeResult:
    with connect_warehouse(paths.resolve().warehouse_db) as con:
        ensure_audit_schema(con)
        if not_run := record_steps_not_run(con, context.run_id):
            context.log.info(f"build steps not run (their last build holds): {', '.join(not_run)}")
        gate = decide_gate(con, context.run_id, publish_anyway=config.publish_anyway)
    context.log.info(f"gate {gate.status}" + (f": {'; '.join(gate.reasons)}" if gate.reasons else ""))
    return MaterializeResult(metadata={
        "gate": gate.status,
        "gate_reasons": "; ".join(gate.reasons) or "-",
        "blocking_findings": gate.blocking_findings,
        "failing_mart_tests": len(gate.failing_mart_tests),
        "publish_anyway": gate.publish_anyway,
    })


@asset(key=SERVING_ASSET, deps=[REPORT_ASSET, GATE_ASSET],
       group_name="publish", kinds={"duckdb"}, owners=["team:data-engineering"],
       description="serving.duckdb — bản công bố cho công cụ BI / the published copy for BI tools, "
                   "replaced atomically and only when the gate passes.")
def serving_duckdb(context: AssetExecutionContext, paths: PipelinePaths) -> MaterializeResult:
    resolved = paths.resolve()
    started_by = context.run.tags.get(STARTED_BY_TAG, "dagster")
    with connect_warehouse(resolved.warehouse_db) as con:
        ensure_audit_schema(con)
        mark_published(con, resolved.serving_db)  # a run killed right after its swap
        gate = verdict_of(con, context.run_id)
        if gate is None:  # never publish what the gate did not judge in this run
            raise Failure(f"no gate verdict for run {context.run_id}: materialise {GATE_ASSET.to_user_string()} "
                          "in the same run")
        # `published` turns true only once the copy is in place (docs/reliability.md)
        record_run(con, run_id=context.run_id, started_by=started_by, paths=resolved, gate=gate,
                   published=False)
    counts: dict[str, int] = {}
    if gate.will_publish:
        counts = publish_serving(resolved.warehouse_db, resolved.serving_db, context.run_id)
        with connect_warehouse(resolved.warehouse_db) as con:
            mark_published(con, resolved.serving_db)
        context.log.info(f"Published {resolved.serving_db} ({len(counts)} tables), gate {gate.status}")
    else:
        context.log.warning(f"Gate blocked publishing: {'; '.join(gate.reasons)}")
    return MaterializeResult(metadata={
        "gate": gate.status,
        "published": gate.will_publish,
        "gate_reasons": "; ".join(gate.reasons) or "-",
        "serving_path": MetadataValue.path(str(resolved.serving_db)),
        "tables_published": len(counts),
    })
