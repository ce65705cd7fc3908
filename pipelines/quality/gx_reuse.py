"""Great Expectations on what changed inside a suite: the file groups validated before keep their results.

`gx_carry.py` skips a suite whose inputs did not change, but a new quarter changes
`staging.stg_union_reports`, and its suite used to re-validate every quarter. The chunks of
`gx_chunks.py` are exact because a suite's verdict on a table is the merge, in table order,
of its verdicts on any split of the table into runs of whole file groups (`source_file`,
`sha256`) that follow the table order (`source_file`, `sha256`, `source_row`). So a chunk
validated before gives today the result it gave then when today it holds the same rows, read
the same way, at the same place:

- same rows: the same groups, each with the same row count. A file version's staged rows
  are a function of its bytes (`sha256`) and of the code, and the code is in the key;
- same reading: the key (`reuse_key`) hashes the code version of `build_state.py` (pipelines,
  dbt project, expectations), the suite's JSON, the columns read, the result format, the
  columns that hold a null anywhere in the table (they decide pandas' dtypes, which decide
  some verdicts) and the versions of GX, pandas, numpy and DuckDB;
- same place: its groups are still consecutive in table order (no group arrived between
  them), so its offending rows and sample values sit where a whole read puts them.

Every stored chunk that passes all three is reused. The groups left (new files, and the
groups of a chunk that lost a file version, gained a group inside its range or changed
size) are read as maximal runs between the reused chunks, only their rows, in table order,
through `file_chunks` with the whole table's dtypes, and validated. `merge_results` then
merges all parts in table order, as it merges a whole table's chunks. When anything is
doubtful (a file version under two paths, a null file key, no `source_file`, a changed key,
an unreadable stored chunk, rows that do not match the group list), the whole table is
validated as before, and what is stored is that validation's chunks (or nothing).

The latest validation's chunks replace the suite's stored ones in the transaction that writes
its results (`audit.gx_chunks`, one row per chunk: the table never outgrows one validation
per suite). A chunk is stored only if it reads back equal from JSON and holds at most
`STORE_LIMIT` offending rows (beyond that it is validated again next time); a suite that
reads a personal column (`ingest/columns.py`, flag P) is never stored. No staged table holds
one today: the offending rows of `stg_candidates` carry the pseudonym key, birth year,
gender, employer and dates, never a name, citizen id or birth date.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version

import duckdb
import numpy as np

from pipelines.lib.build_state import code_version
from pipelines.lib.duckdb_tools import insert_rows, table_exists
from pipelines.quality.gx_chunks import FILE_KEY, FilesInterleaved, file_chunks
from pipelines.quality.gx_suites import SuiteEntry
from pipelines.quality.gx_validation import ExpectationResult

LOG = logging.getLogger(__name__)

FILE_COLUMN = "source_file"
STORE_LIMIT = 50_000  # offending rows of all a chunk's expectations
_LIBRARIES = ("great_expectations", "pandas", "numpy", "duckdb")

Group = tuple[str, str, int]  # (source_file, sha256, rows), in table order


@dataclass(frozen=True)
class Chunk:
    """A validated run of whole file groups and the suite's results on exactly those rows."""

    groups: tuple[Group, ...]
    results: tuple[ExpectationResult, ...]


@dataclass
class Reuse:
    """What a validation may reuse (`stored`) and what it leaves to store (`validated`), per suite.

    `stored[suite]` is (key, chunks) of the suite's latest validation; `validated[suite]` is
    (key, [(groups JSON, results JSON)]) of this one, empty when nothing may be stored.
    `groups_read` and `chunks_reused` say what the validation did (logs and tests).
    """

    stored: dict[str, tuple[str | None, list[Chunk]]] = field(default_factory=dict)
    validated: dict[str, tuple[str, list[tuple[str, str]]]] = field(default_factory=dict)
    groups_read: dict[str, list[Group]] = field(default_factory=dict)
    chunks_reused: dict[str, int] = field(default_factory=dict)

    def forget(self, suite: str) -> None:
        """The suite was validated without reusable chunks: its stored ones go."""
        self.validated[suite] = ("", [])


class RowsMismatch(FilesInterleaved):
    """The rows read are not the groups listed: validate the table whole."""


def _personal_columns() -> frozenset[str]:
    from pipelines.ingest.columns import KINDS

    return frozenset(c.name for kind in KINDS.values() for c in kind.columns if c.personal)


