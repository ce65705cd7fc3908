"""The inbox sensor asks for one run over the quarters new bytes change, and never twice for the same bytes."""

import json
import shutil
from pathlib import Path

import pytest
from dagster import DagsterInstance, build_sensor_context

from pipelines.definitions import defs
from pipelines.lib.partitions import REPORTING_QUARTER
from pipelines.lib.quarters import last_closed_quarter
from pipelines.orchestration.partitions import QUARTER_TAG, RANGE_END_TAG, RANGE_START_TAG, range_tags
from pipelines.orchestration.sensors import inbox_sensor
from pipelines.resources import PipelinePaths


def _one_quarter_report(sample_inbox: Path) -> tuple[Path, str]:
    """A single-enterprise report file (CDCS_<tax>_Q<q><year>.csv) holds one quarter."""
    path = sorted(sample_inbox.glob("union_reports/*/*/CDCS_*.csv"))[0]
    quarter_part = path.stem.rsplit("_", 1)[1]  # e.g. Q32019
    return path, f"{quarter_part[2:]}-Q{quarter_part[1]}"


def _evaluate(instance, inbox: Path, warehouse: Path, cursor: str | None):
    with build_sensor_context(
        instance=instance, cursor=cursor, definitions=defs,
        resources={"paths": PipelinePaths(inbox_dir=str(inbox), warehouse_dir=str(warehouse))},
    ) as context:  # PipelinePaths has a run lifecycle (the run lock), so it needs the scope
        return inbox_sensor(context)


@pytest.fixture
def instance():
    with DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


def test_new_quarter_file_requests_one_run_and_same_bytes_none(sample_inbox, tmp_path, instance):
    source, quarter = _one_quarter_report(sample_inbox)
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    (inbox / "union_reports").mkdir(parents=True)
    shutil.copy(source, inbox / "union_reports" / source.name)

    first = _evaluate(instance, inbox, warehouse, None)
    assert [r.partition_key for r in first.run_requests] == [quarter]
    request = first.run_requests[0]
    assert request.tags[QUARTER_TAG] == quarter
    assert request.tags["uw/inbox"] == str(inbox.resolve())
    assert [r.partitions_def_name for r in first.dynamic_partitions_requests] == [REPORTING_QUARTER.name]
    assert list(first.dynamic_partitions_requests[0].partition_keys) == [quarter]
    instance.add_dynamic_partitions(REPORTING_QUARTER.name, [quarter])  # what the daemon does

    shutil.copy(source, inbox / "union_reports" / f"copy_of_{source.name}")
    second = _evaluate(instance, inbox, warehouse, first.cursor)
    assert second.run_requests == []
    assert second.dynamic_partitions_requests == []
    assert len(json.loads(second.cursor)["shas"]) == 1


def _report_file(folder: Path, name: str, periods: list[str]) -> None:
    from tests.rules.inbox import REPORT_HEADER

    rows = [[period, f"020000000{i}", "Công ty A", "100", "40", "90", "30", "2", "1", "3", "0", "0", "0",
             "2022-07-05", "1"] for i, period in enumerate(periods, start=1)]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("\n".join(",".join(r) for r in [REPORT_HEADER, *rows]) + "\n", encoding="utf-8")


def test_a_late_file_for_an_old_quarter_runs_it_and_every_later_quarter_once(tmp_path, instance):
    instance.add_dynamic_partitions(REPORTING_QUARTER.name, ["2021-Q4", "2022-Q1", "2022-Q2"])
    inbox = tmp_path / "inbox"
    _report_file(inbox / "union_reports", "muon.csv", ["2022-Q1"])
    result = _evaluate(instance, inbox, tmp_path / "warehouse", None)
    assert len(result.run_requests) == 1
    request = result.run_requests[0]
    assert request.partition_key is None
    assert request.tags == {**request.tags, **range_tags(instance, ["2022-Q1", "2022-Q2"])}
    assert request.tags[QUARTER_TAG] == "2022-Q1..2022-Q2"
    assert request.run_key.startswith("reports:")


