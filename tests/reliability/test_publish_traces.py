"""A publish killed half-way leaves nothing for ever, and `audit.runs.published` is only true
for a copy really in place (issue 13, item 9). The kill is a real SIGKILL at the crash point
`publish` (new copy built and flushed, not yet swapped in), in a child process.
"""

from __future__ import annotations

import signal
import subprocess
import sys

import duckdb

from pipelines.lib.crash_points import CRASH_ENV
from pipelines.publish.serving import mark_published, publish_serving, published_run, stale_temps
from tests.conftest import REPO_ROOT

PUBLISH = """
import sys
from pathlib import Path
from pipelines.publish.serving import publish_serving
publish_serving(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
"""


def _warehouse(path, value: float, runs: list[str]) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts; create schema if not exists audit")
        con.execute("create or replace table marts.headline_figures as select 'workers' as metric, ? as value",
                    [value])
        con.execute("create or replace table audit.runs (run_id varchar, finished_at timestamp, published boolean)")
        for run_id in runs:
            con.execute("insert into audit.runs values (?, now(), false)", [run_id])


def _publish_in_child(warehouse, serving, run_id: str, crash: bool) -> int:
    env = {**__import__("os").environ, CRASH_ENV: "publish" if crash else ""}
    return subprocess.run([sys.executable, "-c", PUBLISH, str(warehouse), str(serving), run_id], cwd=REPO_ROOT,
                          env=env, capture_output=True, timeout=120, check=False).returncode


def _value(serving) -> float:
    with duckdb.connect(str(serving), read_only=True) as con:
        return con.execute("select value from marts.headline_figures").fetchone()[0]


def test_a_killed_publish_keeps_the_old_copy_and_its_temp_is_cleaned_next_time(tmp_path):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    _warehouse(warehouse, 1.0, ["run-1"])
    assert _publish_in_child(warehouse, serving, "run-1", crash=False) == 0

    _warehouse(warehouse, 2.0, ["run-1", "run-2"])
    assert _publish_in_child(warehouse, serving, "run-2", crash=True) == -signal.SIGKILL
    assert stale_temps(serving), "the kill left its temporary copy (else this test proves nothing)"
    assert _value(serving) == 1.0 and published_run(serving) == "run-1"

    publish_serving(warehouse, serving, "run-3")
    assert stale_temps(serving) == []
    assert [p.name for p in tmp_path.iterdir() if ".tmp" in p.name] == []
    assert _value(serving) == 2.0 and published_run(serving) == "run-3"


def test_published_is_true_only_for_the_run_whose_copy_is_in_place(tmp_path):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    _warehouse(warehouse, 1.0, ["run-1", "run-2"])
    publish_serving(warehouse, serving, "run-1")
    with duckdb.connect(str(serving), read_only=True) as con:  # the copy says so about itself
        assert dict(con.execute("select run_id, published from audit.runs").fetchall()) == \
            {"run-1": True, "run-2": False}
    with duckdb.connect(str(warehouse)) as con:
        assert dict(con.execute("select run_id, published from audit.runs").fetchall()) == \
            {"run-1": False, "run-2": False}  # killed right after the swap: not yet marked
        assert mark_published(con, serving) == "run-1"
        assert dict(con.execute("select run_id, published from audit.runs").fetchall()) == \
            {"run-1": True, "run-2": False}
