"""A staged table read for Great Expectations in bounded chunks of whole files, and their results merged.

Read whole, `stg_union_reports` at scale 400 (~4.9 M rows, every column) was one pandas frame
of several GB in the run's process, validated in one go. The suites do not need that:

- every expectation they use is either **row-local** (null, regex, set, range, a pair of
  columns in one row: a row fails or passes on its own values), so the verdict on a table
  is the verdict on its parts, summed;
- or a **uniqueness over columns that include `sha256`** (`(sha256, source_row)`,
  `(sha256, tax_code)`): a duplicate can only pair rows of one file version.

So the table is streamed from DuckDB ordered by file (`source_file`, `sha256`, `source_row`)
and cut only where `sha256` changes, into chunks of about `CHUNK_ROWS` rows (a chunk grows past it to keep a file
whole), with only the columns the expectations name plus the index columns of the
offending rows. The merged result is what the whole table gives: success when every chunk
succeeds, counts summed, offending rows concatenated in table order, the first sample
values kept; an expectation that raised on a chunk raised on the whole table too, and
keeps that chunk's result. Two guards keep it exact:

- a suite with any expectation not known to be row-local or per-file (or with `mostly`,
  whose verdict is a ratio over the whole table) is validated whole, as before;
- rows of one file version that are not contiguous in the stream (one content under two
  paths) make the suite fall back to a whole read.

The order is explicit because the staging views' own order is not stable: their anti-join
with the file versions runs on two threads and interleaves files. So the offending rows,
and which of them become findings (the first 500 per check), no longer vary from run to run;
the whole read (`whole_table`) uses the same order.

DuckDB turns an integer or boolean column into pandas' nullable dtype only when the frame
holds a null, which GX treats differently (a pair comparison on a nullable column can
fail where the plain one passes); each chunk is given the dtype the whole table would get.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import duckdb
import numpy as np
import pandas as pd

from pipelines.quality.gx_suites import SuiteEntry

# GX's pandas engine holds ~2 KB per row while it validates (copies per metric): 100,000 rows
# cost ~0.2 GB, and each chunk adds ~0.4 s of GX's fixed cost per validation.
CHUNK_ROWS = 100_000
FILE_KEY = "sha256"
ORDER_COLUMNS = ("source_file", FILE_KEY, "source_row")
_VECTORS_PER_FETCH = 16  # 16 × 2,048 rows per fetch from DuckDB's stream

ROW_LOCAL = frozenset({
    "expect_column_values_to_not_be_null",
    "expect_column_values_to_be_null",
    "expect_column_values_to_match_regex",
    "expect_column_values_to_not_match_regex",
    "expect_column_values_to_be_in_set",
    "expect_column_values_to_not_be_in_set",
    "expect_column_values_to_be_between",
    "expect_column_pair_values_a_to_be_greater_than_b",
})
PER_FILE = frozenset({"expect_compound_columns_to_be_unique"})


class FilesInterleaved(Exception):
    """Rows of one file version came apart in the stream: chunks would not hold whole files."""


def _columns_named(kwargs: dict) -> list[str]:
    named = [kwargs[k] for k in ("column", "column_A", "column_B") if kwargs.get(k)]
    return named + list(kwargs.get("column_list") or [])


def can_chunk(suite: SuiteEntry) -> bool:
    """Whether every expectation of the suite gives, on file-aligned chunks, the whole table's verdict."""
    for entry in suite.expectations:
        if entry.kwargs.get("mostly", 1) != 1 or "row_condition" in entry.kwargs:
            return False
        if entry.expectation_type in PER_FILE:
            if FILE_KEY not in entry.kwargs.get("column_list", []):
                return False
        elif entry.expectation_type not in ROW_LOCAL:
            return False
    return True


def columns_to_read(suite: SuiteEntry, table_columns: list[str], index_columns: list[str]) -> list[str]:
    """The table's columns the expectations name, the offending rows' index columns and `sha256`, in table order.

    A column an expectation names but the table lacks is left out: GX then reports that
    expectation's error, as it did on the whole table.
    """
    wanted = {c for e in suite.expectations for c in _columns_named(e.kwargs)} | set(index_columns) | {FILE_KEY}
    return [c for c in table_columns if c in wanted]


def _nullable(dtype) -> str | None:
    """pandas' nullable counterpart of a numpy integer or boolean dtype (None: already nullable-capable)."""
    if not isinstance(dtype, np.dtype) or dtype.kind not in "iub":
        return None
    return "boolean" if dtype.kind == "b" else f"{'UInt' if dtype.kind == 'u' else 'Int'}{dtype.itemsize * 8}"


