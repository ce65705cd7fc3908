"""The run over an inbox: identity, de-duplication, one transaction per file, the manifest.

The connection is opened here and closed before returning, because dbt opens the same
DuckDB file right after and DuckDB allows a single writer.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from pipelines.ingest.hand_out import files_to_parse, hash_readable, start_prefetch
from pipelines.ingest.inventory import InboxFile, archive_file, sha256_of, walk_inbox
from pipelines.ingest.loader import FileRejected, FileResult, load_file
from pipelines.ingest.messages import file_finding
from pipelines.ingest.parallel import Prefetcher, Prepared, copy_prepared
from pipelines.ingest.readers import UnreadableFile
from pipelines.ingest.store import current_versions, ensure_schema, ingested_files, insert_rows, loaded_shas
from pipelines.lib.audit import record_ingest_findings, record_manifest
from pipelines.lib.crash_points import crash_point
from pipelines.lib.findings import Finding
from pipelines.lib.warehouse_connection import connect_warehouse

log = logging.getLogger(__name__)


@dataclass
class IngestSummary:
    files_seen: int = 0
    files_loaded: int = 0
    files_quarantined: int = 0
    files_duplicate: int = 0
    files_skipped: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    findings_by_severity: dict[str, int] = field(default_factory=dict)
    kinds_loaded: dict[str, int] = field(default_factory=dict)

    def count(self, status: str, kind: str | None, result: FileResult | None,
              findings: list[Finding]) -> None:
        self.files_seen += 1
        attribute = {"loaded": "files_loaded", "quarantined": "files_quarantined",
                     "duplicate": "files_duplicate", "skipped": "files_skipped"}[status]
        setattr(self, attribute, getattr(self, attribute) + 1)
        if result is not None:
            self.rows_read += result.rows_read
            self.rows_loaded += result.rows_loaded
            self.rows_quarantined += result.rows_quarantined
            if kind is not None:
                self.kinds_loaded[kind] = self.kinds_loaded.get(kind, 0) + result.rows_loaded
        severities = Counter(f.severity for f in findings)
        for severity, number in severities.items():
            self.findings_by_severity[severity] = self.findings_by_severity.get(severity, 0) + number


def ingest_inbox(inbox: Path, warehouse_db: Path, archive_dir: Path, run_id: str, *,
                 today: date | None = None) -> IngestSummary:
    today = today or date.today()
    inbox, archive_dir = Path(inbox), Path(archive_dir)
    Path(warehouse_db).parent.mkdir(parents=True, exist_ok=True)
    summary = IngestSummary()
    con = connect_warehouse(warehouse_db)
    prefetcher = None
    try:
        ensure_schema(con)
        seen = ingested_files(con)
        known = KnownBytes(loaded_shas(con), current_versions(con))
        items = list(walk_inbox(inbox))
        shas = hash_readable(items)
        prefetcher = start_prefetch(files_to_parse(items, shas, seen), run_id, today)
        deferred: list[_Bookkeeping] = []
        for item in items:
            _ingest_one(con, item, seen, known, archive_dir, run_id, today, summary, shas, prefetcher, deferred)
        _flush(con, deferred)
    finally:
        if prefetcher is not None:
            prefetcher.close()
        con.close()
    log.info("ingest %s: %d files (%d loaded, %d quarantined, %d duplicate, %d skipped), "
             "%d rows loaded, %d quarantined", run_id, summary.files_seen, summary.files_loaded,
             summary.files_quarantined, summary.files_duplicate, summary.files_skipped,
             summary.rows_loaded, summary.rows_quarantined)
    return summary


@dataclass
class KnownBytes:
    """What the warehouse knows about bytes, kept true in place during the run.

    `loaded`: every sha256 that was loaded at least once (readable bytes). `versions`: path →
    sha256 of its current version. Bytes that were only ever quarantined are in neither: they
    must never become a path's current version (that would retire its last readable data).
    """

    loaded: set[str]
    versions: dict[str, str]


def _ingest_one(con, item: InboxFile, seen: dict[str, set[str]], known: KnownBytes,
                archive_dir: Path, run_id: str, today: date, summary: IngestSummary,
                shas: dict[str, str] | None = None, prefetcher: Prefetcher | None = None,
                deferred: list[_Bookkeeping] | None = None) -> None:
    """`seen` and `known` are updated in place so that they stay true for the rest of the run
    without querying the tables again. A file that brings no rows (refused, skipped, a
    duplicate) only adds bookkeeping to `deferred`, written with the next file that is read."""
    manifest = {"run_id": run_id, "source_file": item.source_file, "sha256": None, "kind": item.kind,
                "file_format": item.file_format, "size_bytes": None, "rows_read": 0, "rows_loaded": 0,
                "rows_quarantined": 0, "detail": None}
    if item.refusal is not None:
        _finish(con, manifest, "quarantined", None, [file_finding(
            "F001", item.source_file, "không đọc: không phải tệp thường trong hộp thư",
            "not read: not a regular file inside the inbox", observed=item.refusal)], summary,
            known, detail=f"refused: {item.refusal}", deferred=deferred)
        return
    try:
        manifest["size_bytes"] = item.path.stat().st_size
        manifest["sha256"] = (shas or {}).get(item.source_file) or sha256_of(item.path)
    except OSError as exc:
        if item.readable:
            _finish(con, manifest, "quarantined", None, [file_finding(
                "F001", item.source_file, "không mở được tệp", "cannot open the file")], summary,
                known, detail=f"cannot open: {exc}", deferred=deferred)
            return
    if not item.readable:
        _finish(con, manifest, "skipped", None, [], summary, known, detail=item.skip_reason, deferred=deferred)
        return
    sha = manifest["sha256"]
    if sha in seen and sha not in known.loaded and item.source_file not in seen[sha]:
        # Unreadable bytes under a new path (a second empty file, a copy of a broken one):
        # F006 would call it "the same report as …" when there is no report; it gets its own
        # verdict instead, parsed again (bounded like any read) so its finding names this path.
        seen[sha].add(item.source_file)
    elif sha in seen:
        earlier = sorted(seen[sha])
        findings = [] if item.source_file in seen[sha] else [file_finding(
            "F006", item.source_file, f"trùng với {earlier[0]}", f"same bytes as {earlier[0]}",
            observed=sha, expected=earlier[0])]
        seen[sha].add(item.source_file)
        _finish(con, manifest, "duplicate", None, findings, summary, known,
                detail=f"same bytes as {earlier[0]}", deferred=deferred)
        return
    else:
        seen[sha] = {item.source_file}
    archive_file(item.path, archive_dir, sha)
    _flush(con, deferred)
    prepared = prefetcher.take(item.source_file, sha) if prefetcher is not None else None
    status, result, findings, detail = _parse(con, item, sha, run_id, today, prepared)
    _finish(con, manifest, status, result, findings, summary, known, detail=detail, in_transaction=True)


def _parse(con, item: InboxFile, sha: str, run_id: str, today: date, prepared: Prepared | None = None):
    """Opens the file's transaction; on any failure rolls it back and quarantines the file.

    A file a worker already read (`prepared`) is copied from its scratch database instead of
    read here; its verdicts are the worker's, made by the same `load_file`.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        if prepared is None:
            result = load_file(con, item.path, item.kind, item.source_file, sha, run_id, today)
        elif prepared.status == "loaded":
            copy_prepared(con, prepared)
            result = prepared.result
        elif prepared.status == "rejected":
            raise FileRejected(prepared.finding, prepared.detail)
        elif prepared.status == "unreadable":
            raise UnreadableFile(prepared.detail)
        else:
            raise PreparedError(prepared.detail)
        return "loaded", result, result.findings, f"layout: {result.layout}"
    except FileRejected as rejected:
        finding, detail = rejected.finding, rejected.detail
    except UnreadableFile as exc:
        finding = file_finding("F001", item.source_file, "không đọc được theo định dạng tệp",
                               "cannot be read as its format", observed=str(exc)[:200])
        detail = f"unreadable: {exc}"[:500]
    except Exception as exc:  # one bad file must never stop the run
        log.exception("unexpected error reading %s", item.source_file)
        error = str(exc).split("\n", 1)[0] if isinstance(exc, PreparedError) else f"{type(exc).__name__}: {exc}"
        finding = file_finding("F001", item.source_file, "lỗi khi đọc tệp", "error while reading",
                               observed=error[:200])
        detail = f"error: {error}"[:500]
    con.execute("ROLLBACK")
    con.execute("BEGIN TRANSACTION")
    return "quarantined", None, [finding], detail