def test_a_file_with_two_quarters_is_one_run_over_both_and_adds_the_new_one(tmp_path, instance):
    instance.add_dynamic_partitions(REPORTING_QUARTER.name, ["2022-Q1"])
    inbox = tmp_path / "inbox"
    _report_file(inbox / "union_reports", "hai_quy.csv", ["2022-Q1", "2022-Q2"])
    result = _evaluate(instance, inbox, tmp_path / "warehouse", None)
    assert len(result.run_requests) == 1
    tags = result.run_requests[0].tags
    assert (tags[RANGE_START_TAG], tags[RANGE_END_TAG]) == ("2022-Q1", "2022-Q2")
    assert list(result.dynamic_partitions_requests[0].partition_keys) == ["2022-Q2"]


def test_a_register_file_beside_a_new_quarter_covers_that_quarter_too(sample_inbox, tmp_path, instance):
    instance.add_dynamic_partitions(REPORTING_QUARTER.name, ["2022-Q1"])
    inbox = tmp_path / "inbox"
    shutil.copytree(sample_inbox / "party_orgs", inbox / "party_orgs")
    _report_file(inbox / "union_reports", "q2.csv", ["2022-Q2"])
    result = _evaluate(instance, inbox, tmp_path / "warehouse", None)
    by_key = {r.run_key.split(":")[0]: r for r in result.run_requests}
    assert by_key["reports"].partition_key == "2022-Q2"
    register = by_key["registers"].tags  # the tick adds 2022-Q2 before its runs start
    assert (register[RANGE_START_TAG], register[RANGE_END_TAG]) == ("2022-Q1", "2022-Q2")


def test_register_file_requests_the_assets_it_feeds_over_known_quarters(sample_inbox, tmp_path, instance):
    inbox = tmp_path / "inbox"
    shutil.copytree(sample_inbox / "party_orgs", inbox / "party_orgs")
    instance.add_dynamic_partitions(REPORTING_QUARTER.name, ["2019-Q3", "2019-Q4"])
    result = _evaluate(instance, inbox, tmp_path / "warehouse", None)
    assert len(result.run_requests) == 1
    request = result.run_requests[0]
    selected = {key.to_user_string() for key in request.asset_selection}
    assert {"raw/party_orgs", "marts/fct_party_org", "serving/serving_duckdb"} <= selected
    assert "raw/union_reports" not in selected
    assert request.tags == {**request.tags, **range_tags(instance, ["2019-Q3", "2019-Q4"])}


def test_a_file_still_being_copied_waits_for_the_next_tick(sample_inbox, tmp_path, instance, monkeypatch):
    source, _ = _one_quarter_report(sample_inbox)
    inbox = tmp_path / "inbox"
    (inbox / "union_reports").mkdir(parents=True)
    shutil.copy(source, inbox / "union_reports" / source.name)
    import pipelines.orchestration.sensors as sensors

    monkeypatch.setattr(sensors, "still_copying", lambda files: {f.source_file for f in files})
    result = _evaluate(instance, inbox, tmp_path / "warehouse", None)
    assert result.run_requests == []
    assert json.loads(result.cursor)["shas"] == []


def test_schedules_run_the_quarter_that_just_ended():
    assert last_closed_quarter(2024, 1) == "2023-Q4"
    assert last_closed_quarter(2024, 4) == "2024-Q1"
    assert last_closed_quarter(2024, 10) == "2024-Q3"
    schedules = {s.name: s for s in defs.schedules}
    assert schedules["quarterly_after_deadline"].cron_schedule == "0 6 11 1,4,7,10 *"
    assert schedules["daily_during_collection"].cron_schedule == "0 6 1-10 1,4,7,10 *"
    assert all(s.execution_timezone == "Asia/Ho_Chi_Minh" for s in schedules.values())
