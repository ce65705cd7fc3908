"""Publish step: decide at the gate, record the run, and swap in the new serving copy."""


import duckdb
from dagster import AssetExecutionContext, AssetKey, Config, MaterializeResult, MetadataValue, asset

from pipelines.publish.gate import evaluate_gate
from pipelines.publish.run_log import record_run
from pipelines.publish.serving import mark_published, publish_serving
from pipelines.quality.store import ensure_audit_schema
from pipelines.resources import PipelinePaths

SERVING_ASSET = AssetKey(["serving", "serving_duckdb"])
STARTED_BY_TAG = "uw/started_by"


class PublishConfig(Config):
    publish_anyway: bool = False


@asset(key=SERVING_ASSET, deps=[AssetKey(["reports", "dq_report"]), AssetKey(["audit", "dq_findings"])],
       group_name="publish", kinds={"duckdb"}, owners=["team:data-engineering"],
       description="serving.duckdb — bản công bố cho công cụ BI / the published copy for BI tools, "
                   "replaced atomically and only when the gate passes.")
def serving_duckdb(context: AssetExecutionContext, config: PublishConfig, paths: PipelinePaths) -> MaterializeResult:
    resolved = paths.resolve()
    started_by = context.run.tags.get(STARTED_BY_TAG, "dagster")
    with duckdb.connect(str(resolved.warehouse_db)) as con:
        ensure_audit_schema(con)
        mark_published(con, resolved.serving_db)  # a run killed right after its swap
        gate = evaluate_gate(con, context.run_id, publish_anyway=config.publish_anyway)
        # `published` turns true only once the copy is in place (docs/reliability.md)
        record_run(con, run_id=context.run_id, started_by=started_by, paths=resolved, gate=gate,
                   published=False)
    counts: dict[str, int] = {}
    if gate.will_publish:
        counts = publish_serving(resolved.warehouse_db, resolved.serving_db, context.run_id)
        with duckdb.connect(str(resolved.warehouse_db)) as con:
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
