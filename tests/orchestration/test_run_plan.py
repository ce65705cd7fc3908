"""`nothing_to_rebuild`: the whole-run skip only when the run provably cannot change anything."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from pipelines.ingest.inventory import sha256_of
from pipelines.lib.audit import ensure_audit_schema
from pipelines.lib.build_state import BUILT, SKIPPED, fingerprint, log_build, record_steps_not_run
from pipelines.orchestration.run_plan import NothingToRebuild, nothing_to_rebuild, quarters_to_rebuild

STEPS = {"warehouse_models": (("enterprises",), None)}


@pytest.fixture
def world(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "enterprises").mkdir(parents=True)
    (inbox / "enterprises" / "dn.csv").write_text("ma_so_thue\n0200000000\n", encoding="utf-8")
    (inbox / "union_reports").mkdir()
    (inbox / "union_reports" / "q1.csv").write_text("quy\n2022-Q1\n", encoding="utf-8")
    db = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(db)) as con:
        ensure_audit_schema(con)
        con.execute("insert into audit.runs (run_id, finished_at) values ('r1', ?)", [datetime(2026, 1, 1)])
        for path in sorted(p for p in inbox.rglob("*") if p.is_file()):
            con.execute("insert into audit.file_manifest (run_id, source_file, sha256) values ('r1', ?, ?)",
                        [path.relative_to(inbox).as_posix(), sha256_of(path)])
        log_build(con, "r1", "warehouse_models", BUILT, fingerprint(con, "warehouse_models", ("enterprises",)))
    return inbox, db


def test_the_same_inbox_on_an_unchanged_warehouse_needs_no_rebuild(world):
    inbox, db = world
    assert nothing_to_rebuild(inbox, db, STEPS) == NothingToRebuild(last_run="r1")


@pytest.mark.parametrize("change", ["edited", "added", "removed"])
def test_any_change_to_the_inbox_takes_the_full_run(world, change):
    inbox, db = world
    report = inbox / "union_reports" / "q1.csv"
    if change == "edited":
        report.write_text("quy\n2022-Q2\n", encoding="utf-8")
    elif change == "added":
        (inbox / "union_reports" / "q2.csv").write_text("quy\n2022-Q2\n", encoding="utf-8")
    else:
        report.unlink()
    assert nothing_to_rebuild(inbox, db, STEPS) is None


def test_raw_tables_changed_since_the_last_build_take_the_full_run(world):
    inbox, db = world
    with duckdb.connect(str(db)) as con:  # e.g. a crashed run that loaded rows before dying
        con.execute("create schema if not exists raw")
        con.execute("create table raw.enterprises (tax_code varchar, loaded_at timestamp)")
        con.execute("insert into raw.enterprises values ('0200000000', now())")
    assert nothing_to_rebuild(inbox, db, STEPS) is None


def test_a_step_that_never_built_or_no_warehouse_takes_the_full_run(world, tmp_path):
    inbox, db = world
    never_built = {**STEPS, "great_expectations/stg_enterprises": (("enterprises",), None)}
    assert nothing_to_rebuild(inbox, db, never_built) is None
    assert nothing_to_rebuild(inbox, tmp_path / "absent.duckdb", STEPS) is None


def test_steps_not_run_are_logged_skipped_with_the_build_that_holds(world):
    _, db = world
    with duckdb.connect(str(db)) as con:
        log_build(con, "r2", "great_expectations/stg_enterprises", BUILT, "f")
        assert record_steps_not_run(con, "r2") == ["warehouse_models"]
        rows = con.execute("select step, action, reason from audit.build_log where run_id = 'r2' "
                           "order by step").fetchall()
        assert record_steps_not_run(con, "r2") == []  # once per run
    assert rows == [("great_expectations/stg_enterprises", BUILT, ""),
                    ("warehouse_models", SKIPPED, "not run: the build of run r1 holds")]


# ── quarters_to_rebuild: a run of new report files covers only what they can change ──

QUARTERS = ["2021-Q4", "2022-Q1", "2022-Q2", "2022-Q3"]


def test_only_new_report_files_on_a_warehouse_that_holds_cover_from_their_first_quarter_on(world):
    _, db = world
    assert quarters_to_rebuild(QUARTERS, ["2022-Q3"], True, db, STEPS) == ["2022-Q3"]
    # a late file for an older quarter: every later quarter looks back at it, so all are in
    assert quarters_to_rebuild(QUARTERS, ["2022-Q1", "2022-Q3"], True, db, STEPS) == ["2022-Q1", "2022-Q2", "2022-Q3"]


def test_another_kind_of_new_file_or_no_known_quarter_takes_every_quarter(world):
    _, db = world
    assert quarters_to_rebuild(QUARTERS, ["2022-Q3"], False, db, STEPS) is None
    assert quarters_to_rebuild(QUARTERS, [], True, db, STEPS) is None
    assert quarters_to_rebuild(QUARTERS, ["not a quarter"], True, db, STEPS) is None


def test_a_build_that_no_longer_holds_takes_every_quarter(world, tmp_path):
    _, db = world
    with duckdb.connect(str(db)) as con:  # raw rows changed since the build (a crashed run)
        con.execute("create schema if not exists raw")
        con.execute("create table raw.enterprises (tax_code varchar, loaded_at timestamp)")
        con.execute("insert into raw.enterprises values ('0200000000', now())")
    assert quarters_to_rebuild(QUARTERS, ["2022-Q3"], True, db, STEPS) is None
    assert quarters_to_rebuild(QUARTERS, ["2022-Q3"], True, tmp_path / "absent.duckdb", STEPS) is None
