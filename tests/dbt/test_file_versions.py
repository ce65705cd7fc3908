"""A corrected file re-sent under the same path supersedes the rows of its older version.

On the hand-made raw schema (raw_fixture.py) plus three 2022-Q4 files:
  build 1  P = union_reports/2022/q4_dv.xlsx, version 1 (loaded 2022-12-01): A 2022-Q4 with 140
           workers (revision 1) and B 2022-Q4 revision 2 (80 workers), which wins over
           R = union_reports/2022/q4_b.xlsx (loaded 2022-11-20, B 2022-Q4 revision 1, 75 workers).
           Q = union_reports/2022/q4_e.xlsx holds E 2022-Q4.
  build 2  P, version 2 (loaded 2023-01-15): A 2022-Q4 with 150 workers and the same revision
           and submission date, and no B row. Without versions A would be an E004 conflict
           (both excluded); with them the correction wins, B falls back to R's revision 1
           (a pair with no newly loaded row: the incremental mart must still rebuild it),
           and Q's E row is untouched. The incremental table equals a full refresh.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from .conftest import run_dbt
from .raw_fixture import A, B, E, _report, create_raw
from .test_incremental import _full_refresh_of, _mart, _ok, _without_build_columns

pytestmark = pytest.mark.xdist_group("dbt_file_versions")

P, R, Q = "union_reports/2022/q4_dv.xlsx", "union_reports/2022/q4_b.xlsx", "union_reports/2022/q4_e.xlsx"
P1, P2, R1, Q1 = ("a" * 64), ("b" * 64), ("c" * 64), ("d" * 64)


def _load(db_path, source_file: str, sha: str, rows: list[tuple], loaded_at: datetime) -> None:
    """What ingest does for one loaded file: its rows, then its version of the path."""
    with duckdb.connect(str(db_path)) as con:
        for row_no, row in enumerate(rows, start=2):
            values = (*row, source_file, row_no, sha, "run-later", loaded_at, "{}")
            con.execute(f"insert into raw.union_reports values ({', '.join(['?'] * len(values))})", list(values))
        con.execute("insert into raw.file_versions values (?, ?, 'union_reports', 'loaded', 'run-later', ?)",
                    [source_file, sha, loaded_at])


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dbt_file_versions")
    db_path = tmp / "warehouse.duckdb"
    create_raw(str(db_path))
    _load(db_path, R, R1, [_report("2022-Q4", B, 75, 60, 0, 0, 0, "2023-01-04")], datetime(2022, 11, 20, 9))
    _load(db_path, Q, Q1, [_report("2022-Q4", E, 75, 70, 0, 0, 0, "2023-01-06")], datetime(2022, 11, 20, 9))
    _load(db_path, P, P1, [
        _report("2022-Q4", A, 140, 125, 1, 0, 0, "2023-01-05"),
        _report("2022-Q4", B, 80, 70, 0, 0, 0, "2023-01-07", revision=2),
    ], datetime(2022, 12, 1, 9))
    _ok(run_dbt(["build", "--resource-type", "seed", "--resource-type", "model"], db_path, tmp))
    first = _mart(db_path)

    _load(db_path, P, P2, [_report("2022-Q4", A, 150, 130, 1, 0, 0, "2023-01-05")], datetime(2023, 1, 15, 9))
    _ok(run_dbt(["run"], db_path, tmp))
    second = _mart(db_path)
    with duckdb.connect(str(db_path), read_only=True) as con:
        findings = con.execute(
            "select rule_id, tax_code, period from intermediate.int_dq_findings where period = '2022-Q4'"
        ).fetchall()
        staged = con.execute(
            "select sha256, count(*) from staging.stg_union_reports where period = '2022-Q4' group by sha256"
        ).fetchall()
        raw = con.execute("select count(*) from raw.union_reports where source_file = ?", [P]).fetchone()[0]
    second_full = _full_refresh_of(db_path, tmp)
    return {"first": first, "second": second, "second_full": second_full,
            "findings": findings, "staged": dict(staged), "raw_rows_of_p": raw}


def test_first_version_as_loaded(builds):
    first = builds["first"]
    assert first[(A, "2022-Q4")]["workers_total"] == 140
    assert (first[(B, "2022-Q4")]["workers_total"], first[(B, "2022-Q4")]["source_file"]) == (80, P)


def test_the_corrected_figure_wins_without_an_e004(builds):
    second = builds["second"]
    assert second[(A, "2022-Q4")]["workers_total"] == 150
    assert second[(A, "2022-Q4")]["source_file"] == P
    assert not [f for f in builds["findings"] if f[0] == "E004"]


def test_a_row_left_out_of_the_correction_no_longer_counts(builds):
    # B's revision 2 was only in the first version of P: R's revision 1 is the report now
    b = builds["second"][(B, "2022-Q4")]
    assert (b["workers_total"], b["revision"], b["source_file"]) == (75, 1, R)


def test_other_paths_are_not_affected(builds):
    first, second = builds["first"], builds["second"]
    assert second[(E, "2022-Q4")] == first[(E, "2022-Q4")]  # not rebuilt, built_at included
    assert builds["staged"] == {P2: 1, R1: 1, Q1: 1}


def test_both_versions_stay_in_raw(builds):
    assert builds["raw_rows_of_p"] == 3


def test_incremental_equals_full_refresh_after_a_correction(builds):
    assert _without_build_columns(builds["second"]) == _without_build_columns(builds["second_full"])
