"""`uw` answers usage questions at once: its version, its exit statuses, a path that is not a folder."""

import re

from pipelines.cli import EXIT_FAILED, EXIT_GATE_BLOCKED, EXIT_OK, EXIT_USAGE
from pipelines.version import pipeline_version
from tests.conftest import run_uw


def test_version():
    result = run_uw("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"uw (union-warehouse) {pipeline_version()}"


def test_run_help_lists_every_exit_status():
    result = run_uw("run", "--help")
    assert result.returncode == 0
    listed = dict(re.findall(r"^\s+(\d)\s+(.+)$", result.stdout.split("exit status:")[1], re.MULTILINE))
    assert set(listed) == {str(s) for s in (EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_GATE_BLOCKED)}
    assert "blocked" in listed[str(EXIT_GATE_BLOCKED)] and "--verbose" in result.stdout


def test_an_inbox_that_is_a_file_is_not_a_folder(tmp_path):
    a_file = tmp_path / "hostname"
    a_file.write_text("x")
    result = run_uw("run", "--inbox", str(a_file), "--warehouse", str(tmp_path / "w"))
    assert result.returncode == EXIT_USAGE
    assert f"--inbox is not a folder: {a_file}" in result.stderr
    assert not (tmp_path / "w").exists()


def test_a_missing_inbox_is_not_found(tmp_path):
    result = run_uw("run", "--inbox", str(tmp_path / "nowhere"), "--warehouse", str(tmp_path / "w"))
    assert result.returncode == EXIT_USAGE
    assert "inbox folder not found" in result.stderr


def test_a_warehouse_that_is_a_file_is_not_a_folder(tmp_path):
    (tmp_path / "inbox").mkdir()
    (tmp_path / "w").write_text("x")
    result = run_uw("run", "--inbox", str(tmp_path / "inbox"), "--warehouse", str(tmp_path / "w"))
    assert result.returncode == EXIT_USAGE
    assert "--warehouse is not a folder" in result.stderr
