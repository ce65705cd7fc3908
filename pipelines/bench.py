"""`make bench`: what a run costs, against what the machine cannot avoid paying.

    python -m pipelines.bench [--scales 1,40] [--keep DIR]

First it makes the dbt parse of this code version (once per code version; a fresh clone's
first run pays it) and prints its time, so no timed run pays it. For each scale: writes
`uw sample --scale N`, then times, each in a child process as an operator runs it, with its
peak memory:

- cold: `uw run` on the whole inbox into an empty warehouse;
- no-op: the same `uw run` again (nothing new), the median of three;
- new quarter: a second warehouse built without the newest quarter's report folder, then
  `uw run` after the folder arrives (only this last run is timed);

and two references measured on the same machine in the same session, so the ratios hold
even when the machine is slower or busier than usual:

- bare start: `python -c "import dagster, dagster_dbt"`, the median of three;
- floor: reading every inbox file (calamine / csv) plus the cold run's own dbt SQL
  (kept from that run) replayed in one DuckDB connection on a copy of its warehouse.

After the table it prints issue 15's goals judged on these figures (`bench_goals.py`): a
reading aid, never an assertion. The exit status does not depend on them, and no test
times anything; the figures and their history live in docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from pipelines.bench_goals import goal_lines
from pipelines.bench_million import million_row_csv
from pipelines.config import REPO_ROOT

NEWEST_QUARTER_FOLDER = Path("union_reports") / "2022" / "Q3"
KEEP_DBT_ARTIFACTS_ENV = "UW_KEEP_DBT_ARTIFACTS"
SHORT_REPEATS = 3  # the no-op and the bare start are timed this many times; the median is shown


@dataclass
class Timing:
    seconds: float
    peak_mb: float
    returncode: int = 0


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants now (Linux /proc), in KB."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry.name)] = int(fields.get("PPid", "0").strip() or 0)
        rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in tree)


class _TreeMemory(threading.Thread):
    """The largest sum of resident memory over a process tree, sampled every 0.25 s: with
    ingest workers several processes hold memory at once, which `ru_maxrss` (the largest
    single process) would not add up."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.25):
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(self.pid))


def timed_child(args: list[str], env: dict[str, str] | None = None) -> Timing:
    """Wall time and peak resident memory of one child process and everything it started."""
    child_env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"} | (env or {})
    with tempfile.TemporaryFile("w+") as log:
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=REPO_ROOT, env=child_env, stdout=log, stderr=subprocess.STDOUT)
        sampler = _TreeMemory(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 3):
            log.seek(0)
            sys.stderr.write(log.read()[-4000:])
    # ru_maxrss: the largest single process among it and the descendants it waited for; the
    # sampled tree total is the larger figure whenever processes overlap.
    return Timing(seconds, max(usage.ru_maxrss, sampler.peak_kb) / 1024, process.returncode)


def uw(*args: str, env: dict[str, str] | None = None) -> Timing:
    return timed_child([sys.executable, "-m", "pipelines.cli", *args], env)


def bare_start() -> Timing:
    return timed_child([sys.executable, "-c", "import dagster, dagster_dbt"])


