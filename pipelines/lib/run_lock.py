"""One run at a time per warehouse: an exclusive `flock` on `<warehouse>/.uw-run.lock`.

DuckDB admits one writer, and two runs interleaving their steps on one warehouse record wrong
counts and skip checks ("Could not set lock"), so a second run is **refused** (it does not
wait: a queued run of a scheduler is what waiting looks like, and the CLI should say at once
why nothing happens). The run itself takes the lock when its resources start (see
`pipelines.resources.PipelinePaths`), so a run launched by the Dagster daemon or the UI holds
it as well as `uw run`.

`flock` belongs to the open file, and the kernel drops it when the process dies, however it
dies (SIGKILL included): a stale lock never blocks anyone. The file's *content* is only a note
of who took it last: `run_id`, `pid`, `host`, `acquired_at`, and `released_at` once the run
let go normally. A note without `released_at` on a lock nobody holds is the signature of a run
that died holding it, which is how a killed run is found and marked failed
(`pipelines.orchestration.dead_runs`). No Dagster import here: this is a leaf module.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

LOCK_FILE = ".uw-run.lock"


@dataclass(frozen=True)
class LockNote:
    run_id: str
    pid: int
    host: str
    acquired_at: str
    released_at: str | None = None

    @classmethod
    def parse(cls, text: str) -> LockNote | None:
        try:
            data = json.loads(text)
            return cls(str(data["run_id"]), int(data["pid"]), str(data["host"]), str(data["acquired_at"]),
                       data.get("released_at"))
        except (ValueError, KeyError, TypeError):
            return None

    def describe(self) -> str:
        return f"run {self.run_id} (pid {self.pid} on {self.host}, since {self.acquired_at} UTC)"


class WarehouseBusy(Exception):
    """Another run holds the warehouse; the message names it."""

    def __init__(self, warehouse: Path, holder: LockNote | None) -> None:
        who = holder.describe() if holder else "another run (it has not written its name yet)"
        super().__init__(f"warehouse {warehouse} is in use by {who}; try again when it has finished")
        self.holder = holder


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def _read(handle) -> LockNote | None:
    handle.seek(0)
    return LockNote.parse(handle.read())


def _write(handle, note: LockNote) -> None:
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps(note.__dict__))
    handle.flush()
    os.fsync(handle.fileno())


class RunLock:
    """The lock of one warehouse folder, held by one run between `acquire` and `release`."""

    def __init__(self, warehouse: Path) -> None:
        self.warehouse = Path(warehouse)
        self.path = self.warehouse / LOCK_FILE
        self._handle = None
        self.note: LockNote | None = None

    def acquire(self, run_id: str) -> LockNote | None:
        """Take the lock or raise WarehouseBusy. Returns the previous note (the last run to hold
        it: finished if it has `released_at`, otherwise dead)."""
        self.warehouse.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(handle)
            handle.close()
            raise WarehouseBusy(self.warehouse, holder) from None
        previous = _read(handle)
        self.note = LockNote(run_id, os.getpid(), socket.gethostname(), _now())
        _write(handle, self.note)
        self._handle = handle
        return previous

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            if self.note is not None:
                _write(self._handle, LockNote(**{**self.note.__dict__, "released_at": _now()}))
        finally:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def current_holder(warehouse: Path) -> LockNote | None:
    """Who holds the warehouse now, or None when it is free (probes without keeping the lock)."""
    path = Path(warehouse) / LOCK_FILE
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read(handle) or LockNote("(unknown)", 0, "?", "?")
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    return None


def died_holding(warehouse: Path) -> LockNote | None:
    """The note of a run that took the lock and died without releasing it, if the lock is free."""
    path = Path(warehouse) / LOCK_FILE
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return None  # somebody is running: alive by definition
        try:
            note = _read(handle)
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    return note if note is not None and note.released_at is None else None
