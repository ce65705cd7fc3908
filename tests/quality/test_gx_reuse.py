"""Re-validating only the file groups that changed gives exactly the whole table's results.

A staged union-report table is hand-made in files of 5–8 rows that fail most of the suite
(bad tax codes, missing periods, members above workers, revision 0, a duplicated source
row), more often than the sample of 10 keeps. With chunks of ~12 rows, a validation stores
chunks of two files; the table then changes the ways a warehouse does (a new quarter, a late
file inside a stored chunk, a superseded file, a removed file, an edited suite, a new null),
and each validation that reuses stored chunks must equal a fresh whole-table read field for
field, while reading only the groups the change touched.
"""

import json

import duckdb
import pytest

from pipelines.lib.audit import ensure_audit_schema
from pipelines.quality.gx_reuse import _personal_columns, load_reuse, plan_parts, store_chunks
from pipelines.quality.gx_suites import load_suites

pytestmark = pytest.mark.xdist_group("gx")

CHUNK = 12
Q1 = [(f"union_reports/2018/Q1/BC_{zone}_Q1_2018.xlsx", f"sha-{zone}-1", rows)
      for zone, rows in (("AD", 6), ("DC2", 7), ("DS", 5), ("DV", 8), ("NCK", 6), ("NDV", 7))]
Q2 = [(f"union_reports/2018/Q2/BC_{zone}_Q2_2018.xlsx", f"sha-{zone}-2", rows)
      for zone, rows in (("AD", 7), ("DS", 6))]
COLUMNS = ("source_file VARCHAR, sha256 VARCHAR, source_row INTEGER, tax_code VARCHAR, period VARCHAR, "
           "workers_total INTEGER, members_total INTEGER, revision INTEGER, workers_female INTEGER, "
           "members_female INTEGER, candidates_admitted INTEGER, admitted_via_core_cell INTEGER")


def _rows(source_file: str, sha256: str, count: int, null_member: bool = False) -> list[tuple]:
    """A file's rows, a function of its content (`sha256`) only, failing checks at content-dependent rows."""
    salt = sum(map(ord, sha256)) % 7
    rows = []
    for i in range(count):
        k = i + salt
        rows.append((
            source_file, sha256, 1 if (i == 2 and salt % 2) else i + 1,
            f"x{k}" if k % 4 == 0 else "0200000101", None if k % 9 == 0 else "2018-Q1",
            50 + i, 100 + i if k % 5 == 0 else 40 + i, 0 if k % 7 == 0 else 1, 10,
            None if (null_member and i == 0) else 5, 3, 5 if k % 6 == 0 else 1,
        ))
    return rows


def _stage(db, files, null_member: str | None = None) -> None:
    """(Re)make staging.stg_union_reports from `files`, stored in reverse so only the explicit order counts."""
    rows = [r for f, s, n in files for r in _rows(f, s, n, null_member == f)]
    with duckdb.connect(str(db)) as con:
        con.execute("create schema if not exists staging")
        con.execute(f"create or replace table staging.stg_union_reports ({COLUMNS})")
        con.executemany(f"insert into staging.stg_union_reports values ({', '.join('?' * 12)})", rows[::-1])


def _suite(directory=None):
    return next(s for s in (load_suites(directory) if directory else load_suites()) if s.name == "stg_union_reports")


def _whole(db, tmp_path, suite):
    from pipelines.quality.gx_validation import validate_staging

    return validate_staging(db, tmp_path / "gx_whole", [suite], chunk_rows=None)


def _reusing(db, tmp_path, suite, force: bool = False):
    """One validation as the GX step does it: load the stored chunks, validate, store this one's."""
    from pipelines.quality.gx_validation import validate_staging

    with duckdb.connect(str(db)) as con:
        reuse = load_reuse(con, [suite.name], force=force)
    results = validate_staging(db, tmp_path / "gx", [suite], chunk_rows=CHUNK, reuse=reuse)
    with duckdb.connect(str(db)) as con:
        ensure_audit_schema(con)
        store_chunks(con, "run", reuse)
    return results, reuse


def _stored(db) -> list[list]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [json.loads(g) for (g,) in con.execute("select groups from audit.gx_chunks order by chunk").fetchall()]


def _group(entry) -> tuple:
    return tuple(entry)


@pytest.fixture
def warehouse(tmp_path):
    """A warehouse whose Q1 was validated once, its chunks stored."""
    db = tmp_path / "warehouse.duckdb"
    _stage(db, Q1)
    results, reuse = _reusing(db, tmp_path, _suite())
    assert results == _whole(db, tmp_path, _suite())
    assert reuse.chunks_reused["stg_union_reports"] == 0 and len(reuse.groups_read["stg_union_reports"]) == len(Q1)
    assert any(not r.success for r in results) and max(r.unexpected_count for r in results) > 10
    assert len(_stored(db)) == 3  # two files a chunk
    return db