def median_of(times: int, measure) -> Timing:
    """The median of a few runs of a short measurement: one start of Python varied between 2.2
    and 3.5 s on this machine within minutes, and every ratio to it with it."""
    timings = sorted((measure() for _ in range(times)), key=lambda t: t.seconds)
    return timings[len(timings) // 2]


def read_every_file(inbox: Path) -> int:
    """Every cell of every readable inbox file, the cheapest way there is; returns the rows read."""
    from python_calamine import CalamineWorkbook

    rows = 0
    for path in sorted(p for p in inbox.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        try:
            if suffix in (".xlsx", ".xls", ".xlsm"):
                book = CalamineWorkbook.from_path(str(path))
                rows += sum(len(book.get_sheet_by_name(name).to_python()) for name in book.sheet_names)
            elif suffix == ".csv":
                with path.open(newline="", encoding="utf-8", errors="replace") as handle:
                    rows += sum(1 for _ in csv.reader(handle))
        except Exception:  # noqa: BLE001 — the sample holds unreadable files on purpose
            continue
    return rows


def _run_sql_in_order(dbt_folder: Path) -> list[str]:
    """The SQL dbt ran in the kept invocation folders, in the order dbt ran it."""
    statements: list[str] = []
    for folder in sorted(dbt_folder.iterdir(), key=lambda p: p.stat().st_mtime):
        results = folder / "run_results.json"
        if not results.exists():
            continue
        for result in json.loads(results.read_text())["results"]:
            compiled, relation = result.get("compiled_code"), result.get("relation_name")
            if not compiled:
                continue
            if result["unique_id"].startswith(("test.", "unit_test.")):
                statements.append(f"select count(*) from ({compiled}) as test_rows")
            elif relation:  # a model: computed once more, into a scratch table
                statements.append(f"create or replace temp table bench_{len(statements)} as {compiled}")
    return statements


def floor(inbox: Path, warehouse: Path, work: Path) -> tuple[float, int]:
    """Seconds to read every file plus replay the cold run's SQL; also the statements replayed."""
    import duckdb

    start = time.perf_counter()
    read_every_file(inbox)
    read_seconds = time.perf_counter() - start
    replay = work / "replay" / "warehouse.duckdb"
    replay.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(warehouse / "warehouse.duckdb", replay)
    statements = _run_sql_in_order(warehouse / "dbt")
    start = time.perf_counter()
    with duckdb.connect(str(replay)) as con:
        for sql in statements:
            con.execute(sql).fetchall()
    return read_seconds + time.perf_counter() - start, len(statements)


def dbt_parse() -> Timing:
    """The project's parse, made once per code version (a fresh clone's first run pays it).

    Made before any timed run, so the first scale's cold run is a cold *warehouse*, as the
    others are, not also a changed dbt project (which added ~15 s to it)."""
    return timed_child([sys.executable, "-c",
                        "from pipelines.warehouse.project import ensure_manifest; ensure_manifest()"])


def scale_figures(scale: int, work: Path) -> dict[str, object]:
    inbox = work / f"inbox_{scale}"
    made = uw("sample", "--out", str(inbox), "--scale", str(scale))
    if made.returncode != 0:
        raise SystemExit(f"uw sample --scale {scale} failed")
    files = sum(1 for p in inbox.rglob("*") if p.is_file())
    cold_wh, quarter_wh = work / f"cold_{scale}", work / f"quarter_{scale}"
    print(f"… scale {scale}: cold run", flush=True)
    cold = uw("run", "--inbox", str(inbox), "--warehouse", str(cold_wh), env={KEEP_DBT_ARTIFACTS_ENV: "1"})
    print(f"… scale {scale}: no-op re-run (median of {SHORT_REPEATS})", flush=True)
    noop = median_of(SHORT_REPEATS, lambda: uw("run", "--inbox", str(inbox), "--warehouse", str(cold_wh)))
    print(f"… scale {scale}: new quarter", flush=True)
    held = work / f"held_{scale}"
    shutil.move(str(inbox / NEWEST_QUARTER_FOLDER), str(held))
    uw("run", "--inbox", str(inbox), "--warehouse", str(quarter_wh))
    shutil.move(str(held), str(inbox / NEWEST_QUARTER_FOLDER))
    new_quarter = uw("run", "--inbox", str(inbox), "--warehouse", str(quarter_wh))
    print(f"… scale {scale}: bare start and floor", flush=True)
    bare = median_of(SHORT_REPEATS, bare_start)
    try:
        floor_seconds, statements = floor(inbox, cold_wh, work)
    except Exception as exc:  # noqa: BLE001 — the other figures are still worth printing
        print(f"floor not measured: {exc!r}", flush=True)
        floor_seconds, statements = float("nan"), 0
    import duckdb

    with duckdb.connect(str(cold_wh / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute("select count(*) from raw.union_reports").fetchone()[0]
    return {"scale": scale, "files": files, "report_rows": rows, "cold": cold, "noop": noop,
            "new_quarter": new_quarter, "bare": bare, "floor": floor_seconds, "statements": statements}


def table(figures: list[dict[str, object]]) -> list[str]:
    lines = [f"{'scale':>5} {'files':>7} {'rows':>9} | {'what':<12} {'seconds':>8} {'peak MB':>8} "
             f"{'× bare':>7} {'× floor':>8} {'× cold':>7}"]
    for f in figures:
        bare, floor_s, cold = f["bare"].seconds, f["floor"], f["cold"].seconds
        for label, timing in (("cold", f["cold"]), ("no-op", f["noop"]), ("new quarter", f["new_quarter"]),
                              ("bare start", f["bare"])):
            status = "" if timing.returncode in (0, 3) else f"  (exit {timing.returncode})"
            lines.append(f"{f['scale']:>5} {f['files']:>7,} {f['report_rows']:>9,} | {label:<12} "
                         f"{timing.seconds:>8.1f} {timing.peak_mb:>8.0f} {timing.seconds / bare:>7.2f} "
                         f"{timing.seconds / floor_s:>8.2f} {timing.seconds / cold:>7.2f}{status}")
        lines.append(f"{f['scale']:>5} {f['files']:>7,} {f['report_rows']:>9,} | {'floor':<12} {floor_s:>8.1f} "
                     f"{'':>8} {floor_s / bare:>7.2f} {1:>8.2f} {floor_s / cold:>7.2f}  "
                     f"({f['statements']} statements)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,40", help="comma-separated sample scales (default 1,40)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temp folder)")
    parser.add_argument("--no-million", action="store_true", help="skip the 1,000,000-row CSV ingest case")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="uw-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        figures = []
        parse = dbt_parse()
        print(f"dbt parse of this code version (once, before the timed runs): {parse.seconds:.1f} s", flush=True)
        for scale in scales:
            figures.append(scale_figures(scale, work))
            print("\n".join(table(figures[-1:])), flush=True)
        million = None if args.no_million else million_row_csv(work)
    print()
    print(f"dbt parse of this code version (once, before the timed runs): {parse.seconds:.1f} s")
    print("\n".join(table(figures)))
    print("\n".join(goal_lines(figures)))
    if million:
        print(million)
    return 0


if __name__ == "__main__":
    sys.exit(main())
