"""A stand-in BI client for the concurrency test: reads serving.duckdb read-only in a loop.

Run as `python -m tests.publish.serving_reader SERVING OUT STOP MODE`. Mode `fresh`
opens a new connection for every read (a dashboard refresh); mode `hold` opens one
connection when the file first appears and keeps it (a BI tool left open). Every read
checks, inside one connection, that the marts it sees are the ones the file's own stamp
(`audit.publication`, `audit.publication_tables`) says were published together. One JSON
line per read goes to OUT; the loop ends when STOP exists.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb


def read_once(con: duckdb.DuckDBPyConnection) -> dict:
    run_id, published_at = con.execute("select run_id, published_at from audit.publication").fetchone()
    stamped = dict(con.execute("select table_name, row_count from audit.publication_tables").fetchall())
    latest_run = con.execute("select run_id from audit.runs order by finished_at desc limit 1").fetchone()[0]
    problems = []
    for table in ("marts.headline_figures", "marts.fct_union_report", "marts.dim_enterprise", "audit.runs",
                  "audit.dq_findings"):
        seen = con.execute(f"select count(*) from {table}").fetchone()[0]
        if stamped.get(table) != seen:
            problems.append(f"{table}: {seen} rows, stamp says {stamped.get(table)}")
    if latest_run != run_id:
        problems.append(f"latest audit.runs {latest_run} != publication {run_id}")
    workers = con.execute("select value from marts.headline_figures where metric = 'workers' "
                          "order by as_of desc limit 1").fetchone()[0]
    return {"ok": not problems, "problems": problems, "run_id": run_id, "published_at": str(published_at),
            "runs": stamped.get("audit.runs"), "workers": workers}


def main(serving: Path, out: Path, stop: Path, mode: str) -> None:
    held = None
    with out.open("a", encoding="utf-8") as log:
        while not stop.exists():
            if not serving.exists():
                time.sleep(0.05)
                continue
            record: dict = {"t": time.time(), "mode": mode}
            try:
                if mode == "hold":
                    held = held or duckdb.connect(str(serving), read_only=True)
                    record.update(read_once(held))
                else:
                    with duckdb.connect(str(serving), read_only=True) as con:
                        record.update(read_once(con))
            except Exception as error:  # noqa: BLE001 - every failure is what the test counts
                record.update(ok=False, error=f"{type(error).__name__}: {error}")
            log.write(json.dumps(record) + "\n")
            log.flush()
            time.sleep(0.02)
    if held is not None:
        held.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])