def test_a_new_quarter_is_the_only_part_validated(warehouse, tmp_path):
    _stage(warehouse, Q1 + Q2)
    results, reuse = _reusing(warehouse, tmp_path, _suite())
    assert reuse.chunks_reused["stg_union_reports"] == 3
    assert reuse.groups_read["stg_union_reports"] == Q2
    assert results == _whole(warehouse, tmp_path, _suite())
    assert len(_stored(warehouse)) == 4  # the latest validation's chunks only

    again, reuse = _reusing(warehouse, tmp_path, _suite())  # nothing changed: nothing read
    assert reuse.groups_read["stg_union_reports"] == [] and again == results


def test_a_new_quarter_is_read_with_the_dtypes_of_the_whole_table(tmp_path):
    """A null in an old file types the column nullable in a whole read; the new part alone holds none."""
    db = tmp_path / "warehouse.duckdb"
    _stage(db, Q1, null_member=Q1[0][0])
    _reusing(db, tmp_path, _suite())
    _stage(db, Q1 + Q2, null_member=Q1[0][0])
    results, reuse = _reusing(db, tmp_path, _suite())
    assert reuse.chunks_reused["stg_union_reports"] == 3 and reuse.groups_read["stg_union_reports"] == Q2
    assert results == _whole(db, tmp_path, _suite())


def test_a_late_file_inside_a_stored_chunk_revalidates_that_chunk_only(warehouse, tmp_path):
    first, second = (_group(g) for g in _stored(warehouse)[1][:2])
    late = (first[0].replace(".xlsx", "_late.xlsx"), "sha-late", 5)
    assert first[0] < late[0] < second[0]
    _stage(warehouse, Q1 + [late] + Q2)
    results, reuse = _reusing(warehouse, tmp_path, _suite())
    assert reuse.chunks_reused["stg_union_reports"] == 2
    assert reuse.groups_read["stg_union_reports"] == [first, late, second, *Q2]
    assert results == _whole(warehouse, tmp_path, _suite())


@pytest.mark.parametrize("change", ["superseded", "removed"])
def test_a_file_superseded_or_removed_revalidates_its_chunk_only(warehouse, tmp_path, change):
    files = list(Q1)
    gone = files[2]
    if change == "superseded":
        files[2] = (gone[0], "sha-DS-1-corrected", 6)
    else:
        del files[2]
    _stage(warehouse, files)
    results, reuse = _reusing(warehouse, tmp_path, _suite())
    assert reuse.chunks_reused["stg_union_reports"] == 2
    assert reuse.groups_read["stg_union_reports"] == [g for g in files if g[0] in (gone[0], Q1[3][0])]
    assert results == _whole(warehouse, tmp_path, _suite())


def test_a_changed_suite_a_new_null_or_a_forced_rebuild_validates_everything(warehouse, tmp_path):
    data = _suite().raw()
    data["expectations"][1]["kwargs"]["regex"] = "^[0-9]{9}$"  # every row fails now
    (tmp_path / "suites").mkdir()
    (tmp_path / "suites" / "stg_union_reports.json").write_text(json.dumps(data), encoding="utf-8")
    edited = _suite(tmp_path / "suites")
    _stage(warehouse, Q1 + Q2)
    results, reuse = _reusing(warehouse, tmp_path, edited)
    assert reuse.chunks_reused["stg_union_reports"] == 0 and reuse.groups_read["stg_union_reports"] == Q1 + Q2
    assert results == _whole(warehouse, tmp_path, edited)

    # a null where the table had none makes pandas type the whole column nullable: stored verdicts may not hold
    _stage(warehouse, Q1 + Q2, null_member=Q2[1][0])
    results, reuse = _reusing(warehouse, tmp_path, edited)
    assert reuse.chunks_reused["stg_union_reports"] == 0
    assert results == _whole(warehouse, tmp_path, edited)

    _, reuse = _reusing(warehouse, tmp_path, edited, force=True)
    assert reuse.chunks_reused["stg_union_reports"] == 0


def test_the_plan_keeps_table_order_and_never_reuses_a_chunk_with_a_stranger_inside():
    from pipelines.quality.gx_reuse import Chunk

    a, b, c, d, e = (("f" + x, "s" + x, 1) for x in "abcde")
    stored = [Chunk((a, b), ()), Chunk((c, e), ())]
    assert plan_parts([a, b, c, d, e], stored) == [stored[0], (c, d, e)]
    assert plan_parts([a, b, c, e], stored) == stored
    assert plan_parts([a, (b[0], b[1], 2), c, e], stored) == [(a, b[:2] + (2,)), stored[1]]
    assert plan_parts([], stored) == [()]


def test_no_suite_reads_a_personal_column():
    """Stored chunks hold offending rows; the staged tables carry no names, citizen ids or birth dates."""
    from pipelines.quality.gx_chunks import _columns_named
    from pipelines.quality.gx_validation import INDEX_COLUMNS

    personal = _personal_columns()
    assert {"full_name", "birth_date", "citizen_id", "reporter_name"} <= personal
    for suite in load_suites():
        named = {c for e in suite.expectations for c in _columns_named(e.kwargs)} | set(INDEX_COLUMNS)
        assert not named & personal, suite.name
