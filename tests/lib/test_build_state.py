"""`built_by_other_code`: when a dbt step's incremental models must be rebuilt whole."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.lib import build_state
from pipelines.lib.audit import ensure_audit_schema
from pipelines.lib.build_state import BUILT, SKIPPED, built_by_other_code, log_build


@pytest.fixture
def con():
    with duckdb.connect(":memory:") as connection:
        ensure_audit_schema(connection)
        yield connection


def _log_under(monkeypatch, con, version: str, run_id: str, action: str = BUILT) -> None:
    monkeypatch.setattr(build_state, "code_version", lambda: version)
    log_build(con, run_id, "warehouse_quarter_models", action, "fingerprint")


def test_a_step_never_built_is_built_whole(con):
    assert built_by_other_code(con, "warehouse_quarter_models")


def test_the_same_code_keeps_the_incremental_build(con, monkeypatch):
    _log_under(monkeypatch, con, "v1", "r1")
    assert not built_by_other_code(con, "warehouse_quarter_models")
    assert built_by_other_code(con, "warehouse_models"), "another step's build says nothing about this one"


def test_new_code_since_the_last_build_rebuilds_whole(con, monkeypatch):
    _log_under(monkeypatch, con, "v1", "r1")
    monkeypatch.setattr(build_state, "code_version", lambda: "v2")
    assert built_by_other_code(con, "warehouse_quarter_models")


def test_only_builds_count_not_skips(con, monkeypatch):
    # a skip logged under new code does not make the old build new
    _log_under(monkeypatch, con, "v1", "r1")
    _log_under(monkeypatch, con, "v2", "r2", action=SKIPPED)
    assert built_by_other_code(con, "warehouse_quarter_models")


def test_a_build_logged_before_versions_were_recorded_is_rebuilt_whole():
    with duckdb.connect(":memory:") as con:
        con.execute("create schema audit")
        con.execute("create table audit.build_log (run_id VARCHAR, step VARCHAR, action VARCHAR, "
                    "fingerprint VARCHAR, reason VARCHAR, logged_at TIMESTAMP)")
        con.execute("insert into audit.build_log values ('r0', 'warehouse_quarter_models', 'built', 'f', '', now())")
        assert built_by_other_code(con, "warehouse_quarter_models")
        ensure_audit_schema(con)  # an older warehouse gains the column, its old rows have none
        assert built_by_other_code(con, "warehouse_quarter_models")
