"""Worker processes read exactly what the sequential ingest reads.

The same inboxes go through `ingest_inbox` twice, once in this process and once with two
workers forced (`UW_INGEST_WORKERS`), and every raw and audit table must come out the
same row for row (load times aside): values, lineage, quarantine, findings, manifest,
file versions. The hostile corpus is in it, so refusals, unreadable bytes and files that
fail half-way must also come out the same when a worker met them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest import ingest_inbox
from pipelines.ingest.parallel import WORKERS_ENV, worker_count
from tests.reliability.hostile_corpus import write_corpus

FIXTURES = Path(__file__).parents[1] / "fixtures"
TODAY = date(2022, 12, 1)
MOMENTS = {"loaded_at", "ingested_at", "recorded_at", "detected_at"}


def _tables(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        names = con.execute("select table_schema || '.' || table_name from information_schema.tables "
                            "where table_schema in ('raw', 'audit') order by 1").fetchall()
        out = {}
        for (name,) in names:
            schema, table = name.split(".")
            columns = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
                "order by ordinal_position", [schema, table]).fetchall() if c not in MOMENTS]
            select = ", ".join(f'"{c}"' for c in columns)
            out[name] = sorted(con.execute(f"select {select} from {name}").fetchall(), key=repr)
        return out


def _ingest(inbox: Path, warehouse: Path, workers: int, monkeypatch) -> None:
    monkeypatch.setenv(WORKERS_ENV, str(workers))
    ingest_inbox(inbox, warehouse / "warehouse.duckdb", warehouse / "archive", "run-parity", today=TODAY)


@pytest.mark.parametrize("inbox", ["fixture", "forms", "hostile"])
def test_workers_load_what_the_run_loads_alone(inbox, tmp_path, monkeypatch):
    source = {"fixture": FIXTURES / "inbox", "forms": FIXTURES / "forms_inbox"}.get(inbox)
    if source is None:
        source = write_corpus(tmp_path / "hostile")
    _ingest(source, tmp_path / "alone", 0, monkeypatch)
    _ingest(source, tmp_path / "workers", 2, monkeypatch)
    alone, with_workers = _tables(tmp_path / "alone" / "warehouse.duckdb"), _tables(
        tmp_path / "workers" / "warehouse.duckdb")
    assert alone.keys() == with_workers.keys()
    for name in alone:
        assert with_workers[name] == alone[name], name
    assert alone["raw.union_reports"], "the inbox loaded report rows"
    assert alone["audit.file_manifest"]


def test_small_inboxes_stay_in_one_process(monkeypatch):
    monkeypatch.delenv(WORKERS_ENV, raising=False)
    assert worker_count(1 << 20) == 0
    assert worker_count(1 << 30) >= 1
    monkeypatch.setenv(WORKERS_ENV, "3")
    assert worker_count(0) == 3


@pytest.mark.parametrize("inbox", ["fixture", "hostile"])
def test_the_quarters_look_finds_the_same_quarters_with_workers(inbox, tmp_path, monkeypatch):
    """And the container verdicts the workers reached are this process's afterwards, for ingest."""
    from pipelines.ingest import containers
    from pipelines.ingest.inbox_scan import quarters_for_run, readable_files

    source = FIXTURES / "inbox" if inbox == "fixture" else write_corpus(tmp_path / "hostile")
    looked_at = [f.path for f in readable_files(source) if f.kind == "union_reports"]
    monkeypatch.setattr(containers, "_VERDICTS", {})
    monkeypatch.setenv(WORKERS_ENV, "0")
    alone = quarters_for_run(source, tmp_path / "none.duckdb")
    verdicts_alone = {p: containers.container_verdict(p) for p in looked_at}
    monkeypatch.setattr(containers, "_VERDICTS", {})
    monkeypatch.setenv(WORKERS_ENV, "2")
    assert quarters_for_run(source, tmp_path / "none.duckdb") == alone
    assert alone
    assert {p: containers.container_verdict(p) for p in looked_at} == verdicts_alone
    assert any(v is not None for v in verdicts_alone.values())
