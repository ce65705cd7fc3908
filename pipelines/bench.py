"""`make bench`: how fast is ingest, and a whole `uw run`, on a scaled sample inbox?

    python -m pipelines.bench [--scale 5] [--keep DIR]

Writes `uw sample --scale N` into a temporary folder, times `ingest_inbox` alone (in this
process, into a scratch warehouse) and then a full `uw run` in a child process (ingest +
dbt + checks + report + publish, as an operator runs it), and prints a small table.
Numbers only, no thresholds: timings depend on the machine and what else runs on it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipelines.config import REPO_ROOT


def _timed(label: str, action) -> tuple[object, float]:
    print(f"… {label}", flush=True)
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def _uw(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], cwd=REPO_ROOT, capture_output=True,
                          text=True, check=False)


def _row(step: str, files: int, rows: int, seconds: float) -> str:
    rate = f"{rows / seconds:,.0f}" if seconds > 0 and rows else "-"
    return f"{step:<22}{files:>8,}{rows:>12,}{seconds:>10.1f}{rate:>12}"


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
    """One consolidated 1,000,000-row union-report CSV through `ingest_inbox` in a child process,
    so its own peak RSS is what is reported (issue 13: memory grows with the data, not faster)."""
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
        raise SystemExit(child.stderr[-3000:])
    rows, seconds, peak_mb = child.stdout.strip().splitlines()[-1].split()  # DuckDB may print progress
    return _row("ingest 1M-row CSV", 1, int(rows), float(seconds)) + f"   peak RSS {peak_mb} MB"


def bench(scale: int, work: Path) -> list[str]:
    from pipelines.ingest import ingest_inbox

    inbox = work / "inbox"
    sample, sample_seconds = _timed(f"uw sample --scale {scale}", lambda: _uw("sample", "--out", str(inbox),
                                                                                "--scale", str(scale)))
    if sample.returncode != 0:
        raise SystemExit(sample.stdout + sample.stderr)
    files = sum(1 for p in inbox.rglob("*") if p.is_file())
    summary, ingest_seconds = _timed("ingest_inbox", lambda: ingest_inbox(
        inbox, work / "ingest_only" / "warehouse.duckdb", work / "ingest_only" / "archive", "bench"))
    run, run_seconds = _timed("uw run", lambda: _uw("run", "--inbox", str(inbox), "--warehouse",
                                                    str(work / "warehouse")))
    if run.returncode not in (0, 3):
        raise SystemExit(run.stdout[-3000:] + run.stderr[-3000:])
    return [
        f"{'step':<22}{'files':>8}{'rows':>12}{'seconds':>10}{'rows/s':>12}",
        _row("uw sample", files, 0, sample_seconds),
        _row("ingest_inbox", summary.files_seen, summary.rows_read, ingest_seconds),
        _row("uw run (all steps)", summary.files_seen, summary.rows_read, run_seconds),
        million_row_csv(work),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=5, help="sample scale (default 5)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temp folder)")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        lines = bench(args.scale, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="uw-bench-") as tmp:
            lines = bench(args.scale, Path(tmp))
    print()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