class PreparedError(Exception):
    """A worker's unexpected error, as "Type: message" then its traceback."""


def _finish(con, manifest: dict[str, object], status: str, result: FileResult | None,
            findings: list[Finding], summary: IngestSummary, known: KnownBytes, *,
            detail: str | None, in_transaction: bool = False, deferred: list[_Bookkeeping] | None = None) -> None:
    """Commits the file's findings, its manifest row and, when the bytes at its path changed,
    its `raw.file_versions` row in the same transaction as its raw rows, so a version is never
    recorded without its rows (or the reverse).

    Loaded bytes, and duplicates of loaded bytes, count as a version of the path: a path that
    goes back to bytes it held before (their rows are already in raw) makes those rows current
    again, and a path whose new bytes copy another file no longer stands for its old rows.
    Quarantined and skipped files are not versions, nor is a rerun's duplicate of bytes that
    were only ever quarantined: bytes that could not be trusted (a truncated re-send, say)
    must not retire the last readable data; their F finding stays open instead.

    A file with no rows of its own, given `deferred`, leaves its writes there: one commit per
    file cost ~2 ms, 0.6 s of a re-run where 280 files are duplicates (`_flush`).
    """
    if result is not None:
        manifest.update(rows_read=result.rows_read, rows_loaded=result.rows_loaded,
                        rows_quarantined=result.rows_quarantined)
    manifest.update(status=status, detail=detail, ingested_at=datetime.now(UTC).replace(tzinfo=None))
    version = _new_version(manifest, status, known)
    writes = _Bookkeeping(manifest, findings, version)
    if deferred is not None and not in_transaction:
        deferred.append(writes)
    else:
        _write(con, [writes], in_transaction)
    if status == "loaded":
        known.loaded.add(str(manifest["sha256"]))
        crash_point("ingest")
    if version:
        known.versions[str(manifest["source_file"])] = str(manifest["sha256"])
    summary.count(status, manifest["kind"], result, findings)
    if status in ("loaded", "quarantined"):
        log.info("%s %s: %s, %d rows loaded, %d quarantined", manifest["kind"], manifest["source_file"],
                 status, manifest["rows_loaded"], manifest["rows_quarantined"])


