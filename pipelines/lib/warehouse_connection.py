"""Connections to `warehouse.duckdb`: one DuckDB instance for a whole run, not one per step.

Opening a DuckDB database starts an instance (its four built-in extensions register their
functions) and reads the catalog: ~15–30 ms, even for an empty in-memory one. A run opened
the warehouse ~16 times, a third of a second of a no-op run that does ~1 s of work. While
a run holds the warehouse (`held`, entered by the run's resource, `pipelines/resources.py`),
`connect_warehouse` hands out a cursor of the held connection instead: a connection to the same,
already started instance (~0.1 ms).

A cursor of the held connection can write, even when its caller asked for `read_only`:
in one process that is the only way to share the instance (DuckDB refuses a second
instance of the same file with another configuration), and the run's process is the
warehouse's only writer anyway. Outside a run, `read_only` opens the file read-only, as
before, so readers in other processes can share it.

Two kinds of work need the file free of this process's instance, and run inside
`handed_over`: dbt (dbt-duckdb opens the file itself, with its own configuration) and
Great Expectations in its worker process (another process cannot open a file one
process holds for writing).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb

_lock = threading.RLock()
_held: dict[Path, duckdb.DuckDBPyConnection] = {}


def _key(warehouse_db: Path | str) -> Path:
    return Path(warehouse_db).resolve()


def connect_warehouse(warehouse_db: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse; close it (or use `with`) as any DuckDB connection."""
    with _lock:
        held = _held.get(_key(warehouse_db))
        if held is not None:
            return held.cursor()
    return duckdb.connect(str(warehouse_db), read_only=read_only)


def is_held(warehouse_db: Path | str) -> bool:
    with _lock:
        return _key(warehouse_db) in _held


def hold(warehouse_db: Path | str) -> None:
    """Open the warehouse once and keep it open until `let_go` (a no-op if already held)."""
    key = _key(warehouse_db)
    with _lock:
        if key not in _held:
            key.parent.mkdir(parents=True, exist_ok=True)
            _held[key] = duckdb.connect(str(key))


def let_go(warehouse_db: Path | str) -> None:
    """Close the held connection (DuckDB checkpoints the file once its last connection closes)."""
    with _lock:
        held = _held.pop(_key(warehouse_db), None)
    if held is not None:
        held.close()


@contextlib.contextmanager
def held(warehouse_db: Path | str) -> Iterator[None]:
    hold(warehouse_db)
    try:
        yield
    finally:
        let_go(warehouse_db)


@contextlib.contextmanager
def handed_over(warehouse_db: Path | str) -> Iterator[None]:
    """The file free of this process's held instance for the block (dbt, another process),
    held again after it if it was held before."""
    was_held = is_held(warehouse_db)
    if was_held:
        let_go(warehouse_db)
    try:
        yield
    finally:
        if was_held:
            hold(warehouse_db)