def _as_whole(frame: pd.DataFrame, with_nulls: set[str]) -> pd.DataFrame:
    for column in with_nulls & set(frame.columns):
        target = _nullable(frame[column].dtype)
        if target is not None:
            frame[column] = frame[column].astype(target)
    return frame


def _ordered_select(relation: str, columns: list[str]) -> str:
    order = [f'"{c}"' for c in ORDER_COLUMNS if c in columns]
    select = ", ".join(f'"{c}"' for c in columns)
    return f"select {select} from {relation}" + (f" order by {', '.join(order)}" if order else "")


def whole_table(con: duckdb.DuckDBPyConnection, relation: str, columns: list[str]) -> Iterator[pd.DataFrame]:
    """The table as one frame, in the chunks' order (for suites that cannot be chunked)."""
    yield con.execute(_ordered_select(relation, columns)).df()


def columns_with_nulls(con: duckdb.DuckDBPyConnection, relation: str, columns: list[str]) -> set[str]:
    """The columns that hold a null somewhere in `relation` (pandas types them nullable when read whole)."""
    counts = ", ".join(f'count(*) filter (where "{c}" is null) > 0' for c in columns)
    return {c for c, has in zip(columns, con.execute(f"select {counts} from {relation}").fetchone(), strict=True)
            if has}


def file_chunks(con: duckdb.DuckDBPyConnection, relation: str, columns: list[str],
                chunk_rows: int = CHUNK_ROWS, with_nulls: set[str] | None = None) -> Iterator[pd.DataFrame]:
    """`relation`'s rows in file order, as frames of whole `sha256` groups of about `chunk_rows` rows.

    At least one frame comes out (an empty one for an empty table); `FilesInterleaved` is
    raised as soon as a file's rows reappear after its chunk was handed out. `with_nulls`
    (default: those of `relation`) are the columns given pandas' nullable dtype: a part of a
    table (`gx_reuse.py`) is read with the dtypes of the whole table.
    """
    if with_nulls is None:
        with_nulls = columns_with_nulls(con, relation, columns)
    cursor = con.execute(_ordered_select(relation, columns))
    pending: list[pd.DataFrame] = []
    held, handed_out, done, chunks = 0, set(), False, 0
    while not done:
        batch = cursor.fetch_df_chunk(_VECTORS_PER_FETCH)
        done = batch.empty
        if not done:
            pending.append(_as_whole(batch, with_nulls))
            held += len(batch)
        while held and (held >= chunk_rows or done):
            frame = pd.concat(pending, ignore_index=True) if len(pending) > 1 else pending[0]
            cut = _file_boundary(frame[FILE_KEY], chunk_rows)
            if cut is None and not done:  # the file in progress goes on: read on
                pending = [frame]
                break
            head = frame.iloc[:cut]
            files = set(head[FILE_KEY].dropna().unique())
            if files & handed_out:
                raise FilesInterleaved(f"{relation}: rows of one file version are not contiguous")
            handed_out |= files
            chunks += 1
            yield head.reset_index(drop=True)
            pending = [frame.iloc[len(head):].reset_index(drop=True)]
            held = len(pending[0])
    if chunks == 0:
        yield _as_whole(batch, with_nulls)


def _file_boundary(keys: pd.Series, at_least: int) -> int | None:
    """The first position, not before `at_least`, where `sha256` changes (None: no change there)."""
    values = keys.fillna("").to_numpy()
    changes = np.flatnonzero(values[1:] != values[:-1]) + 1
    later = changes[changes >= at_least]
    return int(later[0]) if len(later) else None


def merge_results(suite: SuiteEntry, parts: list[list], sample_size: int) -> list:
    """One result per expectation, in the suite's order, from every chunk's results.

    GX lists an expectation that raised before the others, so its order differs between
    chunks; the suite's order is the same for any chunking. An expectation that raised on
    one chunk (e.g. a null in a nullable integer pair) would have raised on the whole table,
    where it has no counts: that chunk's result stands for it.
    """
    merged = []
    by_check = [{r.check_name: r for r in chunk} for chunk in parts]
    for entry in suite.expectations:
        same = [chunk[entry.check_name] for chunk in by_check if entry.check_name in chunk]
        raised = next((r for r in same if r.error), None)
        if raised is not None or not same:
            merged.extend([raised] if raised else [])
            continue
        merged.append(replace(
            same[0],
            success=all(r.success for r in same),
            element_count=sum(r.element_count for r in same),
            unexpected_count=sum(r.unexpected_count for r in same),
            offending_rows=[row for r in same for row in r.offending_rows],
            partial_unexpected=[value for r in same for value in r.partial_unexpected][:sample_size],
        ))
    return merged
