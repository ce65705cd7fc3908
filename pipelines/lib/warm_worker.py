"""A helper process that imports a heavy library early, for a step that needs it later.

Great Expectations costs ~5 s to import on a quiet machine (10 s under load). Session 4
imported it on a side thread while the dbt steps ran, hoping DuckDB would leave the
interpreter free; but at the default sample's size dbt is mostly Python, so the import
competed with dbt for the GIL and a scale-1 run lost in the dbt steps what it won in
validation (docs/performance.md, session 6). A process of its own imports it on the other
core instead, and the step that needs the library hands that process one call.

The call is an ordinary function of picklable arguments, run as it would run in the step:
`call_in_worker` returns its value, re-raises its exception, and re-logs the records it
logged under `pipelines` (the worker's own output is silenced, so a warning cannot land on
the operator's terminal). A worker that could not start or died raises `WorkerUnavailable`,
and the caller does the work in its own process. One call per worker: it is shut down after.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

log = logging.getLogger(__name__)

_WORKERS: dict[str, ProcessPoolExecutor] = {}


class WorkerUnavailable(RuntimeError):
    """No worker was started for the library, or it broke: do the work in this process."""


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _import_quietly(module: str) -> None:
    """The worker's start: nothing it prints reaches the terminal; then the import itself."""
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 — the process's lifetime
    logging.captureWarnings(True)
    importlib.import_module(module)


def _ready() -> int:
    return os.getpid()


def _call_and_collect(fn: Callable[..., Any], args: tuple, kwargs: dict) -> tuple[Any, list]:
    handler = _Records()
    loggers = [logging.getLogger("pipelines"), logging.getLogger("py.warnings")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        return fn(*args, **kwargs), handler.records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def start_worker(module: str) -> bool:
    """Start a process importing `module` now; False when one is running, the module is
    already imported here, or the machine has a single core (nothing to overlap with)."""
    if module in _WORKERS or module in sys.modules or (os.cpu_count() or 1) < 2:
        return False
    worker = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_import_quietly, initargs=(module,))
    worker.submit(_ready)  # the pool starts its process on the first submit: the import begins now
    _WORKERS[module] = worker
    log.info("worker process importing %s started", module)
    return True


def worker_started(module: str) -> bool:
    return module in _WORKERS


def call_in_worker(module: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`fn(*args, **kwargs)` in the worker that imported `module`, then the worker stops."""
    worker = _WORKERS.pop(module, None)
    if worker is None:
        raise WorkerUnavailable(f"no worker process for {module}")
    try:
        value, records = worker.submit(_call_and_collect, fn, args, kwargs).result()
    except BrokenProcessPool as exc:  # the import failed or the process died: the caller decides
        raise WorkerUnavailable(f"the worker process for {module} broke: {exc}") from exc
    finally:  # not waiting: a spawned process's exit frees every module it imported (~0.7 s with GX)
        worker.shutdown(wait=False, cancel_futures=True)
    for name, level, message in records:
        logging.getLogger(name).log(level, "%s", message)
    return value


def stop_workers() -> None:
    """Workers nobody called (the step that needed them did not run) end with the process."""
    while _WORKERS:
        _, worker = _WORKERS.popitem()
        with contextlib.suppress(Exception):
            worker.shutdown(wait=True, cancel_futures=True)


atexit.register(stop_workers)
