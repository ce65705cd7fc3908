"""Files that are not what they claim, and one very large CSV: each is F001 or loads, and
nothing raises out of `ingest_inbox` or `uw run`.

The per-file verdicts come from `ingest_inbox` directly (fast); one `uw run` over the
small fuzz inbox shows the whole pipeline survives them. The 1-million-row CSV is ingested
in a child process so that its peak memory can be measured (RUSAGE_CHILDREN) without
dbt rebuilding a million rows.
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.ingest import ingest_inbox
from pipelines.ingest.readers import UnreadableFile, read_rows
from tests.conftest import REPO_ROOT, run_uw
from tests.fixtures import crafted
from tests.fixtures.fixture_data import T

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("fuzz")]

MILLION = 1_000_000
PEAK_RSS_LIMIT = 1536 << 20  # 1.5 GB
HEADER = ("Kỳ báo cáo,Mã số thuế,Tên doanh nghiệp,Tổng số lao động,Lao động nữ,Tổng số đoàn viên,"
          "Đoàn viên nữ,Ngày báo cáo,Lần nộp\n")
ROWS = [["Mã số thuế", "Tên doanh nghiệp"], [T[0], "Công ty A"]]


def fuzz_files() -> dict[str, bytes]:
    rng = random.Random(20221005)
    noise = bytes(rng.getrandbits(8) for _ in range(20_000))
    return {
        "random.xlsx": noise, "random.xls": noise[::-1], "random.csv": noise[1000:],
        "ole_garbage.xlsx": crafted.ole_garbage(), "ole_garbage.xls": crafted.ole_garbage() + b"\x01",
        "encrypted.xlsx": crafted.encrypted_ooxml_lookalike(),
        "password.xls": crafted.password_protected_xls(ROWS),
        "truncated.xlsx": crafted.truncated_xlsx(ROWS), "zip_not_xlsx.xlsx": crafted.zip_not_xlsx(),
        "empty.xlsx": b"", "only_bom.csv": b"\xef\xbb\xbf",  # distinct bytes: no F006 among them
        "nul_bytes.csv": HEADER.encode() + b"2022-Q3,\x00\x00\x00,,1,0,1,0,,\n",
        "half_utf16.csv": HEADER.encode("utf-16")[:-3],
    }


def write_big_csv(path: Path, rows: int) -> None:
    """A consolidated union-report CSV, written in chunks (never held in memory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        chunk = []
        for i in range(rows):
            chunk.append(f"Quý III/2022,{T[i % len(T)]},Công ty {i},\"1.{i % 1000:03d}\",600,900,400,"
                         f"05/10/2022,{i // len(T) + 1}\n")
            if len(chunk) == 50_000:
                handle.write("".join(chunk))
                chunk.clear()
        handle.write("".join(chunk))


@pytest.fixture(scope="module")
def fuzz_inbox(tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("fuzz") / "inbox"
    for name, data in fuzz_files().items():
        crafted.write(inbox / "union_reports" / name, data)
    crafted.write(inbox / "enterprises" / "random.csv", bytes(range(256)) * 50)
    return inbox


def test_every_fuzz_file_is_f001_and_nothing_raises(fuzz_inbox, tmp_path):
    summary = ingest_inbox(fuzz_inbox, tmp_path / "wh.duckdb", tmp_path / "archive", "fuzz")
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        manifest = dict(con.execute("select source_file, status from audit.file_manifest").fetchall())
        f001 = {f for (f,) in con.execute("select source_file from audit.ingest_findings where rule_id = 'F001'")
                .fetchall()}
    assert summary.files_seen == len(manifest) == len(fuzz_files()) + 1
    assert set(manifest.values()) == {"quarantined"}
    assert f001 == set(manifest)


def test_uw_run_survives_the_fuzz_inbox(fuzz_inbox, tmp_path):
    result = run_uw("run", "--inbox", str(fuzz_inbox), "--warehouse", str(tmp_path / "warehouse"))
    # nothing readable, so no union report: the run completes and the gate blocks (outputs.md §3)
    assert result.returncode == 3, result.stdout[-3000:] + result.stderr[-3000:]
    assert "no union reports" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "warehouse" / "serving.duckdb").exists()
    with duckdb.connect(str(tmp_path / "warehouse" / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from audit.dq_findings_current where rule_id = 'F001'").fetchone()[0] == \
            len(fuzz_files()) + 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".yaml"]))
def test_reader_on_random_bytes_returns_rows_or_unreadable(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        for source_row, cells in read_rows(path):
            assert source_row >= 1 and isinstance(cells, list)
    except UnreadableFile:
        pass


INGEST_CHILD = """
import resource, sys, time
from pathlib import Path
from pipelines.ingest import ingest_inbox
start = time.perf_counter()
s = ingest_inbox(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), "big")
print(s.files_loaded, s.files_quarantined, s.rows_read, s.rows_loaded, s.rows_quarantined,
      round(time.perf_counter() - start, 1))
"""


def test_a_million_row_csv_loads_in_bounded_memory(tmp_path):
    inbox = tmp_path / "inbox"
    write_big_csv(inbox / "union_reports" / "hop_nhat_1_trieu_dong.csv", MILLION)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run([sys.executable, "-c", INGEST_CHILD, str(inbox), str(tmp_path / "wh.duckdb"),
                             str(tmp_path / "archive")], cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    loaded, quarantined, read, rows_loaded, rows_quarantined, seconds = result.stdout.split()
    assert (loaded, quarantined) == ("1", "0")
    assert int(read) == int(rows_loaded) == MILLION and rows_quarantined == "0"
    # ru_maxrss of children is the largest child so far (KB on Linux); only meaningful if
    # this child is the largest, which the limit makes it anyway.
    assert max(peak_kb, before) * 1024 < PEAK_RSS_LIMIT, f"peak RSS {peak_kb} KB, {seconds} s"
    print(f"1M-row CSV: {seconds} s, peak RSS of children {peak_kb // 1024} MB")
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        assert con.execute("select count(*), max(source_row) from raw.union_reports").fetchone() == \
            (MILLION, MILLION + 1)
