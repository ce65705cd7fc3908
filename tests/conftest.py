"""Shared fixtures: a sample inbox written once per test session (per xdist worker)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
UW = [sys.executable, "-m", "pipelines.cli"]


def pytest_configure(config):
    """Parse the dbt project once, before workers and `uw run` children start.

    Every process that loads the definitions would otherwise find a fresh clone's manifest
    missing and run `dbt parse` into the same target folder at the same time.
    """
    if not hasattr(config, "workerinput"):
        from pipelines.warehouse.project import ensure_manifest

        ensure_manifest()


def uw_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment for a child `uw`, without what would point it elsewhere."""
    child_env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "UW_INBOX_DIR", "UW_WAREHOUSE_DIR")}
    child_env.update(env or {})
    return child_env


def run_uw(*args: str, env: dict[str, str] | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run the real `uw` command line in a child process, as a user would."""
    return subprocess.run([*UW, *args], cwd=REPO_ROOT, env=uw_environment(env), capture_output=True, text=True,
                          timeout=timeout, check=False)


@pytest.fixture(scope="session")
def sample_inbox(tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("sample") / "inbox"
    result = run_uw("sample", "--out", str(inbox))
    assert result.returncode == 0, result.stdout + result.stderr
    return inbox


@pytest.fixture(scope="session")
def sample_run(sample_inbox, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """One `uw run` of the default sample, shared by the tests that only read its results.

    Tests using it must share the xdist group `sample_run`, so the run happens once.
    """
    warehouse = tmp_path_factory.mktemp("sample_run") / "warehouse"
    return warehouse, run_uw("run", "--inbox", str(sample_inbox), "--warehouse", str(warehouse))
