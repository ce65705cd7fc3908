"""Outreach as Dagster assets: feedback packets in every run, forms per quarter on demand.

`reports/feedback` sits downstream of the findings, so the full-run job writes the packets
of the findings it just made (blocked gate or not: that is when enterprises must correct).
`outreach/report_templates` is partitioned by reporting quarter and lives in its own group,
`templates`, which the full-run job leaves out: forms are prepared once per quarter before
it closes (job `prepare_report_templates`, for a schedule or the UI), not on every run.
"""

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSelection,
    BackfillPolicy,
    MaterializeResult,
    MetadataValue,
    asset,
    define_asset_job,
)

from pipelines.lib.partitions import REPORTING_QUARTER
from pipelines.outreach.feedback import write_feedback
from pipelines.outreach.quarter import Quarter
from pipelines.outreach.templates import write_templates
from pipelines.resources import PipelinePaths

FEEDBACK_ASSET = AssetKey(["reports", "feedback"])
TEMPLATES_ASSET = AssetKey(["outreach", "report_templates"])
TEMPLATES_GROUP = "templates"
TEMPLATES_JOB = "prepare_report_templates"
FEEDBACK_FOLDER = "feedback"
TEMPLATES_FOLDER = "templates"
OWNERS = ["team:data-office"]


@asset(key=FEEDBACK_ASSET, deps=[AssetKey(["audit", "dq_findings"])], group_name="outreach",
       kinds={"python", "excel"}, owners=OWNERS,
       description="Phiếu phản hồi số liệu: mỗi doanh nghiệp có lỗi/cảnh báo đang mở một tệp, kèm "
                   "feedback_summary.csv / one feedback packet per enterprise with open error or warning "
                   "findings, and the summary CSV (reports/feedback/).")
def feedback_packets(context: AssetExecutionContext, paths: PipelinePaths) -> MaterializeResult:
    resolved = paths.resolve()
    run = write_feedback(resolved.warehouse_db, resolved.reports / FEEDBACK_FOLDER)
    context.log.info(f"feedback: {run.enterprise_packets} enterprise packets, office packet: {run.office_packet}")
    return MaterializeResult(metadata={
        "path": MetadataValue.path(str(run.folder)),
        "enterprise_packets": run.enterprise_packets,
        "office_packet": run.office_packet,
        "findings_listed": run.findings,
    })


@asset(key=TEMPLATES_ASSET, deps=[AssetKey(["marts", "dim_enterprise"]), AssetKey(["marts", "fct_union_report"])],
       partitions_def=REPORTING_QUARTER, backfill_policy=BackfillPolicy.single_run(), group_name=TEMPLATES_GROUP,
       kinds={"python", "excel"}, owners=OWNERS,
       description="Biểu mẫu báo cáo quý cho từng CĐCS đang hoạt động (có kiểm tra dữ liệu, ô định danh đã khoá) "
                   "/ the quarter's report forms, one per enterprise with an active union "
                   "(<warehouse>/templates/<quarter>/).")
def report_templates(context: AssetExecutionContext, paths: PipelinePaths) -> MaterializeResult:
    resolved = paths.resolve()
    written = {}
    for key in context.partition_keys:
        run = write_templates(resolved.warehouse_db, resolved.warehouse / TEMPLATES_FOLDER / key, Quarter.parse(key))
        written[key] = len(run.files)
        context.log.info(f"templates {key}: {len(run.files)} forms in {run.folder}")
    return MaterializeResult(metadata={
        "forms": sum(written.values()),
        "forms_by_quarter": MetadataValue.json(written),
        "path": MetadataValue.path(str(resolved.warehouse / TEMPLATES_FOLDER)),
    })


prepare_report_templates = define_asset_job(
    TEMPLATES_JOB, selection=AssetSelection.assets(TEMPLATES_ASSET),
    description="Viết biểu mẫu báo cáo của một quý / write a quarter's report forms (add the quarter as a "
                "partition first if no report of it has arrived yet).")

OUTREACH_ASSETS = [feedback_packets, report_templates]
