"""Re-reading one or more quarters of union reports from the archive, leaving the rest alone.

Ingest parses each file once; a quarter re-run is for when the readers changed (a fix)
and a quarter's rows should be read again. The archive (`archive/<sha[:2]>/<sha><ext>`)
holds the exact bytes, and the manifest says which files they were. Each file is parsed
into an in-memory DuckDB with the ingest loader itself, only the chosen quarters' rows
are kept, and the swap (delete + insert) is one transaction, so other quarters' rows —
and their `loaded_at` — are untouched and a failure leaves the old rows in place.
Findings of the re-read are not rewritten: ingest findings stay tied to the file's bytes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from pipelines.ingest.inventory import archive_path
from pipelines.ingest.loader import FileRejected, load_file
from pipelines.ingest.readers import UnreadableFile
from pipelines.ingest.store import ensure_schema
from pipelines.lib.warehouse_connection import connect_warehouse

log = logging.getLogger(__name__)

KIND = "union_reports"


@dataclass(frozen=True)
class RereadOutcome:
    mode: str  # "ingested in this run" or "re-read from archive"
    files: int
    rows: int


def _placeholders(values: list[str]) -> str:
    return ", ".join("?" for _ in values)


def _files_holding(con, quarters: list[str]) -> list[tuple[str, str, str]]:
    """(sha256, source_file, format) of loaded report files with rows of these quarters, or with
    quarantined rows (a fixed reader may now accept some of them)."""
    return con.execute(f"""
        select distinct m.sha256, m.source_file, m.file_format
        from audit.file_manifest m
        where m.kind = '{KIND}' and m.status = 'loaded'
          and (m.rows_quarantined > 0 or exists (
                select 1 from raw.union_reports r
                where r.sha256 = m.sha256 and r.period in ({_placeholders(quarters)})))
        order by m.source_file
    """, quarters).fetchall()


def reread_quarters(warehouse_db: Path, archive_dir: Path, quarters: list[str], run_id: str) -> RereadOutcome:
    with connect_warehouse(warehouse_db) as con:
        ensure_schema(con)
        ingested_now = con.execute(
            "select count(*) from audit.file_manifest where run_id = ?", [run_id]).fetchone()[0]
        if ingested_now:
            rows = con.execute(f"select count(*) from raw.union_reports where period in ({_placeholders(quarters)})",
                               quarters).fetchone()[0]
            return RereadOutcome("ingested in this run", 0, rows)
        files = _files_holding(con, quarters)
    frames = []
    for sha, source_file, file_format in files:
        path = archive_path(Path(archive_dir), sha, f".{file_format}")
        frame = _quarter_rows(path, source_file, sha, run_id, quarters)
        if frame is not None:
            frames.append(frame)
    with connect_warehouse(warehouse_db) as con:
        con.execute("begin transaction")
        try:
            con.execute(f"delete from raw.union_reports where period in ({_placeholders(quarters)})", quarters)
            for frame in frames:
                con.register("_uw_reread", frame)
                con.execute("insert into raw.union_reports by name select * from _uw_reread")
                con.unregister("_uw_reread")
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
    return RereadOutcome("re-read from archive", len(files), sum(len(f) for f in frames))


def _quarter_rows(path: Path, source_file: str, sha: str, run_id: str, quarters: list[str]):
    if not path.exists():
        raise FileNotFoundError(f"archive copy of {source_file} is missing: {path}")
    with duckdb.connect() as mem:
        ensure_schema(mem)
        try:
            load_file(mem, path, KIND, source_file, sha, run_id, date.today())
        except (FileRejected, UnreadableFile) as exc:
            log.warning("re-read of %s rejected the file; its rows of %s are dropped: %s",
                        source_file, ", ".join(quarters), exc)
            return None
        return mem.execute(f"select * from raw.union_reports where period in ({_placeholders(quarters)})",
                           quarters).df()


def quarter_counts(warehouse_db: Path, quarters: list[str]) -> dict[str, tuple[int, str]]:
    """quarter → (rows, latest loaded_at) in raw.union_reports."""
    with connect_warehouse(warehouse_db, read_only=True) as con:
        return {q: (n, str(at)) for q, n, at in con.execute(
            f"select period, count(*), max(loaded_at) from raw.union_reports "
            f"where period in ({_placeholders(quarters)}) group by period", quarters).fetchall()}


def kind_counts(warehouse_db: Path) -> dict[str, tuple[int, int]]:
    """kind → (rows in its raw table, rows quarantined in audit.quarantine), all runs."""
    from pipelines.ingest.store import TABLES

    counts: dict[str, tuple[int, int]] = {}
    with connect_warehouse(warehouse_db, read_only=True) as con:
        quarantined = dict(con.execute("select kind, count(*) from audit.quarantine group by kind").fetchall())
        for table in TABLES:
            kind = table.split(".", 1)[1]
            counts[kind] = (con.execute(f"select count(*) from {table}").fetchone()[0], quarantined.get(kind, 0))
    return counts
