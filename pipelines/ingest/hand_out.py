"""Which files a run hands to ingest's worker processes (`parallel.py`), and handing them out.

A file is parsed by a worker when the run will parse it at all: bytes never seen before, at
the first path in inbox order that holds them. Workers start only when there is enough to
read to be worth their start-up (`parallel.worker_count`).

Tried and left (session 5): handing a big inbox to the workers *before* `uw run` launches,
to take the run's quarters from the rows they read instead of the quarters look (which reads
every new workbook once more). On the scale-40 sample it saved the look (3.7 s) but lost as
much: the run's own process could no longer insert one file while the workers read the
next, so the inserts ran after the reading instead of beside it (loading + ingest 27.6 s
against 24.7–28 s before). docs/performance.md.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipelines.ingest.inventory import InboxFile, sha256_of
from pipelines.ingest.loader import pseudonym_key
from pipelines.ingest.parallel import Prefetcher, worker_count


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
