"""A cheap look at the inbox for the sensor and `uw run`: which files are new, and their quarters.

Reads only what deciding needs: file sizes and SHA-256 (the ingest identity), and for a
union-report file just its period column, through the ingest layer's own readers so a
quarter seen here is a quarter ingest will load. Nothing is written to the warehouse.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.ingest.columns import KINDS
from pipelines.ingest.containers import container_verdict, remember_verdict
from pipelines.ingest.dates import parse_period
from pipelines.ingest.errors import UnreadableFile
from pipelines.ingest.inventory import sha256_of, walk_inbox
from pipelines.ingest.loader import FileRejected, open_sheet
from pipelines.ingest.parallel import quiet_worker, worker_count
from pipelines.ingest.values import ValueProblem
from pipelines.lib.warehouse_connection import connect_warehouse

log = logging.getLogger(__name__)

UNION_REPORTS = "union_reports"
RECENT_SECONDS = 5.0  # only files written this recently get a second look
SECOND_LOOK_SECONDS = 0.5


@dataclass(frozen=True)
class SeenFile:
    source_file: str
    kind: str
    path: Path
    size: int
    mtime_ns: int


def readable_files(inbox: Path) -> list[SeenFile]:
    files = []
    for item in walk_inbox(Path(inbox)):
        if not item.readable or item.kind is None:
            continue
        try:
            stat = item.path.stat()
        except OSError:
            continue
        files.append(SeenFile(item.source_file, item.kind, item.path, stat.st_size, stat.st_mtime_ns))
    return files


def still_copying(files: Iterable[SeenFile], wait: float = SECOND_LOOK_SECONDS) -> set[str]:
    """Files whose size changes between two looks: a copy in progress, not a file to read yet.

    Only files modified in the last few seconds are looked at twice, so a settled inbox
    costs no waiting.
    """
    recent = [f for f in files if time.time() - f.mtime_ns / 1e9 < RECENT_SECONDS]
    if not recent:
        return set()
    time.sleep(wait)
    moving = set()
    for f in recent:
        try:
            if f.path.stat().st_size != f.size:
                moving.add(f.source_file)
        except OSError:
            moving.add(f.source_file)
    return moving


def peek_quarters(path: Path, source_file: str = "") -> set[str]:
    """The valid periods of a union-report file; empty when ingest would reject the file.

    A superset of the quarters ingest will load, never less: every row with something in its
    key cell counts (a loaded row needs a valid tax code there), totals and footer rows too,
    and each distinct period cell is parsed once. A quarter too many only adds an empty
    partition; a quarter missed would leave loaded rows unbuilt.
    """
    kind = KINDS[UNION_REPORTS]
    try:
        layout, rows = open_sheet(Path(path), kind, source_file or Path(path).name)
        column, key = layout.index_of("period"), layout.index_of(kind.key)
        if column is None or key is None:
            return set()
        distinct = {(type(cells[column]), cells[column]) for _, cells in rows
                    if column < len(cells) and key < len(cells) and cells[key] not in (None, "")}
    except (FileRejected, UnreadableFile, OSError) as exc:
        log.info("no quarters read from %s: %s", source_file or path, exc)
        return set()  # ingest rejects the whole file, even when the error comes late in it
    except Exception as exc:  # a look must never stop a run or a sensor tick; ingest will say F001
        log.warning("no quarters read from %s: %s: %s", source_file or path, type(exc).__name__, exc)
        return set()
    quarters: set[str] = set()
    for _, cell in distinct:
        try:
            period = parse_period(cell)
        except ValueProblem:
            continue
        if period:
            quarters.add(period)
    return quarters


def ingested_shas(warehouse_db: Path) -> set[str]:
    if not Path(warehouse_db).exists():
        return set()
    try:
        with connect_warehouse(warehouse_db, read_only=True) as con:
            return {sha for (sha,) in con.execute(
                "select distinct sha256 from audit.file_manifest where status in ('loaded', 'quarantined')"
            ).fetchall()}
    except duckdb.Error:  # no manifest yet, or the writer holds the file: treat all as new
        return set()


def loaded_quarters(warehouse_db: Path, source_files: list[str] | None = None) -> set[str]:
    """The quarters with report rows in the warehouse (only those from `source_files`, if given)."""
    if not Path(warehouse_db).exists():
        return set()
    only = "" if source_files is None else "and source_file in (select unnest(?::varchar[]))"
    try:
        with connect_warehouse(warehouse_db, read_only=True) as con:
            return {p for (p,) in con.execute(
                f"select distinct period from raw.union_reports where period is not null {only}",
                [] if source_files is None else [source_files]).fetchall()}
    except duckdb.Error:
        return set()


@dataclass(frozen=True)
class InboxQuarters:
    """What the inbox's new files mean for a run's quarters (`uw run` decides from it).

    `covered`: every quarter a full run covers, those loaded plus those in new report files.
    `changed`: the quarters new report files can change: their own, and those already
    loaded from the same paths (a new version supersedes the old one's rows wherever they
    were). `only_reports_new`: no file of another kind is new, so registers, rosters and
    control totals stay as they are.
    """

    covered: frozenset[str]
    changed: frozenset[str]
    only_reports_new: bool


def quarters_for_run(inbox: Path, warehouse_db: Path) -> set[str]:
    """Every quarter a full run covers: those already loaded plus those in new report files."""
    return set(inbox_quarters(inbox, warehouse_db).covered)


def inbox_quarters(inbox: Path, warehouse_db: Path) -> InboxQuarters:
    """The quarters of the inbox's new files, and those already loaded.

    Many new files (a first run at national size) are looked at by worker processes, as
    ingest reads them (`parallel.worker_count`); the container verdicts they reach come back
    to this process, which hands them on to ingest.
    """
    done = ingested_shas(warehouse_db)
    loaded = loaded_quarters(warehouse_db)
    fresh = [f for f in readable_files(inbox) if sha256_of(f.path) not in done]
    new = [f for f in fresh if f.kind == UNION_REPORTS]
    changed = loaded_quarters(warehouse_db, [f.source_file for f in new]) if new else set()
    workers = worker_count(sum(f.size for f in new))
    if workers < 2 or len(new) < 2:
        for f in new:
            changed |= peek_quarters(f.path, f.source_file)
    else:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=quiet_worker)
        try:
            for found, verdict in pool.map(_peek_in_worker, [(f.path, f.source_file) for f in new]):
                changed |= found
                remember_verdict(verdict)
        finally:  # every answer is in: not waiting for the workers' exits (each frees its modules)
            pool.shutdown(wait=False, cancel_futures=True)
    return InboxQuarters(covered=frozenset(loaded | changed), changed=frozenset(changed),
                         only_reports_new=len(new) == len(fresh))


def _peek_in_worker(job: tuple[Path, str]):
    path, source_file = job
    return peek_quarters(path, source_file), container_verdict(path)
