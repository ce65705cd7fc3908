"""Dagster face of the GX suites: one validation step, then one asset check per expectation.

The validation is an asset (`audit/gx_validation`) because it has outputs of its own (the
stored results, GX findings and Data Docs) and because `dq_findings` must wait for it. The
checks are one `@multi_asset_check` per suite on the staging asset the suite guards, with
one `AssetCheckSpec` per expectation, so the UI shows each expectation on its asset. They
read the stored results instead of re-validating, so GX runs (and is imported) once per run
and never when the definitions load. A failed expectation is a check result, not an
exception: the run goes on, and the gate decides what blocks publishing.
"""

import logging
from pathlib import Path

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetDep,
    AssetExecutionContext,
    AssetKey,
    MaterializeResult,
    asset,
    multi_asset_check,
)

from pipelines.lib.audit import ensure_audit_schema
from pipelines.lib.rule_catalogue import rule_catalogue
from pipelines.lib.warehouse_connection import connect_warehouse, handed_over
from pipelines.quality.gx_suites import SuiteEntry, load_suites
from pipelines.resources import PipelinePaths

GX_VALIDATION = AssetKey(["audit", "gx_validation"])
GX_MODULE = "great_expectations"  # the worker the dbt steps start imports it (lib/warm_worker.py)
SUITES = load_suites()
LOG = logging.getLogger(__name__)


@asset(key=GX_VALIDATION, deps=[AssetKey(list(s.asset_key)) for s in SUITES], group_name="quality",
       kinds={"python", "pandas", "great_expectations"}, owners=["team:data-quality"],
       description="Kiểm tra Great Expectations trên các bảng staging / Great Expectations suites "
                   "(expectations/*.json) validated on the staged tables; the report renders the results.")
def gx_validation(context: AssetExecutionContext, paths: PipelinePaths) -> MaterializeResult:
    from pipelines.quality.gx_carry import plan_suites, record_plan
    from pipelines.quality.gx_results import gx_finding_rows, replace_gx_findings, write_results

    resolved = paths.resolve()
    force = context.run.tags.get("uw/rebuild") == "always"
    with connect_warehouse(resolved.warehouse_db) as con:
        todo, plan = plan_suites(con, SUITES, force=force)
        if todo:  # GX costs seconds to import: only when a suite has work
            from pipelines.quality.gx_reuse import load_reuse, store_chunks

            reuse = load_reuse(con, [s.name for s in todo], force=force)
    results = []
    if todo:
        results, reuse = _validate(resolved.warehouse_db, resolved.warehouse, todo, reuse)
    context.log.info(f"GX suites validated: {[s.name for s in todo] or 'none'}; "
                     f"results carried over: {sorted(set(plan) - {s.name for s in todo}) or 'none'}")
    descriptions = {f"{e.suite}.{e.check_name}": (e.description_vi, e.description_en)
                    for s in SUITES for e in s.expectations}
    with connect_warehouse(resolved.warehouse_db) as con:
        ensure_audit_schema(con)
        con.begin()  # results, findings and the chunks kept for reuse change together or not at all
        write_results(con, context.run_id, results)
        written = replace_gx_findings(con, [s.name for s in todo],
                                      gx_finding_rows(context.run_id, results, descriptions))
        if todo:
            store_chunks(con, context.run_id, reuse)
        record_plan(con, context.run_id, plan)
        con.commit()
    failed = [f"{r.suite}.{r.check_name}" for r in results if not r.success]
    return MaterializeResult(metadata={
        "expectations": len(results),
        "failed_expectations": len(failed),
        "failed": ", ".join(failed) or "-",
        "findings_written": written,
    })


def _validate(warehouse_db: Path, gx_root: Path, todo: list[SuiteEntry], reuse):
    """The suites validated in the worker that imported GX during the dbt steps, when one was
    started (`lib/warm_worker.py`), else here; the same function either way."""
    from pipelines.lib.warm_worker import WorkerUnavailable, call_in_worker, worker_started
    from pipelines.quality.gx_validation import WarehouseHeld, validate_staging, validate_where_readable

    if worker_started(GX_MODULE):
        try:
            with handed_over(warehouse_db):  # another process can read the file only if no process holds it
                return call_in_worker(GX_MODULE, validate_where_readable, warehouse_db, gx_root, todo, reuse)
        except (WorkerUnavailable, WarehouseHeld) as exc:
            LOG.info("GX validation in this process: %s", exc)
    return validate_staging(warehouse_db, gx_root, todo, reuse=reuse), reuse


def _severity(rule_id: str | None) -> AssetCheckSeverity:
    graded = rule_catalogue().get(rule_id or "")
    return AssetCheckSeverity.ERROR if graded is not None and graded.severity == "error" else AssetCheckSeverity.WARN


def _offending(stored: dict) -> str:
    import json

    rows = json.loads(stored.get("offending_rows") or "[]")
    return "; ".join(f"{r.get('source_file')}:{r.get('source_row')}" for r in rows[:10]) or "-"


def _check_description(entry) -> str:
    """What the expectation checks, and the meaning of its rule from the rule catalogue."""
    from pipelines.lib.rule_catalogue import rule_catalogue

    text = f"{entry.description_vi} / {entry.description_en}"
    rule = rule_catalogue().get(entry.rule_id or "")
    return f"{text} — {rule.rule_id}: {rule.meaning_vi} / {rule.meaning_en}" if rule else text


def _suite_checks(suite: SuiteEntry):
    asset_key = AssetKey(list(suite.asset_key))
    specs = [
        AssetCheckSpec(name=e.check_name, asset=asset_key, description=_check_description(e),
                       additional_deps=[AssetDep(GX_VALIDATION)],
                       metadata={"rule_id": e.rule_id or "-", "expectation_type": e.expectation_type,
                                 "suite": suite.name})
        for e in suite.expectations
    ]

    @multi_asset_check(name=f"gx_{suite.name}", specs=specs,
                       description=f"Great Expectations suite {suite.name}: {suite.description}")
    def _checks(context: AssetCheckExecutionContext, paths: PipelinePaths):
        from pipelines.quality.gx_results import latest_results

        with connect_warehouse(paths.resolve().warehouse_db, read_only=True) as con:
            stored = latest_results(con, suite.name)
        for entry in suite.expectations:
            result = stored.get(entry.check_name)
            if result is None:
                yield AssetCheckResult(asset_key=asset_key, check_name=entry.check_name, passed=False,
                                       severity=AssetCheckSeverity.WARN,
                                       metadata={"note": "chưa kiểm tra / not validated yet"})
                continue
            yield AssetCheckResult(
                asset_key=asset_key, check_name=entry.check_name, passed=bool(result["success"]),
                severity=_severity(entry.rule_id),
                metadata={
                    "rule_id": entry.rule_id or "-",
                    "unexpected_count": int(result["unexpected_count"] or 0),
                    "element_count": int(result["element_count"] or 0),
                    "offending_rows": _offending(result),
                    "partial_unexpected": result["partial_unexpected"] or "[]",
                    "validated_in_run": result["run_id"],
                    "error": result["error"] or "-",
                },
            )

    return _checks


GX_ASSET_CHECKS = [_suite_checks(suite) for suite in SUITES]
