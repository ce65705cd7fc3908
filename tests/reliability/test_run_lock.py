"""One run at a time per warehouse, and a killed run never blocks the queue (issue 13, items 6, 7).

Holders are real child processes, so "the process died" means a SIGKILL, not a mock.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from dagster import DagsterInstance, DagsterRunStatus, asset, build_sensor_context, materialize
from dagster._core.storage.dagster_run import DagsterRun

from pipelines.definitions import defs
from pipelines.lib.run_lock import LOCK_FILE, RunLock, WarehouseBusy, current_holder, died_holding
from pipelines.orchestration.dead_runs import clear_dead_run
from pipelines.orchestration.sensors import inbox_sensor
from pipelines.resources import PipelinePaths
from tests.conftest import REPO_ROOT, run_uw

HOLDER = """
import os, signal, sys, time
from pathlib import Path
from pipelines.lib.run_lock import RunLock
lock = RunLock(Path(sys.argv[1]))
lock.acquire(sys.argv[2])  # kept referenced: the lock lives as long as its open file
print("held", flush=True)
if sys.argv[3] == "die":
    os.kill(os.getpid(), signal.SIGKILL)
time.sleep(120)
"""


def hold(warehouse: Path, run_id: str, then: str) -> subprocess.Popen:
    """A child process that takes the lock, then dies by SIGKILL ("die") or keeps it ("hold")."""
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(warehouse), run_id, then], cwd=REPO_ROOT,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "held"
    if then == "die":
        assert child.wait(timeout=30) == -signal.SIGKILL
    return child


@pytest.fixture
def instance():
    with DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


def _started_run(instance) -> str:
    run_id = str(uuid.uuid4())
    instance.add_run(DagsterRun(job_name="union_warehouse_run", run_id=run_id, status=DagsterRunStatus.STARTED))
    return run_id


def test_second_holder_is_refused_with_the_running_run_named(tmp_path):
    first = RunLock(tmp_path)
    first.acquire("run-a")
    with pytest.raises(WarehouseBusy, match="run-a"):
        RunLock(tmp_path).acquire("run-b")
    assert current_holder(tmp_path).run_id == "run-a"
    first.release()
    assert current_holder(tmp_path) is None and died_holding(tmp_path) is None
    assert RunLock(tmp_path).acquire("run-b").run_id == "run-a"  # the previous note, released


def test_a_killed_holder_leaves_no_stale_lock_but_a_note_of_its_death(tmp_path):
    hold(tmp_path, "run-killed", "die")
    assert current_holder(tmp_path) is None
    assert died_holding(tmp_path).run_id == "run-killed"
    lock = RunLock(tmp_path)
    assert lock.acquire("run-next").run_id == "run-killed"
    lock.release()


def test_a_live_holder_is_named_and_never_marked_dead(tmp_path, instance):
    run_id = _started_run(instance)
    child = hold(tmp_path, run_id, "hold")
    try:
        assert current_holder(tmp_path).run_id == run_id
        assert died_holding(tmp_path) is None
        assert clear_dead_run(instance, tmp_path) is None
        assert instance.get_run_by_id(run_id).status == DagsterRunStatus.STARTED
    finally:
        child.kill()
        child.wait()


def test_a_run_that_died_holding_the_warehouse_is_marked_failed(tmp_path, instance):
    run_id = _started_run(instance)
    hold(tmp_path, run_id, "die")
    assert clear_dead_run(instance, tmp_path) == run_id
    assert instance.get_run_by_id(run_id).status == DagsterRunStatus.FAILURE
    assert clear_dead_run(instance, tmp_path) is None  # once


def test_the_sensor_clears_a_dead_run_and_waits_while_the_warehouse_is_busy(tmp_path, instance):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    (inbox / "enterprises").mkdir(parents=True)

    def tick():
        with build_sensor_context(instance=instance, cursor=None, definitions=defs, resources={
                "paths": PipelinePaths(inbox_dir=str(inbox), warehouse_dir=str(warehouse))}) as context:
            return inbox_sensor(context)

    dead = _started_run(instance)
    hold(warehouse, dead, "die")
    tick()
    assert instance.get_run_by_id(dead).status == DagsterRunStatus.FAILURE

    alive = _started_run(instance)
    child = hold(warehouse, alive, "hold")
    try:
        result = tick()
        assert not result.run_requests and alive in result.skip_reason.skip_message
        assert instance.get_run_by_id(alive).status == DagsterRunStatus.STARTED
    finally:
        child.kill()
        child.wait()


def test_a_dagster_run_holds_the_lock_itself_and_is_refused_when_busy(tmp_path, instance):
    seen: list[str | None] = []

    @asset
    def probe(context, paths: PipelinePaths) -> None:
        holder = current_holder(paths.resolve().warehouse)
        seen.append(holder.run_id if holder else None)

    paths = PipelinePaths(inbox_dir=str(tmp_path / "inbox"), warehouse_dir=str(tmp_path / "warehouse"))
    result = materialize([probe], resources={"paths": paths}, instance=instance)
    assert result.success and seen == [result.run_id]
    assert current_holder(tmp_path / "warehouse") is None  # released at the end of the run

    child = hold(tmp_path / "warehouse", "run-of-the-cli", "hold")
    try:
        refused = materialize([probe], resources={"paths": paths}, instance=instance, raise_on_error=False)
        assert not refused.success and len(seen) == 1
        failure = [e for e in refused.all_events if e.is_failure]
        assert any("run-of-the-cli" in str(e.event_specific_data) for e in failure)
    finally:
        child.kill()
        child.wait()


def test_uw_run_refuses_a_busy_warehouse_with_exit_1_naming_the_run(tmp_path):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    inbox.mkdir()
    child = hold(warehouse, "run-in-progress", "hold")
    try:
        result = run_uw("run", "--inbox", str(inbox), "--warehouse", str(warehouse), timeout=120)
    finally:
        child.kill()
        child.wait()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "run-in-progress" in result.stdout and "in use" in result.stdout
    assert not (warehouse / "warehouse.duckdb").exists()
    assert (warehouse / LOCK_FILE).exists()
