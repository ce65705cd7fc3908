"""The schedules ask for the right quarter, and the forms schedule registers a quarter no report has reached yet."""

from datetime import datetime
from zoneinfo import ZoneInfo

from dagster import RunRequest, SkipReason, build_schedule_context, instance_for_test

from pipelines.lib.partitions import REPORTING_QUARTER
from pipelines.orchestration.schedules import TIMEZONE, forms_before_quarter_end, quarterly_after_deadline
from pipelines.outreach.assets import TEMPLATES_JOB


def _at(instance, year, month, day):
    when = datetime(year, month, day, 6, tzinfo=ZoneInfo(TIMEZONE))
    return build_schedule_context(instance=instance, scheduled_execution_time=when)


def test_forms_are_prepared_for_the_quarter_still_open_and_its_partition_added():
    with instance_for_test() as instance:
        assert forms_before_quarter_end.job_name == TEMPLATES_JOB
        request = forms_before_quarter_end(_at(instance, 2023, 12, 15))
        assert isinstance(request, RunRequest)
        assert request.partition_key == "2023-Q4"
        assert instance.get_dynamic_partitions(REPORTING_QUARTER.name) == ["2023-Q4"]
        # a second evaluation in the same quarter asks for the same run (its run key dedupes it)
        again = forms_before_quarter_end(_at(instance, 2023, 12, 15))
        assert again.run_key == request.run_key
        assert instance.get_dynamic_partitions(REPORTING_QUARTER.name) == ["2023-Q4"]


def test_the_run_after_the_deadline_waits_for_a_report_of_the_closed_quarter():
    with instance_for_test() as instance:
        assert isinstance(quarterly_after_deadline(_at(instance, 2023, 10, 11)), SkipReason)
        instance.add_dynamic_partitions(REPORTING_QUARTER.name, ["2023-Q3"])
        request = quarterly_after_deadline(_at(instance, 2023, 10, 11))
        assert isinstance(request, RunRequest) and request.partition_key == "2023-Q3"