@dataclass
class _Bookkeeping:
    """A file's manifest row, its file findings and its `raw.file_versions` row (or None)."""

    manifest: dict[str, object]
    findings: list[Finding]
    version: dict[str, object] | None


def _write(con, writes: list[_Bookkeeping], in_transaction: bool = False) -> None:
    if not in_transaction:
        con.execute("BEGIN TRANSACTION")
    try:
        for item in writes:
            record_ingest_findings(con, str(item.manifest["run_id"]), str(item.manifest["source_file"]),
                                   item.manifest["sha256"], item.findings)
        record_manifest(con, [item.manifest for item in writes])
        insert_rows(con, "raw.file_versions", [item.version for item in writes if item.version])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def _flush(con, deferred: list[_Bookkeeping] | None) -> None:
    """The deferred bookkeeping in one transaction, before the next file's own (inbox order)."""
    if deferred:
        _write(con, deferred)
        deferred.clear()


def _new_version(manifest: dict[str, object], status: str, known: KnownBytes) -> dict[str, object] | None:
    """The `raw.file_versions` row for this file, or None when its path already holds these bytes.

    Recording only changes keeps a rerun of an unchanged inbox from writing anything.
    """
    sha, path = manifest["sha256"], str(manifest["source_file"])
    if status not in ("loaded", "duplicate") or sha is None or known.versions.get(path) == sha:
        return None
    if status == "duplicate" and sha not in known.loaded:
        return None
    return {"source_file": path, "sha256": sha, "kind": manifest["kind"], "status": status,
            "run_id": manifest["run_id"], "recorded_at": manifest["ingested_at"]}
