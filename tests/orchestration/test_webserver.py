"""The webserver serves the code location: asset graph, checks, sensor and schedules over GraphQL.

Before the webserver starts, one real `uw run` of the small fixture inbox is recorded in the
same DAGSTER_HOME, so the UI also has the last result of every asset check to show.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.quality.gx_suites import load_suites
from tests.conftest import REPO_ROOT, run_uw

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("orchestration_webserver")]

QUERY = """
query {
  assetNodes { assetKey { path } groupName partitionDefinition { name }
               assetChecksOrError { ... on AssetChecks { checks {
                 name executionForLatestMaterialization { runId status } } } } }
  sensorsOrError(repositorySelector: {repositoryName: "__repository__", repositoryLocationName: "union_warehouse"}) {
    ... on Sensors { results { name sensorState { status } } } }
  schedulesOrError(repositorySelector: {repositoryName: "__repository__", repositoryLocationName: "union_warehouse"}) {
    ... on Schedules { results { name cronSchedule scheduleState { status } } } }
}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str, query: str) -> dict:
    import json

    request = urllib.request.Request(url, data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@pytest.fixture
def recorded_home(tmp_path) -> Path:
    """A DAGSTER_HOME holding one finished run of the fixture inbox (about a minute and a half)."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    inbox = tmp_path / "inbox"
    shutil.copytree(REPO_ROOT / "tests" / "fixtures" / "inbox", inbox)
    result = run_uw("run", "--inbox", str(inbox), "--warehouse", str(tmp_path / "warehouse"),
                    env={"DAGSTER_HOME": str(home)})
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return home


@pytest.fixture
def webserver(recorded_home):
    port = _free_port()
    env = {**os.environ, "DAGSTER_HOME": str(recorded_home)}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "dagster-webserver"), "-w", "workspace.yaml", "-h", "127.0.0.1",
         "-p", str(port)], cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/server_info", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("dagster-webserver did not come up")
                time.sleep(1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_graphql_shows_assets_checks_sensor_and_schedules(webserver):
    data = None
    for _ in range(60):  # the code location may still be loading after the server answers
        body = _post(f"{webserver}/graphql", QUERY)
        data = body.get("data") or {}
        if data.get("assetNodes") and "results" in data.get("sensorsOrError", {}):
            break
        time.sleep(1)
    nodes = {"/".join(n["assetKey"]["path"]): n for n in data["assetNodes"]}
    assert {"raw/union_reports", "marts/headline_figures", "serving/serving_duckdb"} <= set(nodes)
    assert nodes["raw/union_reports"]["partitionDefinition"] is not None
    checks = {c["name"] for c in nodes["marts/headline_figures"]["assetChecksOrError"]["checks"]}
    assert "c001_control_totals" in checks
    # the run recorded in DAGSTER_HOME: the UI shows each check's result for the latest materialization
    executions = {("/".join(n["assetKey"]["path"]), c["name"]): c["executionForLatestMaterialization"]
                  for n in data["assetNodes"] for c in n["assetChecksOrError"].get("checks", [])}
    finished = {"SUCCEEDED", "FAILED"}
    c001 = executions[("marts/headline_figures", "c001_control_totals")]
    assert c001 is not None and c001["status"] in finished, c001
    gx_checks = {("/".join(s.asset_key), e.check_name) for s in load_suites() for e in s.expectations}
    assert gx_checks and gx_checks <= set(executions), sorted(gx_checks - set(executions))
    not_run = sorted(key for key in gx_checks if (executions[key] or {}).get("status") not in finished)
    assert not not_run, f"GX checks without a finished execution: {not_run}"
    assert {executions[key]["runId"] for key in gx_checks} == {c001["runId"]}  # the one recorded run
    assert [s["name"] for s in data["sensorsOrError"]["results"]] == ["inbox_sensor"]
    schedules = {s["name"]: s for s in data["schedulesOrError"]["results"]}
    assert set(schedules) == {"quarterly_after_deadline", "daily_during_collection", "forms_before_quarter_end"}
    assert all(s["scheduleState"]["status"] == "STOPPED" for s in schedules.values())
