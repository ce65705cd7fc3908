"""Handing a big inbox to workers before the run starts changes nothing but when it is read.

`uw run` reads a big inbox's quarters from the rows ingest's workers produce for the run it
is about to launch (`ingest/prefetch.py`); ingest then takes those workers over. The
tables must come out as a run alone makes them, the quarters must be exactly those ingest
loads, and an early read meant for another run (or another day) must never be used.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.ingest import ingest_inbox, prefetch
from pipelines.ingest.parallel import WORKERS_ENV
from tests.ingest.test_parallel import FIXTURES, TODAY, _tables
from tests.reliability.hostile_corpus import write_corpus

RUN = "run-early"


def _ingest(inbox: Path, warehouse: Path, run_id: str = RUN) -> None:
    ingest_inbox(inbox, warehouse / "warehouse.duckdb", warehouse / "archive", run_id, today=TODAY)


def _loaded_quarters(warehouse: Path) -> set[str]:
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        return {p for (p,) in con.execute("select distinct period from raw.union_reports where period is not null")
                .fetchall()}


@pytest.mark.parametrize("inbox", ["fixture", "hostile"])
def test_an_early_read_gives_the_quarters_ingest_loads_and_ingest_takes_it_over(inbox, tmp_path, monkeypatch):
    source = FIXTURES / "inbox" if inbox == "fixture" else write_corpus(tmp_path / "hostile")
    monkeypatch.setenv(WORKERS_ENV, "0")
    _ingest(source, tmp_path / "alone")
    monkeypatch.setenv(WORKERS_ENV, "2")
    told = []
    early = prefetch.read_before_run(source, tmp_path / "early" / "warehouse.duckdb", RUN, today=TODAY,
                                     on_start=lambda files, workers: told.append((files, workers)))
    assert early is not None and early.prefetcher.futures
    assert told == [(len(early.prefetcher.futures), 2)]  # what `uw run` prints while it waits
    handed_out = dict(early.prefetcher.futures)
    _ingest(source, tmp_path / "early")
    assert not prefetch._WAITING and not early.prefetcher.futures  # taken over, every file taken
    assert all(future.done() for future in handed_out.values())
    assert early.quarters == _loaded_quarters(tmp_path / "early") and early.quarters
    alone = _tables(tmp_path / "alone" / "warehouse.duckdb")
    with_early = _tables(tmp_path / "early" / "warehouse.duckdb")
    assert alone.keys() == with_early.keys()
    for name in alone:
        assert with_early[name] == alone[name], name


def test_an_early_read_for_another_run_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv(WORKERS_ENV, "0")
    _ingest(FIXTURES / "inbox", tmp_path / "alone", run_id="run-b")
    monkeypatch.setenv(WORKERS_ENV, "2")
    early = prefetch.read_before_run(FIXTURES / "inbox", tmp_path / "other" / "warehouse.duckdb", "run-a",
                                     today=TODAY)
    assert early is not None
    _ingest(FIXTURES / "inbox", tmp_path / "other", run_id="run-b")  # its own workers, its own run id
    assert not prefetch._WAITING
    assert all(future.done() or future.cancelled() for future in early.prefetcher.futures.values())
    assert _tables(tmp_path / "other" / "warehouse.duckdb") == _tables(tmp_path / "alone" / "warehouse.duckdb")


def test_files_already_ingested_are_not_read_early(tmp_path, monkeypatch):
    monkeypatch.setenv(WORKERS_ENV, "0")
    _ingest(FIXTURES / "inbox", tmp_path / "done")
    monkeypatch.setenv(WORKERS_ENV, "2")
    assert prefetch.read_before_run(FIXTURES / "inbox", tmp_path / "done" / "warehouse.duckdb", RUN) is None


def test_a_small_inbox_is_read_in_the_run(tmp_path, monkeypatch):
    monkeypatch.delenv(WORKERS_ENV, raising=False)
    assert prefetch.read_before_run(FIXTURES / "inbox", tmp_path / "warehouse.duckdb", RUN) is None
    assert not prefetch._WAITING
