"""Crash tests (issue 13): `uw run` killed with SIGKILL during ingest, during dbt and during
publish, then rerun, ends exactly where a clean run ends.

One tiny inbox, two warehouses. The clean warehouse gets one run. The crashed warehouse, under
a persistent DAGSTER_HOME (as `make run` uses), gets: a run killed after its first file
committed (crash point `ingest`), a run killed while dbt builds the marts (the whole process
group, dbt's child included, when dbt prints its first mart), a run killed with its new
serving copy built but not swapped in (crash point `publish`), and a plain rerun. Then marts,
current findings and manifest equal the clean run's; no temporary file is left; `audit.runs`
says published only for the copy in place; and no killed run is left STARTED in Dagster.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, DagsterRunStatus

from pipelines.lib.crash_points import CRASH_ENV
from pipelines.publish.serving import published_run, stale_temps
from tests.conftest import REPO_ROOT, UW, run_uw

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("crash")]

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "inbox"
TINY_INBOX = ["enterprises/dn_bo_sung.csv", "union_reports/2022/Q2/tong_hop_Q2.xlsx",
              "union_reports/2022/Q3/rong.xlsx"]
DBT_BUILDING_MARTS = "START sql table model marts."
RUN_SPECIFIC = ("run_id",)
HANG_GUARD = 1800  # seconds per run: a loaded 2-core machine, not a speed claim


def _tiny_inbox(root: Path) -> Path:
    for name in TINY_INBOX:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / name, root / name)
    return root


def _kill_when_printed(args: list[str], env: dict[str, str], marker: str) -> int:
    """Run uw in its own process group and SIGKILL the whole group when `marker` is printed."""
    child_env = {k: v for k, v in os.environ.items() if k not in ("UW_INBOX_DIR", "UW_WAREHOUSE_DIR")}
    child_env.update(env)
    # --verbose: dbt's per-model lines are printed live (by default they go to the run's log file)
    process = subprocess.Popen([*UW, *args, "--verbose"], cwd=REPO_ROOT, env=child_env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    killed = False
    for line in process.stdout:
        if marker in line:
            os.killpg(process.pid, signal.SIGKILL)
            killed = True
            break
    process.stdout.close()
    code = process.wait(timeout=HANG_GUARD)
    assert killed, f"{marker!r} never printed (exit {code})"
    return code


def _stable_columns(con, relation: str) -> list[str]:
    return [name for (name, *_) in con.execute(f"describe {relation}").fetchall()
            if name not in RUN_SPECIFIC and not name.endswith("_at")]


def state(warehouse: Path) -> dict[str, list[tuple]]:
    """What a user of the warehouse sees, without what differs by run (run ids, timestamps)."""
    result: dict[str, list[tuple]] = {}
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        marts = [t for (t,) in con.execute("select table_name from information_schema.tables "
                                           "where table_schema = 'marts' order by 1").fetchall()]
        for table in marts:
            columns = ", ".join(f'"{c}"' for c in _stable_columns(con, f"marts.{table}"))
            result[f"marts.{table}"] = sorted(con.execute(f"select {columns} from marts.{table}").fetchall(),
                                              key=repr)
        result["findings_current"] = sorted(con.execute(
            "select rule_id, severity, tax_code, period, source_file, source_row, observed, expected, finding_key "
            "from audit.dq_findings_current").fetchall(), key=repr)
        result["manifest"] = sorted(con.execute(
            "select source_file, sha256, kind, status, rows_read, rows_loaded, rows_quarantined, detail "
            "from audit.file_manifest where status <> 'duplicate'").fetchall(), key=repr)
    return result


def _runs(warehouse: Path) -> dict[str, bool]:
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        return dict(con.execute("select run_id, published from audit.runs").fetchall())


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("crash_clean")
    warehouse = root / "warehouse"
    result = run_uw("run", "--inbox", str(_tiny_inbox(root / "inbox")), "--warehouse", str(warehouse),
                    timeout=HANG_GUARD)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return warehouse


def test_killed_during_ingest_dbt_and_publish_then_rerun_equals_a_clean_run(clean, tmp_path):
    inbox, warehouse, home = _tiny_inbox(tmp_path / "inbox"), tmp_path / "warehouse", tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("concurrency:\n  runs:\n    max_concurrent_runs: 1\n"
                                       "telemetry:\n  enabled: false\n")
    args = ["run", "--inbox", str(inbox), "--warehouse", str(warehouse)]
    env = {"DAGSTER_HOME": str(home)}

    killed = run_uw(*args, env={**env, CRASH_ENV: "ingest"}, timeout=HANG_GUARD)
    assert killed.returncode == -signal.SIGKILL, killed.stdout[-2000:] + killed.stderr[-2000:]
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:  # one file in, whole
        assert con.execute("select count(*) from audit.file_manifest").fetchone() == (1,)

    assert _kill_when_printed(args, env, DBT_BUILDING_MARTS) == -signal.SIGKILL

    killed = run_uw(*args, env={**env, CRASH_ENV: "publish"}, timeout=HANG_GUARD)
    assert killed.returncode == -signal.SIGKILL, killed.stdout[-2000:] + killed.stderr[-2000:]
    assert stale_temps(warehouse / "serving.duckdb")  # the kill really left its temporary copy
    assert not (warehouse / "serving.duckdb").exists()
    assert list(_runs(warehouse).values()) == [False]  # recorded, gate passed, never swapped in

    rerun = run_uw(*args, env=env, timeout=HANG_GUARD)
    assert rerun.returncode == 0, rerun.stdout[-3000:] + rerun.stderr[-3000:]

    assert state(warehouse) == state(clean)
    assert stale_temps(warehouse / "serving.duckdb") == []
    assert not [p for p in warehouse.rglob("*") if p.name.endswith((".tmp", ".partial", ".tmp.wal"))]
    runs = _runs(warehouse)
    assert published_run(warehouse / "serving.duckdb") in runs
    assert {run for run, published in runs.items() if published} == {published_run(warehouse / "serving.duckdb")}

    os.environ["DAGSTER_HOME"], previous = str(home), os.environ.get("DAGSTER_HOME")
    try:
        with DagsterInstance.get() as instance:
            statuses = sorted(run.status.value for run in instance.get_runs())
    finally:
        if previous is None:
            del os.environ["DAGSTER_HOME"]
        else:
            os.environ["DAGSTER_HOME"] = previous
    # three killed runs marked failed by the run after each, the last one a success: none blocks a queue
    assert statuses == sorted([DagsterRunStatus.FAILURE.value] * 3 + [DagsterRunStatus.SUCCESS.value])
