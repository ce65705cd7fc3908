"""Schedules around the reporting deadline: the 10th day after a quarter ends.

`daily_during_collection` runs each morning of days 1–10 after quarter end, while reports
arrive, so late and corrected reports show in the findings before the deadline;
`quarterly_after_deadline` runs once on day 11, the run whose publication counts. Both
run the quarter that just ended. `forms_before_quarter_end` runs on the 15th day of a
quarter's last month and prepares that quarter's report forms (`uw template` as a job), so
the data office can send them out before the quarter closes. All are STOPPED by default: in
development nobody wants runs on a timer; production turns them on in the UI (or
`dagster schedule start`).
"""

from __future__ import annotations

from dagster import DefaultScheduleStatus, RunRequest, ScheduleEvaluationContext, SkipReason, schedule

from pipelines.lib.partitions import REPORTING_QUARTER
from pipelines.lib.quarters import last_closed_quarter, quarter_of
from pipelines.orchestration.jobs import FULL_RUN_JOB
from pipelines.orchestration.partitions import QUARTER_TAG, register_quarters
from pipelines.outreach.assets import TEMPLATES_JOB

TIMEZONE = "Asia/Ho_Chi_Minh"
QUARTER_START_MONTHS = "1,4,7,10"
QUARTER_END_MONTHS = "3,6,9,12"


def _request(context: ScheduleEvaluationContext, trigger: str) -> RunRequest | SkipReason:
    when = context.scheduled_execution_time
    quarter = last_closed_quarter(when.year, when.month)
    if not context.instance.has_dynamic_partition(REPORTING_QUARTER.name, quarter):
        return SkipReason(f"no report for {quarter} has reached the inbox yet")
    return RunRequest(run_key=f"{trigger}:{quarter}:{when.date().isoformat()}", partition_key=quarter,
                      tags={QUARTER_TAG: quarter, "uw/trigger": trigger})


@schedule(job_name=FULL_RUN_JOB, cron_schedule=f"0 6 11 {QUARTER_START_MONTHS} *", execution_timezone=TIMEZONE,
          default_status=DefaultScheduleStatus.STOPPED,
          description="06:00 on the 11th day after quarter end (Jan/Apr/Jul/Oct 11): the run after the deadline.")
def quarterly_after_deadline(context: ScheduleEvaluationContext):
    return _request(context, "quarterly_after_deadline")


@schedule(job_name=FULL_RUN_JOB, cron_schedule=f"0 6 1-10 {QUARTER_START_MONTHS} *", execution_timezone=TIMEZONE,
          default_status=DefaultScheduleStatus.STOPPED,
          description="06:00 daily on days 1–10 after quarter end: the collection window before the deadline.")
def daily_during_collection(context: ScheduleEvaluationContext):
    return _request(context, "daily_during_collection")


@schedule(job_name=TEMPLATES_JOB, cron_schedule=f"0 6 15 {QUARTER_END_MONTHS} *", execution_timezone=TIMEZONE,
          default_status=DefaultScheduleStatus.STOPPED,
          description="06:00 on the 15th of a quarter's last month (Mar/Jun/Sep/Dec 15): that quarter's report "
                      "forms, one per enterprise with an active union, ready to send before the quarter closes.")
def forms_before_quarter_end(context: ScheduleEvaluationContext):
    quarter = quarter_of(context.scheduled_execution_time.date())
    # No report of a quarter that has not closed exists yet, so its partition is added here.
    register_quarters(context.instance, [quarter])
    return RunRequest(run_key=f"forms:{quarter}", partition_key=quarter,
                      tags={QUARTER_TAG: quarter, "uw/trigger": "forms_before_quarter_end"})


SCHEDULES = [quarterly_after_deadline, daily_during_collection, forms_before_quarter_end]
