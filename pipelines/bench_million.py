"""The 1,000,000-row CSV case of `make bench` (issue 13): one consolidated union-report CSV
through `ingest_inbox` in a child process, so the peak memory reported is ingest's own and
shows that memory grows with the data, not faster."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipelines.config import REPO_ROOT

MILLION = 1_000_000
_INGEST_CHILD = """
import resource, sys, time
from pathlib import Path
from pipelines.ingest import ingest_inbox
start = time.perf_counter()
s = ingest_inbox(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), "bench-1m")
print(s.rows_read, round(time.perf_counter() - start, 1), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def million_row_csv(work: Path) -> str:
    """One line for the bench table: rows read, seconds and peak RSS of ingesting 1M rows."""
    base = work / "million"
    path = base / "inbox" / "union_reports" / "hop_nhat_1_trieu_dong.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("Kỳ báo cáo,Mã số thuế,Tên doanh nghiệp,Tổng số lao động,Tổng số đoàn viên,Lần nộp\n")
        for start in range(0, MILLION, 50_000):
            handle.write("".join(f"Quý III/2022,0201000017,Công ty {i},{100 + i % 900},{50 + i % 40},{i + 1}\n"
                                 for i in range(start, start + 50_000)))
    child = subprocess.run([sys.executable, "-c", _INGEST_CHILD, str(base / "inbox"), str(base / "wh.duckdb"),
                            str(base / "archive")], cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if child.returncode != 0:
        return f"ingest 1M-row CSV: failed ({child.stderr.strip().splitlines()[-1:]})"
    rows, seconds, peak_mb = child.stdout.strip().splitlines()[-1].split()  # DuckDB may print progress
    return f"ingest 1M-row CSV: {int(rows):,} rows read in {float(seconds):.1f} s, peak RSS {peak_mb} MB"
