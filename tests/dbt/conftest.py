"""Build the dbt project once per session against a hand-made raw schema."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from .raw_fixture import create_raw

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT = REPO_ROOT / ".venv" / "bin" / "dbt"
PROJECT_DIR = REPO_ROOT / "dbt_project"


@dataclass
class DbtRun:
    db_path: Path
    results: dict[str, subprocess.CompletedProcess]

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


def run_dbt(
    args: list[str], db_path: Path | None, tmp: Path, target: str = "duckdb"
) -> subprocess.CompletedProcess:
    env = {**os.environ, "UW_DBT_TARGET": target, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    if db_path is not None:
        env["UW_WAREHOUSE_DB"] = str(db_path)
    command = [
        str(DBT), *args,
        "--project-dir", str(PROJECT_DIR),
        "--profiles-dir", str(PROJECT_DIR),
        "--target-path", str(tmp / "target"),
        "--log-path", str(tmp / "logs"),
        "--no-use-colors",
    ]
    return subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> DbtRun:
    """Built once per session (per xdist worker): the modules that use it share the
    `dbt_build` xdist group, so they land on one worker."""
    tmp = tmp_path_factory.mktemp("dbt")
    db_path = tmp / "warehouse.duckdb"
    create_raw(str(db_path))
    # `dbt build` loads the seeds too, so one invocation is enough
    results = {"build": run_dbt(["build"], db_path, tmp)}
    return DbtRun(db_path=db_path, results=results)