def reuse_key(suite: SuiteEntry, columns: list[str], with_nulls: set[str], result_format: dict) -> str:
    """What decides a chunk's results besides its rows (see the module docstring)."""
    parts = [code_version(), suite.name, json.dumps(suite.raw(), sort_keys=True), json.dumps(columns),
             json.dumps(sorted(with_nulls)), json.dumps(result_format, sort_keys=True),
             *(f"{name}={version(name)}" for name in _LIBRARIES)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _list_groups(con: duckdb.DuckDBPyConnection, relation: str, columns: list[str]) -> tuple[list, set[str]]:
    """The table's file groups in table order with their row counts, and the columns holding a null."""
    nulls = ", ".join(f'count(*) filter (where "{c}" is null)' for c in columns)
    rows = con.execute(f'select "{FILE_COLUMN}", "{FILE_KEY}", count(*), {nulls} from {relation} '
                       f'group by "{FILE_COLUMN}", "{FILE_KEY}" order by "{FILE_COLUMN}", "{FILE_KEY}"').fetchall()
    with_nulls = {c for i, c in enumerate(columns) if any(row[3 + i] for row in rows)}
    return [(row[0], row[1], int(row[2])) for row in rows], with_nulls


def _doubtful(groups: list[Group]) -> str | None:
    """Why the table cannot be split by file group for reuse (None: it can)."""
    if any(f is None or s is None for f, s, _ in groups):
        return "a null source_file or sha256"
    if len({s for _, s, _ in groups}) != len(groups):
        return "one file version under two paths"
    return None


def plan_parts(groups: list[Group], chunks: list[Chunk]) -> list[Chunk | tuple[Group, ...]]:
    """The table as parts in table order: reusable stored chunks, and the runs of groups between them.

    A chunk is reusable when each of its groups is present with its row count and they sit
    at consecutive positions of today's order; otherwise its groups join a run to validate.
    """
    position = {(f, s): i for i, (f, s, _) in enumerate(groups)}
    starts: dict[int, Chunk] = {}
    covered: set[int] = set()
    for chunk in chunks:
        at = [position.get((f, s)) for f, s, _ in chunk.groups]
        if not at or None in at or at != list(range(at[0], at[0] + len(at))) or covered & set(at):
            continue
        if any(groups[i][2] != rows for i, (_, _, rows) in zip(at, chunk.groups, strict=True)):
            continue
        starts[at[0]] = chunk
        covered |= set(at)
    parts: list[Chunk | tuple[Group, ...]] = []
    run: list[Group] = []
    i = 0
    while i < len(groups):
        if i in starts:
            parts.extend([tuple(run)] if run else [])
            run = []
            parts.append(starts[i])
            i += len(starts[i].groups)
        else:
            run.append(groups[i])
            i += 1
    parts.extend([tuple(run)] if run or not parts else [])
    return parts


def _run_relation(con: duckdb.DuckDBPyConnection, relation: str, run: tuple[Group, ...]) -> str:
    """Only the rows of the run's groups, through a temporary table (allowed on a read-only connection)."""
    con.execute("create or replace temp table _uw_gx_run as select unnest(?::varchar[]) as source_file, "
                "unnest(?::varchar[]) as sha256", [[g[0] for g in run], [g[1] for g in run]])
    return (f'(select t.* from {relation} t semi join _uw_gx_run g on g.source_file = t."{FILE_COLUMN}" '
            f'and g.sha256 = t."{FILE_KEY}") as run_rows')


def _frame_groups(frame) -> tuple[Group, ...]:
    keys = zip(frame[FILE_COLUMN].tolist(), frame[FILE_KEY].tolist(), strict=True)
    return tuple((f, s, sum(1 for _ in rows)) for (f, s), rows in itertools.groupby(keys))


def _decoded(results: str) -> tuple[ExpectationResult, ...]:
    """Stored results back as objects; JSON's NaN becomes numpy's, the very object pandas gives for a null text."""
    constants = {"NaN": np.nan, "Infinity": float("inf"), "-Infinity": float("-inf")}
    return tuple(ExpectationResult(**r) for r in json.loads(results, parse_constant=constants.__getitem__))


def _encoded(chunk: Chunk) -> tuple[str, str] | None:
    """The chunk as stored (groups, results), or None when it must not be: too big, or not equal read back."""
    if sum(len(r.offending_rows) for r in chunk.results) > STORE_LIMIT or not chunk.groups:
        return None
    try:
        results = json.dumps([asdict(r) for r in chunk.results], ensure_ascii=False)
    except (TypeError, ValueError):
        return None
    if _decoded(results) != chunk.results:
        return None
    return json.dumps(chunk.groups, ensure_ascii=False), results


def _every_chunk(con, relation, columns, chunk_rows, validate_frame, with_nulls=None) -> tuple[list[list], int]:
    """The plain chunked validation of `gx_chunks.py`, for a table that cannot be split by file group."""
    parts, rows = [], 0
    for frame in file_chunks(con, relation, columns, chunk_rows, with_nulls=with_nulls):
        parts.append(validate_frame(frame))
        rows += len(frame)
    return parts, rows


def validate_parts(reuse: Reuse, con: duckdb.DuckDBPyConnection, suite: SuiteEntry, relation: str,
                   columns: list[str], chunk_rows: int, result_format: dict,
                   validate_frame: Callable[[object], list[ExpectationResult]]) -> tuple[list[list], int]:
    """The suite's per-part results in table order (for `merge_results`) and the rows validated.

    Raises `FilesInterleaved` when the rows cannot be read by file group; the caller then
    validates the table whole, and nothing is stored for the suite.
    """
    reuse.forget(suite.name)
    if FILE_COLUMN not in columns:
        LOG.info("GX suite %s: no %s, validated in chunks without reuse", suite.name, FILE_COLUMN)
        return _every_chunk(con, relation, columns, chunk_rows, validate_frame)
    groups, with_nulls = _list_groups(con, relation, columns)
    doubt = _doubtful(groups)
    if doubt:
        LOG.info("GX suite %s: %s, validated in chunks without reuse", suite.name, doubt)
        return _every_chunk(con, relation, columns, chunk_rows, validate_frame, with_nulls)
    key = reuse_key(suite, columns, with_nulls, result_format)
    stored_key, stored = reuse.stored.get(suite.name, (None, []))
    plan = plan_parts(groups, stored if stored_key == key else [])
    parts, chunks, read = [], [], []
    for part in plan:
        if isinstance(part, Chunk):
            parts.append(list(part.results))
            chunks.append(part)
            continue
        rel = relation if len(part) == len(groups) else _run_relation(con, relation, part)
        seen: list[Group] = []
        for frame in file_chunks(con, rel, columns, chunk_rows, with_nulls=with_nulls):
            results = validate_frame(frame)
            chunk = Chunk(_frame_groups(frame), tuple(results))
            parts.append(results)
            chunks.append(chunk)
            seen.extend(chunk.groups)
        if tuple(seen) != part:
            raise RowsMismatch(f"{relation}: the rows read are not the file groups listed")
        read.extend(part)
    reuse.groups_read[suite.name] = read
    reuse.chunks_reused[suite.name] = sum(isinstance(p, Chunk) for p in plan)
    if not set(columns) & _personal_columns():
        reuse.validated[suite.name] = (key, [e for e in map(_encoded, chunks) if e is not None])
    LOG.info("GX suite %s: %d stored chunk(s) reused, %d of %d file group(s) validated", suite.name,
             reuse.chunks_reused[suite.name], len(read), len(groups))
    return parts, sum(g[2] for g in read)


def load_reuse(con: duckdb.DuckDBPyConnection, suite_names: list[str], force: bool = False) -> Reuse:
    """The stored chunks of these suites (none when `force`: a full rebuild validates everything)."""
    reuse = Reuse()
    if force or not suite_names or not table_exists(con, "audit", "gx_chunks"):
        return reuse
    rows = con.execute(f"select suite, reuse_key, groups, results from audit.gx_chunks where suite in "
                       f"({', '.join('?' * len(suite_names))}) order by suite, chunk", suite_names).fetchall()
    for suite, rows_of_suite in itertools.groupby(rows, key=lambda row: row[0]):
        keys, chunks = set(), []
        try:
            for _, key, groups, results in rows_of_suite:
                keys.add(key)
                chunks.append(Chunk(tuple((f, s, int(n)) for f, s, n in json.loads(groups)), _decoded(results)))
        except (TypeError, ValueError):
            keys = set()
        reuse.stored[suite] = (keys.pop(), chunks) if len(keys) == 1 else (None, [])
    return reuse


def store_chunks(con: duckdb.DuckDBPyConnection, run_id: str, reuse: Reuse) -> int:
    """Each suite validated now has its stored chunks replaced (call in the transaction writing its results)."""
    stamp = datetime.now(UTC).replace(tzinfo=None)
    rows = []
    for suite, (key, chunks) in reuse.validated.items():
        con.execute("delete from audit.gx_chunks where suite = ?", [suite])
        rows.extend({"suite": suite, "chunk": i, "reuse_key": key, "groups": groups, "results": results,
                     "run_id": run_id, "validated_at": stamp} for i, (groups, results) in enumerate(chunks))
    insert_rows(con, "audit.gx_chunks", rows)
    return len(rows)
