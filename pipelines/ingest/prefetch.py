"""Which files a run hands to worker processes, and handing them out before the run starts.

`uw run` must know a run's quarters before it launches (the quarter-shaped assets run over a
partition range). For a big inbox it used to find them with a look at every new report's
period column (`inbox_scan.quarters_for_run`), reading each workbook once for the look and
once more for ingest: 3.7 s of a 56 s cold run at scale 40, 36 s of 8 min at scale 400.

So, when workers will read the inbox anyway (`parallel.worker_count`), `uw run` hands the
files to them *before* launching, with the run id it is about to give the run
(`read_before_run`). The quarters are then the periods of the rows the workers actually
produced: exactly the quarters ingest will load, where the look gave a superset. The
ingest asset, when it starts in this process with that run id on the same day, takes
that prefetcher over (`claim_early_read`) instead of starting its own; every file still
goes through its usual path there (de-duplication, its own transaction, its manifest row),
and a file the early read did not hand out is read in the run as before. A run launched
any other way (the UI, a sensor, a schedule) reads as it always did.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from pipelines.ingest.inventory import InboxFile, sha256_of, walk_inbox
from pipelines.ingest.loader import pseudonym_key
from pipelines.ingest.parallel import Prefetcher, Prepared, worker_count
from pipelines.ingest.store import ingested_files

log = logging.getLogger(__name__)

UNION_REPORTS = "union_reports"


def hash_readable(items: list[InboxFile]) -> dict[str, str]:
    """source_file → sha256 of every readable file, read once; a file that cannot be opened is
    left out and meets the same error again where its turn comes."""
    shas = {}
    for item in items:
        if item.readable and item.refusal is None:
            try:
                shas[item.source_file] = sha256_of(item.path)
            except OSError:
                continue
    return shas


def files_to_parse(items: list[InboxFile], shas: dict[str, str],
                   seen: dict[str, set[str]]) -> list[tuple[InboxFile, str]]:
    """The files this run will parse: bytes never seen, the first path in inbox order holding them."""
    todo, taken = [], set()
    for item in items:
        sha = shas.get(item.source_file)
        if sha is None or item.kind is None or sha in seen or sha in taken:
            continue
        taken.add(sha)
        todo.append((item, sha))
    return todo


def start_prefetch(todo: list[tuple[InboxFile, str]], run_id: str, today: date) -> Prefetcher | None:
    """Workers for these files, when there is enough to read to be worth them (`parallel.py`)."""
    workers = worker_count(sum(_size(item.path) for item, _ in todo))
    if workers < 2 or len(todo) < 2:
        return None
    if any(item.kind == "candidates" for item, _ in todo):
        pseudonym_key()  # its warning, if any, from this process: the workers stay quiet
    prefetcher = Prefetcher(workers, run_id, today)
    for item, sha in todo:
        prefetcher.submit(item.path, item.kind, item.source_file, sha)
    return prefetcher


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@dataclass
class EarlyRead:
    warehouse_db: Path
    run_id: str
    today: date
    prefetcher: Prefetcher
    quarters: set[str]


_WAITING: list[EarlyRead] = []  # at most one: the run about to start in this process


def _seen(warehouse_db: Path) -> dict[str, set[str]] | None:
    if not warehouse_db.exists():
        return {}
    try:
        with duckdb.connect(str(warehouse_db), read_only=True) as con:
            return ingested_files(con)
    except duckdb.Error:  # no manifest yet, or another writer holds the file: no early read
        return None


def prepared_quarters(prepared: Prepared) -> set[str]:
    """The periods of the report rows a worker produced for one file (none if it was not loaded)."""
    parts = [part for table, part in prepared.parts if table == f"raw.{UNION_REPORTS}"]
    if prepared.status != "loaded" or not parts:
        return set()
    with duckdb.connect() as con:
        rows = con.execute("select distinct period from read_parquet(?) where period is not null", [parts]).fetchall()
    return {period for (period,) in rows}


def read_before_run(inbox: Path, warehouse_db: Path, run_id: str, today: date | None = None,
                    on_start: Callable[[int, int], None] | None = None) -> EarlyRead | None:
    """Hand the inbox to workers now; the quarters their report rows hold. None when this inbox
    is read in the run's own process (too small for workers) or the warehouse cannot be read.

    `on_start(files, workers)` is told once the workers have the files (the CLI says so: at
    national size this is minutes before the run starts)."""
    discard_early_read()
    today = today or date.today()
    seen = _seen(Path(warehouse_db))
    if seen is None:
        return None
    items = list(walk_inbox(Path(inbox)))
    todo = files_to_parse(items, hash_readable(items), seen)
    prefetcher = start_prefetch(todo, run_id, today)
    if prefetcher is None:
        return None
    if on_start is not None:
        on_start(len(todo), prefetcher.workers)
    try:
        quarters: set[str] = set()
        for item, sha in todo:
            if item.kind == UNION_REPORTS:
                quarters |= prepared_quarters(prefetcher.wait_for(item.source_file, sha))
    except BaseException:
        prefetcher.close()
        raise
    early = EarlyRead(Path(warehouse_db), run_id, today, prefetcher, quarters)
    _WAITING.append(early)
    return early


def claim_early_read(warehouse_db: Path, run_id: str, today: date) -> Prefetcher | None:
    """The prefetcher handed out for this run, on this warehouse, today (None: there is none)."""
    if not _WAITING:
        return None
    early = _WAITING.pop()
    if (early.warehouse_db, early.run_id, early.today) == (Path(warehouse_db), run_id, today):
        log.info("ingest takes over the %d files handed to workers before the run", len(early.prefetcher.futures))
        return early.prefetcher
    early.prefetcher.close()
    return None


def discard_early_read() -> None:
    """Stop the workers of an early read no run took over (the run failed before ingest)."""
    while _WAITING:
        _WAITING.pop().prefetcher.close()
