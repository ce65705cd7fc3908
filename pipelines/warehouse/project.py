"""The dbt project as Dagster sees it: parsed once per code version.

The asset graph is built from `manifest.json`. A fresh clone has none and an edited model
makes it stale, so definitions call `ensure_manifest()`: a cheap modification-time
comparison, and a `dbt parse` only when something under the project changed, one process
at a time (a `flock` in `target/`).

That parse also leaves `target/partial_parse.msgpack`. dbt reuses it only if the profile
renders exactly as it did at parse time, so the parse runs through `dbt_in_warehouse.sh`
(inside a scratch folder, the database given as the relative `warehouse.duckdb`, no
`--vars`), and each run's own parse in `dbt_in_process.py` renders the profile the same
way: a partial parse, never a full one.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from dagster_dbt import DbtProject

from pipelines.config import DBT_PROJECT_DIR

WAREHOUSE_DB_ENV = "UW_WAREHOUSE_DB"
DBT_CWD_ENV = "UW_DBT_CWD"
DBT_LAUNCHER = Path(__file__).with_name("dbt_in_warehouse.sh")
KEEP_FAILED_INVOCATION_SECONDS = 24 * 3600

# `uw` and `dagster` may run from `.venv/bin` without an activated environment; dbt lives
# beside the interpreter, and the launcher looks it up on PATH.
_ENV_BIN = str(Path(sys.executable).parent)
if _ENV_BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = os.pathsep.join([_ENV_BIN, os.environ.get("PATH", "")])

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

_SOURCE_SUFFIXES = {".sql", ".yml", ".yaml", ".csv", ".md"}
_SOURCE_FOLDERS = ("models", "macros", "seeds", "tests", "snapshots", "analyses")


def project_source_files(project_dir: Path = DBT_PROJECT_DIR) -> list[Path]:
    """Every file whose change changes what dbt builds (also the code part of a build fingerprint)."""
    files = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    for folder in _SOURCE_FOLDERS:
        files.extend(p for p in (project_dir / folder).rglob("*") if p.suffix in _SOURCE_SUFFIXES)
    return sorted(files)


def manifest_is_stale(project: DbtProject = dbt_project) -> bool:
    manifest = project.manifest_path
    partial_parse = project.manifest_path.with_name("partial_parse.msgpack")
    if not manifest.exists() or not partial_parse.exists():
        return True
    newest = max(p.stat().st_mtime for p in project_source_files(project.project_dir))
    return min(manifest.stat().st_mtime, partial_parse.stat().st_mtime) < newest


def prune_invocation_folders(folder: Path, keep_seconds: float = KEEP_FAILED_INVOCATION_SECONDS) -> int:
    """Remove invocation folders older than a day: what keeps `target` (and `<warehouse>/dbt`) bounded.

    A successful invocation's folder is removed as soon as it has been read; a failed one is
    kept for a day so its `dbt.log` can be read. The manifest and the parse state are files,
    never touched here.
    """
    if not folder.is_dir():
        return 0
    cutoff = time.time() - keep_seconds
    old = [p for p in folder.iterdir() if p.is_dir() and p.stat().st_mtime < cutoff]
    for path in old:
        shutil.rmtree(path, ignore_errors=True)
    return len(old)


@contextlib.contextmanager
def _parse_lock(target: Path) -> Iterator[None]:
    """One `dbt parse` at a time into `target`: `dagster dev` and `uw run` both load the
    definitions, and after an edit both find the state stale. Two parses writing the same
    `manifest.json` and `partial_parse.msgpack` at once could leave either half-written for
    the other to read. The kernel drops the `flock` if its holder dies."""
    with (target / ".parse.lock").open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def ensure_manifest(project: DbtProject = dbt_project) -> Path:
    # Invocation folders left by older versions, which kept every one under the project.
    prune_invocation_folders(project.project_dir / "target")
    if not manifest_is_stale(project):
        return project.manifest_path
    target = project.project_dir / "target"
    target.mkdir(parents=True, exist_ok=True)
    with _parse_lock(target):
        if manifest_is_stale(project):  # not parsed by another process while this one waited
            _parse(project, target)
    return project.manifest_path


def _parse(project: DbtProject, target: Path) -> None:
    # Parsing never opens the database; the scratch folder only gives the launcher a place to stand.
    env = {**os.environ, DBT_CWD_ENV: str(target), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    started = time.time()
    subprocess.run(
        [str(DBT_LAUNCHER), "parse", "--quiet", "--project-dir", str(project.project_dir),
         "--profiles-dir", str(project.profiles_dir), "--target-path", str(target)],
        env=env, check=True,
    )
    # dbt rewrites its parse state only when it found a change. A file touched but not
    # changed (a checkout, a copy, an editor's save) would leave the state older than the
    # files, and every later run would parse twice more (~8 s at loading, ~4 s in its
    # first dbt step). dbt has just found the state true to the files as they were when
    # the parse started: dated then, a file saved during the parse still reads as newer.
    os.utime(project.manifest_path.with_name("partial_parse.msgpack"), (started, started))
