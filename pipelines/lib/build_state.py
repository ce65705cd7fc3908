"""Has anything a build step reads changed since it last built? The "nothing changed" test.

A step that rebuilds from the raw layer (the two dbt steps, each GX suite) fingerprints what
it reads: the code version (every file under `pipelines/`, the dbt project with its seeds,
the GX suites) and, for each raw table it depends on, the row count and the newest
`loaded_at` (ingest stamps every row it writes, a quarter re-read re-stamps the quarter,
a superseding file version loads new rows) — for `raw.file_versions`, which has no
`loaded_at`, an order-free hash of its (file, sha256) pairs. Equal fingerprint, equal
inputs: the step skips its work and says so; the verdicts of its last build still hold.

Every decision is logged in `audit.build_log` (run, step, built|skipped, fingerprint), so
the run summary can say what was skipped and the next run can find the last build.
Writes happen in the step's own short connection (DuckDB has one writer).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import duckdb

from pipelines.lib.audit import ensure_audit_schema
from pipelines.lib.duckdb_tools import columns_by_table

REPO_ROOT = Path(__file__).resolve().parents[2]
CODE_ROOTS = ("pipelines", "dbt_project", "expectations")
_CODE_SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".csv", ".json", ".md", ".sh"}
_SKIP_PARTS = {"target", "logs", "dbt_packages", "__pycache__"}

BUILT, SKIPPED = "built", "skipped"


def files_digest(root: Path, paths: Iterable[Path]) -> str:
    """SHA-256 of files by their names under `root` and their contents, in the order given."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def code_version(root: Path = REPO_ROOT) -> str:
    """Hash of every source file that decides what a build makes (a few hundred small files)."""
    return files_digest(root, (
        path for top in CODE_ROOTS for path in sorted((root / top).rglob("*"))
        if path.suffix in _CODE_SUFFIXES and path.is_file() and not _SKIP_PARTS & set(path.parts)))


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> set[str]:
    return columns_by_table(con, schema).get(table, set())


def table_state(con: duckdb.DuckDBPyConnection, schema: str, table: str, columns: set[str],
                skip_kind: str | None = None) -> str:
    """Row count and newest load of a table (whose `columns` are given; none: it is absent);
    `skip_kind` leaves out file versions of one kind."""
    if not columns:
        return f"{schema}.{table}:absent"
    if "loaded_at" in columns:
        count, newest = con.execute(f'select count(*), max(loaded_at) from "{schema}"."{table}"').fetchone()
        return f"{schema}.{table}:{count}:{newest}"
    if {"source_file", "sha256"} <= columns:
        where, params = ("where kind is distinct from ?", [skip_kind]) if skip_kind and "kind" in columns else ("", [])
        count, mixed = con.execute(
            f"select count(*), bit_xor(hash(source_file, coalesce(sha256, ''))) from \"{schema}\".\"{table}\" {where}",
            params).fetchone()
        return f"{schema}.{table}:{count}:{mixed}"
    count = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
    return f"{schema}.{table}:{count}"


def fingerprint(con: duckdb.DuckDBPyConnection, step: str, raw_tables: Iterable[str], *,
                skip_kind: str | None = None) -> str:
    """The step's inputs as one hash; `skip_kind` as in `table_state` (a step that never reads that kind)."""
    raw = columns_by_table(con, "raw")
    parts = [step, code_version(),
             *(table_state(con, "raw", t, raw.get(t, set()), skip_kind) for t in sorted(set(raw_tables)))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _latest_build(con: duckdb.DuckDBPyConnection, step: str, columns: str) -> tuple | None:
    """`columns` of the step's latest build (skips do not count), or None when it never built here."""
    return con.execute(
        f"select {columns} from audit.build_log where step = ? and action = ? "
        "order by logged_at desc limit 1", [step, BUILT]).fetchone()


def last_build(con: duckdb.DuckDBPyConnection, step: str) -> tuple[str, str] | None:
    """(run_id, fingerprint) of the step's last build, or None when it never built here."""
    if not _columns(con, "audit", "build_log"):
        return None
    return _latest_build(con, step, "run_id, fingerprint")


def built_by_other_code(con: duckdb.DuckDBPyConnection, step: str) -> bool:
    """No build of the step ran this code version (its last one ran another, was logged
    before versions were, or there is none): its incremental models must be rebuilt whole.

    An incremental model rewrites only the rows new data reach, so rows an older version of
    the SQL computed (a fixed rule, a changed attribute) would stay as they were for good.
    """
    if "code_version" not in _columns(con, "audit", "build_log"):
        return True
    latest = _latest_build(con, step, "code_version")
    return latest is None or latest[0] != code_version()


def log_build(con: duckdb.DuckDBPyConnection, run_id: str, step: str, action: str, fingerprint_: str,
              reason: str = "") -> None:
    ensure_audit_schema(con)
    _write_build_log(con, run_id, step, action, fingerprint_, reason)


def _write_build_log(con: duckdb.DuckDBPyConnection, run_id: str, step: str, action: str, fingerprint_: str,
                     reason: str) -> None:
    con.execute("delete from audit.build_log where run_id = ? and step = ?", [run_id, step])
    con.execute("insert into audit.build_log (run_id, step, action, fingerprint, reason, logged_at, code_version) "
                "values (?, ?, ?, ?, ?, now(), ?)", [run_id, step, action, fingerprint_, reason, code_version()])


def record_steps_not_run(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """Log as skipped every build step with a build on record that did not run in this run.

    A run with nothing to rebuild is launched without its dbt and GX steps
    (`pipelines/orchestration/run_plan.py`); their last builds hold, and the run's record says
    so. Called by the gate, which judges those builds' verdicts (the latest of each test).
    """
    ensure_audit_schema(con)
    rows = con.execute("""
        select step, run_id, fingerprint from (
            select step, run_id, fingerprint,
                   row_number() over (partition by step order by logged_at desc) as recency
            from audit.build_log where action = ?)
        where recency = 1 and step not in (select step from audit.build_log where run_id = ?)
        order by step
    """, [BUILT, run_id]).fetchall()
    for step, built_in, fingerprint_ in rows:
        _write_build_log(con, run_id, step, SKIPPED, fingerprint_, f"not run: the build of run {built_in} holds")
    return [step for step, _, _ in rows]


def run_actions(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, str]:
    """What each build step of a run did (step → built|skipped); empty for an older warehouse."""
    if not _columns(con, "audit", "build_log"):
        return {}
    return dict(con.execute("select step, action from audit.build_log where run_id = ?", [run_id]).fetchall())


def rebuild_line(actions: dict[str, str]) -> str:
    """One line for the run summary: was the warehouse rebuilt, in part, or not at all?"""
    if not actions:
        return "-"
    skipped = sorted(step for step, action in actions.items() if action == SKIPPED)
    if len(skipped) == len(actions):
        return "skipped: nothing changed since the last build (dbt and GX not run)"
    if not skipped:
        return "full: " + ", ".join(sorted(actions))
    built = sorted(step for step, action in actions.items() if action == BUILT)
    return f"partial: built {', '.join(built)}; skipped (unchanged) {', '.join(skipped)}"
