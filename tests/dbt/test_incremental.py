"""marts.fct_union_report is incremental: a new quarter does not rebuild history.

On the hand-made raw schema (raw_fixture.py, every row loaded 2022-11-01):
  build 1  everything; 8 accepted pairs (B 2022-Q3 is an E004 pair, the E002 report is out).
  batch 2  loaded 2022-12-01: the new quarter 2022-Q4 (A, E), a late revision 2 of A 2022-Q1,
           a revision 2 of B 2022-Q3 (resolves its E004 pair), and a conflicting copy of
           C 2022-Q2 (turns it into E004, so the pair leaves the mart).
           → only A Q1, B Q3, A Q4, E Q4 are written; C Q2 is deleted; the other six
             rows keep their built_at; the table equals a full refresh.
  batch 3  loaded 2023-01-10: a registry snapshot dated 2022-09-20 that lists only E (zone
           changed). It is in force at 2022-09-30 and 2022-12-31, so every report of those
           quarters is recomputed (A is no longer in force there), and every report of E;
           A Q1, A Q2, B Q2 keep their built_at; the table equals a full refresh.
"""

from __future__ import annotations

import shutil
from datetime import datetime

import duckdb
import pytest

from .conftest import run_dbt
from .raw_fixture import A, B, C, E, _registry, _report, create_raw, d

pytestmark = pytest.mark.xdist_group("dbt_incremental")

# lineage of the build itself: a row that was not rewritten keeps the values of the build
# that wrote it, so these two are left out when comparing with a full refresh
BUILD_COLUMNS = {"built_at", "registry_loaded_at"}

COLUMNS_QUERY = """
select column_name from information_schema.columns
where table_schema = 'marts' and table_name = 'fct_union_report' order by ordinal_position
"""


def _append(db_path, table: str, source_file: str, rows: list[tuple], loaded_at: datetime) -> None:
    sha = source_file.replace("/", "_").ljust(64, "0")[:64]
    with duckdb.connect(str(db_path)) as con:
        for row_no, row in enumerate(rows, start=2):
            values = (*row, source_file, row_no, sha, "run-later", loaded_at, "{}")
            con.execute(f"insert into raw.{table} values ({', '.join(['?'] * len(values))})", list(values))


def _mart(db_path) -> dict[tuple[str, str], dict]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        columns = [row[0] for row in con.execute(COLUMNS_QUERY).fetchall()]
        rows = con.execute(f"select {', '.join(columns)} from marts.fct_union_report").fetchall()
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    return {(r["tax_code"], r["period"]): r for r in records}


def _without_build_columns(mart: dict) -> dict:
    return {key: {c: v for c, v in row.items() if c not in BUILD_COLUMNS} for key, row in mart.items()}


def _ok(result) -> None:
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def _full_refresh_of(db_path, tmp_path) -> dict:
    """fct_union_report as a full refresh would build it, leaving the warehouse as it was.

    The refresh runs on the same file (the same profile, so dbt parses partially) and the
    incremental state is put back afterwards.
    """
    saved = tmp_path / "incremental_state.duckdb"
    shutil.copyfile(db_path, saved)
    _ok(run_dbt(["run", "--full-refresh", "--select", "fct_union_report"], db_path, tmp_path))
    refreshed = _mart(db_path)
    shutil.move(saved, db_path)
    return refreshed


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dbt_incremental")
    db_path = tmp / "warehouse.duckdb"
    create_raw(str(db_path))
    _ok(run_dbt(["build", "--resource-type", "seed", "--resource-type", "model"], db_path, tmp))
    first = _mart(db_path)

    _append(db_path, "union_reports", "union_reports/2022/later.xlsx", [
        _report("2022-Q4", A, 140, 125, 1, 0, 0, "2023-01-05"),
        _report("2022-Q4", E, 75, 70, 0, 0, 0, "2023-01-06"),
        _report("2022-Q1", A, 101, 91, 5, 2, 1, "2022-11-20", revision=2),
        _report("2022-Q3", B, 62, 51, 0, 0, 0, "2022-11-21", revision=2),
        _report("2022-Q2", C, 201, 150, 0, 0, 0, "2022-07-07"),
    ], datetime(2022, 12, 1, 9, 0, 0))
    _ok(run_dbt(["run"], db_path, tmp))
    second = _mart(db_path)
    second_full = _full_refresh_of(db_path, tmp)

    _append(db_path, "enterprises", "enterprises/2022-09-20.xlsx", _registry("2022-09-20", [
        (E, "Công ty E", "VSIP", "fdi", "Hàn Quốc", d("2022-03-01"), "stable", True, d("2022-07-01"), None),
    ]), datetime(2023, 1, 10, 9, 0, 0))
    _ok(run_dbt(["run"], db_path, tmp))
    third = _mart(db_path)
    third_full = _full_refresh_of(db_path, tmp)
    return {"first": first, "second": second, "second_full": second_full,
            "third": third, "third_full": third_full}


def _rewritten(before: dict, after: dict) -> set[tuple[str, str]]:
    return {key for key, row in after.items() if key not in before or row["built_at"] != before[key]["built_at"]}


def test_first_build_has_every_accepted_pair(builds):
    assert set(builds["first"]) == {
        (A, "2022-Q1"), (A, "2022-Q2"), (A, "2022-Q3"), (B, "2022-Q2"), (C, "2022-Q2"), (C, "2022-Q3"),
        ("0200000004", "2022-Q3"), (E, "2022-Q3"),
    }
    assert len({row["built_at"] for row in builds["first"].values()}) == 1


def test_new_quarter_and_late_revisions_touch_only_their_pairs(builds):
    first, second = builds["first"], builds["second"]
    assert _rewritten(first, second) == {(A, "2022-Q1"), (B, "2022-Q3"), (A, "2022-Q4"), (E, "2022-Q4")}
    assert (C, "2022-Q2") not in second  # became an E004 pair: removed by the post-hook
    for key in set(first) - {(A, "2022-Q1"), (C, "2022-Q2")}:
        assert second[key] == first[key], key  # untouched, built_at included
    assert second[(A, "2022-Q1")]["revision"] == 2
    assert second[(A, "2022-Q1")]["workers_total"] == 101
    assert second[(B, "2022-Q3")]["workers_total"] == 62


def test_incremental_equals_full_refresh_after_new_reports(builds):
    assert _without_build_columns(builds["second"]) == _without_build_columns(builds["second_full"])


def test_new_registry_snapshot_recomputes_the_quarters_it_is_in_force(builds):
    second, third = builds["second"], builds["third"]
    assert _rewritten(second, third) == {key for key in second if key[1] in ("2022-Q3", "2022-Q4")}
    for key in ((A, "2022-Q1"), (A, "2022-Q2"), (B, "2022-Q2")):
        assert third[key] == second[key], key
    # only E is listed in the snapshot in force at 2022-09-30 and 2022-12-31
    assert third[(E, "2022-Q3")]["zone_code"] == "VSIP"
    assert third[(A, "2022-Q3")]["counted_in_union_enterprises"] is False
    assert second[(A, "2022-Q3")]["counted_in_union_enterprises"] is True


def test_incremental_equals_full_refresh_after_new_registry(builds):
    assert _without_build_columns(builds["third"]) == _without_build_columns(builds["third_full"])
