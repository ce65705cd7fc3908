"""Big inboxes are read by worker processes while the run stores what they have read.

Why: reading and checking rows is Python, one core's worth; a laptop has two or more. Each
worker runs the very same `loader.load_file`, into an in-memory DuckDB of its own with the
raw schema, writes what the file produced as Parquet (DuckDB's own writer) and rolls its
scratch back. The run then inserts those Parquet files into the warehouse inside the
report's own transaction, in inbox order, so lineage, de-duplication, row accounting and "a
file that fails half-way leaves nothing" are exactly those of the sequential path. Small
inboxes stay sequential: starting workers costs ~1 s.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import tempfile
import traceback
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from pipelines.ingest.containers import container_verdict, remember_verdict
from pipelines.ingest.errors import UnreadableFile
from pipelines.ingest.loader import FileRejected, FileResult, load_file
from pipelines.ingest.store import ensure_schema
from pipelines.lib.findings import Finding

log = logging.getLogger(__name__)

WORKERS_ENV = "UW_INGEST_WORKERS"  # 0 or 1: always sequential
PARALLEL_MIN_BYTES = 16 << 20  # below this much to read, workers cost more than they save
# The tables `load_file` writes; a worker's scratch database has them all (`ensure_schema`).
WRITTEN_TABLES = ("raw.enterprises", "raw.union_reports", "raw.party_orgs", "raw.candidates",
                  "raw.control_totals", "audit.quarantine", "raw.quarantine_personal")


@dataclass
class Prepared:
    """What a worker made of one file: its rows as Parquet per table, or why it is quarantined."""

    status: str  # loaded | rejected | unreadable | error
    result: FileResult | None = None
    parts: list[tuple[str, str]] = field(default_factory=list)  # (table, Parquet file)
    finding: Finding | None = None
    detail: str = ""


def worker_count(total_bytes: int) -> int:
    configured = os.environ.get(WORKERS_ENV)
    if configured is not None:
        return max(0, int(configured))
    if total_bytes < PARALLEL_MIN_BYTES:
        return 0
    return min(4, os.cpu_count() or 1)


_SCRATCH: list = []  # the worker's in-memory DuckDB with the raw schema, made once


def _scratch():
    if not _SCRATCH:
        con = duckdb.connect()
        ensure_schema(con)
        _SCRATCH.append(con)
    return _SCRATCH[0]


def prepare_file(path: str, kind: str, source_file: str, sha256: str, run_id: str, today: date,
                 out_prefix: str, verdict=None) -> Prepared:
    """Runs in a worker: the file's rows written as Parquet, or the reason it is not loaded.

    `verdict`: the run's own container check of this file, when the quarters look made it.
    """
    remember_verdict(verdict)
    con = _scratch()
    con.execute("BEGIN TRANSACTION")
    try:
        result = load_file(con, Path(path), kind, source_file, sha256, run_id, today)
        parts = []
        for table in WRITTEN_TABLES:
            if con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]:
                target = f"{out_prefix}.{table}.parquet"
                con.execute(f"COPY (SELECT * FROM {table}) TO '{target}' (FORMAT parquet)")
                parts.append((table, target))
        return Prepared("loaded", result=result, parts=parts)
    except FileRejected as rejected:
        return Prepared("rejected", finding=rejected.finding, detail=rejected.detail)
    except UnreadableFile as exc:
        return Prepared("unreadable", detail=str(exc))
    except Exception as exc:  # noqa: BLE001 — the run decides what an error means, as when sequential
        return Prepared("error", detail=f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    finally:
        con.execute("ROLLBACK")  # the scratch is empty again for the next file


def quiet_worker() -> None:
    """Workers say nothing themselves: the run reports each file's verdict (and the pseudonym
    key warning) once, from its own process and logger."""
    logging.getLogger().addHandler(logging.NullHandler())


class Prefetcher:
    """Files handed to the workers in inbox order, and collected in that order by the run."""

    def __init__(self, workers: int, run_id: str, today: date) -> None:
        self.scratch_dir = Path(tempfile.mkdtemp(prefix="uw-ingest-"))
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=quiet_worker)
        self.run_id, self.today = run_id, today
        self.futures: dict[tuple[str, str], Future] = {}

    def submit(self, path: Path, kind: str, source_file: str, sha256: str) -> None:
        out_prefix = str(self.scratch_dir / f"{len(self.futures):05d}")
        self.futures[(source_file, sha256)] = self.pool.submit(
            prepare_file, str(path), kind, source_file, sha256, self.run_id, self.today, out_prefix,
            container_verdict(path))

    def take(self, source_file: str, sha256: str) -> Prepared | None:
        """The worker's verdict on this file version, or None when it was not handed out."""
        future = self.futures.pop((source_file, sha256), None)
        return None if future is None else future.result()

    def close(self) -> None:
        """Stop the workers; wait for them only when a file is still in hand (its Parquet must
        not land in a removed folder), since each worker's exit takes a while (freeing its modules)."""
        for future in self.futures.values():
            future.cancel()
        self.pool.shutdown(wait=bool(self.futures), cancel_futures=True)
        shutil.rmtree(self.scratch_dir, ignore_errors=True)


def copy_prepared(con, prepared: Prepared) -> None:
    """The worker's rows into the warehouse, inside the caller's open transaction."""
    for table, part in prepared.parts:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet(?)", [part])
        Path(part).unlink(missing_ok=True)
