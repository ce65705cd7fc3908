"""A BI client reading serving.duckdb while `uw run` publishes twice never fails or sees a mix.

Two reader processes run during two real runs on one warehouse: one reconnects for
every read, one keeps the connection it opened on the first version. Every read checks,
in one connection, that the marts match the stamp the publisher wrote into that file.
"""

import json
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO_ROOT, run_uw

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("serving_concurrency")]


def _start_reader(serving, out, stop, mode):
    return subprocess.Popen([sys.executable, "-m", "tests.publish.serving_reader", str(serving), str(out), str(stop),
                             mode], cwd=REPO_ROOT)


def _records(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def reads_during_two_publishes(sample_inbox, tmp_path_factory):
    folder = tmp_path_factory.mktemp("concurrency")
    warehouse, stop = folder / "warehouse", folder / "stop"
    serving = warehouse / "serving.duckdb"
    logs = {mode: folder / f"{mode}.jsonl" for mode in ("fresh", "hold")}
    readers = {mode: _start_reader(serving, log, stop, mode) for mode, log in logs.items()}
    try:
        results = [run_uw("run", "--inbox", str(sample_inbox), "--warehouse", str(warehouse)) for _ in range(2)]
        time.sleep(1.0)  # a few reads of the last version
    finally:
        stop.touch()
        for reader in readers.values():
            reader.wait(timeout=30)
    return results, {mode: _records(log) for mode, log in logs.items()}, [r.returncode for r in readers.values()]


def test_both_runs_published(reads_during_two_publishes):
    results, _, reader_exits = reads_during_two_publishes
    assert [r.returncode for r in results] == [0, 0], results[-1].stdout[-3000:] + results[-1].stderr[-3000:]
    assert reader_exits == [0, 0]


def test_zero_reader_errors_and_every_read_consistent(reads_during_two_publishes):
    _, reads, _ = reads_during_two_publishes
    for mode, records in reads.items():
        assert records, f"reader {mode} never read"
        bad = [r for r in records if not r["ok"]]
        assert bad == [], f"{mode}: {len(bad)} bad reads of {len(records)}, e.g. {bad[:3]}"


def test_the_fresh_reader_saw_both_versions_in_order(reads_during_two_publishes):
    _, reads, _ = reads_during_two_publishes
    versions = [r["run_id"] for r in reads["fresh"]]
    distinct = list(dict.fromkeys(versions))
    assert len(distinct) == 2, distinct
    switch = versions.index(distinct[1])
    assert set(versions[switch:]) == {distinct[1]}  # never back to the old file once the new one is in place
    assert {r["runs"] for r in reads["fresh"]} == {1, 2}


def test_the_held_connection_keeps_the_version_it_opened(reads_during_two_publishes):
    _, reads, _ = reads_during_two_publishes
    held, fresh = reads["hold"], reads["fresh"]
    assert {r["run_id"] for r in held} == {fresh[0]["run_id"]}
    second_version_seen = next(r["t"] for r in fresh if r["run_id"] != fresh[0]["run_id"])
    assert sum(r["t"] > second_version_seen for r in held) > 5  # still reading the old file after the swap
