"""The worker process that imports a heavy library early: it answers as the call would here,
says what it logged, keeps quiet on the terminal, and gives way when it cannot serve."""

from __future__ import annotations

import logging
import os
import sys
from types import SimpleNamespace

import duckdb
import pytest

from pipelines.lib import warm_worker


def _write_module(folder, name: str, body: str) -> None:
    (folder / f"{name}.py").write_text(body, encoding="utf-8")


def _probe(value: int) -> tuple[int, int, bool]:
    """Runs in the worker: its pid, whether the warmed module is loaded there, and a log line."""
    logging.getLogger("pipelines.probe").warning("probe saw %d", value)
    print("this must not reach the terminal")
    return value * 2, os.getpid(), "uw_worker_probe_ok" in sys.modules


def _fails() -> None:
    raise ValueError("the call's own error")


@pytest.fixture
def probe_module(tmp_path, monkeypatch):
    name = "uw_worker_probe_ok"
    _write_module(tmp_path, name, "LOADED = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    yield name
    warm_worker.stop_workers()


def test_the_call_runs_in_the_worker_that_imported_the_module(probe_module, caplog, capfd):
    assert warm_worker.start_worker(probe_module) is True
    assert warm_worker.start_worker(probe_module) is False  # one worker per library
    with caplog.at_level(logging.INFO, logger="pipelines"):
        doubled, pid, loaded = warm_worker.call_in_worker(probe_module, _probe, 21)
    assert (doubled, loaded) == (42, True)
    assert pid != os.getpid()
    assert probe_module not in sys.modules  # imported there, not here
    assert "probe saw 21" in [r.getMessage() for r in caplog.records if r.name == "pipelines.probe"]
    assert "must not reach" not in capfd.readouterr().out
    assert not warm_worker.worker_started(probe_module)  # one call, then it stops


def test_the_calls_exception_comes_back_as_it_is(probe_module):
    warm_worker.start_worker(probe_module)
    with pytest.raises(ValueError, match="the call's own error"):
        warm_worker.call_in_worker(probe_module, _fails)


def test_a_worker_that_cannot_import_gives_way(tmp_path, monkeypatch):
    name = "uw_worker_probe_broken"
    _write_module(tmp_path, name, "raise ImportError('broken on purpose')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert warm_worker.start_worker(name) is True
    with pytest.raises(warm_worker.WorkerUnavailable):
        warm_worker.call_in_worker(name, _probe, 1)


def test_no_worker_for_a_library_already_imported_or_never_started():
    assert warm_worker.start_worker("json") is False
    with pytest.raises(warm_worker.WorkerUnavailable):
        warm_worker.call_in_worker("json", _probe, 1)


def test_validation_in_a_worker_refuses_a_warehouse_another_process_writes(tmp_path, probe_module):
    """A lock must not turn into failed expectations ("table not readable"): the worker says
    the warehouse is held, and the step validates in its own process instead."""
    from pipelines.quality.gx_validation import WarehouseHeld, validate_where_readable

    db = tmp_path / "warehouse.duckdb"
    writer = duckdb.connect(str(db))
    try:
        warm_worker.start_worker(probe_module)
        with pytest.raises(WarehouseHeld):
            warm_worker.call_in_worker(probe_module, validate_where_readable, db, tmp_path / "gx", [], None)
    finally:
        writer.close()


def test_a_run_of_the_whole_job_starts_the_validation_worker():
    """`execute_in_process` without a selection gives the run an empty set, not None: that is
    the whole job, validation included (the warm-up never started while it read as "no")."""
    from dagster import AssetKey

    from pipelines.warehouse.assets import GX_VALIDATION, _validates_later

    def run(selection):
        return SimpleNamespace(run=SimpleNamespace(asset_selection=selection))

    assert _validates_later(run(None)) and _validates_later(run(frozenset()))
    assert _validates_later(run(frozenset({GX_VALIDATION, AssetKey(["marts", "fct_union_report"])})))
    assert not _validates_later(run(frozenset({AssetKey(["marts", "fct_union_report"])})))
