"""Great Expectations on file-aligned chunks gives exactly the whole table's results.

The staged party-organisation table below is hand-made to fail most of its suite in six
files: nulls, unknown types, bad tax codes, duplicated rows within a file, more failures
than the sample keeps, and an integer column that holds a null in one file only (pandas
then types the whole column nullable, which changes GX's verdict on the pair check). A
chunk size of a few rows forces one chunk per file or two; the results must equal the
whole-table read field for field.
"""

import duckdb
import pytest

from pipelines.quality.gx_chunks import FilesInterleaved, can_chunk, file_chunks, whole_table
from pipelines.quality.gx_suites import load_suites

pytestmark = pytest.mark.xdist_group("gx")

ROWS = """
    select 'ORG' || i as org_code,
           case when i % 7 = 0 then null else date '2020-01-01' + (i % 30)::integer end as established_on,
           case when i % 5 = 0 then 'bogus' else 'cell' end as org_type,
           case when i % 4 = 0 then 'x' || i else '0200000101' end as tax_code,
           case when i = 23 then null else i % 9 end::integer as members_at_founding,
           (i % 4)::integer as transferred_members,
           case when i % 11 = 0 then date '2019-01-01' end as dissolved_on,
           'sha-' || (i // 10) as sha256,
           (i % 10 + case when i % 13 = 0 then 1 else 0 end)::integer as source_row,
           'file' || (i // 10) || '.xlsx' as source_file,
           'not validated' as note
    from range(60) r(i)
"""


def _staged(tmp_path, one_content_two_paths: bool = False):
    """The table, physically in reverse so its own order is not the read order."""
    warehouse_db = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse_db)) as con:
        con.execute("create schema staging")
        con.execute(f"create table staging.stg_party_orgs as {ROWS} order by i desc")
        if one_content_two_paths:  # file5 has file0's bytes: its rows come after file1..file4's
            con.execute("update staging.stg_party_orgs set sha256 = 'sha-0' where source_file = 'file5.xlsx'")
    return warehouse_db


def _suite():
    return next(s for s in load_suites() if s.name == "stg_party_orgs")


def test_the_suites_are_chunkable_and_a_ratio_or_table_wide_check_is_not():
    assert all(can_chunk(s) for s in load_suites())
    suite = _suite()
    entry = suite.expectations[0]
    with_mostly = type(entry)(**{**entry.__dict__, "kwargs": {**entry.kwargs, "mostly": 0.9}})
    table_wide = type(entry)(**{**entry.__dict__, "expectation_type": "expect_column_values_to_be_unique"})
    assert not can_chunk(type(suite)(**{**suite.__dict__, "expectations": (with_mostly,)}))
    assert not can_chunk(type(suite)(**{**suite.__dict__, "expectations": (table_wide,)}))


def test_chunks_hold_whole_files_in_file_order(tmp_path):
    columns = ["org_code", "sha256", "source_file", "source_row"]
    with duckdb.connect(str(_staged(tmp_path)), read_only=True) as con:
        chunks = list(file_chunks(con, "staging.stg_party_orgs", columns, chunk_rows=15))
        (whole,) = whole_table(con, "staging.stg_party_orgs", columns)
    assert list(whole["source_file"]) == sorted(whole["source_file"])
    assert len(chunks) == 3
    files = [set(c["sha256"]) for c in chunks]
    assert all(not (a & b) for i, a in enumerate(files) for b in files[i + 1:])
    assert [list(c["org_code"]) for c in chunks] == [list(whole["org_code"][:20]), list(whole["org_code"][20:40]),
                                                     list(whole["org_code"][40:])]


def test_rows_of_a_file_apart_are_refused(tmp_path):
    with duckdb.connect(str(_staged(tmp_path, one_content_two_paths=True)), read_only=True) as con, \
            pytest.raises(FilesInterleaved):
        list(file_chunks(con, "staging.stg_party_orgs", ["source_file", "sha256"], chunk_rows=8))


@pytest.mark.parametrize("one_content_two_paths", [False, True], ids=["files_apart", "one_content_two_paths"])
def test_chunked_results_equal_the_whole_table(tmp_path, one_content_two_paths):
    from pipelines.quality.gx_validation import validate_staging

    warehouse_db = _staged(tmp_path, one_content_two_paths)
    whole = validate_staging(warehouse_db, tmp_path / "gx_whole", [_suite()], chunk_rows=None)
    chunked = validate_staging(warehouse_db, tmp_path / "gx_chunked", [_suite()], chunk_rows=4)

    failed = {r.check_name: r.unexpected_count for r in whole if not r.success}
    assert failed["org_type_known"] == 12 and failed["tax_code_format"] == 15 and failed["one_row_per_source_row"] > 0
    assert "transferred_within_founding_members" in failed  # the nullable column, whole and chunked
    offending = next(r for r in whole if r.check_name == "org_type_known").offending_rows
    assert [(r["source_file"], r["source_row"]) for r in offending] == \
        sorted((r["source_file"], r["source_row"]) for r in offending)
    assert chunked == whole


def test_every_chunk_has_the_dtypes_of_the_whole_table(tmp_path, monkeypatch):
    """DuckDB types an integer column nullable only in a fetch that holds a null; chunks must not differ."""
    from pipelines.quality import gx_chunks

    monkeypatch.setattr(gx_chunks, "_VECTORS_PER_FETCH", 1)
    warehouse_db = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse_db)) as con:
        con.execute("create table t as select 'sha-' || (i // 1000) as sha256, "
                    "case when i = 4999 then null else i end::integer as n, i % 2 = 0 as even from range(5000) r(i)")
    with duckdb.connect(str(warehouse_db), read_only=True) as con:
        whole = con.execute("select sha256, n, even from t").df()
        chunks = list(file_chunks(con, "t", ["sha256", "n", "even"], chunk_rows=1000))
    assert len(chunks) == 5 and str(whole["n"].dtype) == "Int32"
    assert all(dict(c.dtypes) == dict(whole.dtypes) for c in chunks)
