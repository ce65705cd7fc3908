"""The dbt project as Dagster sees it: parsed once per code version.

The asset graph is built from `manifest.json`. A fresh clone has none and an edited model
makes it stale, so definitions call `ensure_manifest()`: a hash of the project's files
(~5 ms) against the one the last parse recorded (`target/parsed_for.sha256`), and a
`dbt parse` only when their contents changed, one process at a time (a `flock` in `target/`).

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
from dataclasses import dataclass
from pathlib import Path

from pipelines.config import DBT_PROJECT_DIR
from pipelines.lib.build_state import files_digest

WAREHOUSE_DB_ENV = "UW_WAREHOUSE_DB"
DBT_CWD_ENV = "UW_DBT_CWD"
DBT_LAUNCHER = Path(__file__).with_name("dbt_in_warehouse.sh")
KEEP_FAILED_INVOCATION_SECONDS = 24 * 3600
PARSED_FOR = "parsed_for.sha256"

# `uw` and `dagster` may run from `.venv/bin` without an activated environment; dbt lives
# beside the interpreter, and the launcher looks it up on PATH.
_ENV_BIN = str(Path(sys.executable).parent)
if _ENV_BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = os.pathsep.join([_ENV_BIN, os.environ.get("PATH", "")])


@dataclass(frozen=True)
class DbtProject:
    """Where the dbt project and its parse live; the attributes of dagster-dbt's `DbtProject`
    this project reads, without importing dagster-dbt (and dbt) to know them (asset_specs.py)."""

    project_dir: Path
    profiles_dir: Path

    @property
    def manifest_path(self) -> Path:
        return self.project_dir / "target" / "manifest.json"

    def for_dagster_dbt(self):
        from dagster_dbt import DbtProject as DagsterDbtProject

        return DagsterDbtProject(project_dir=self.project_dir, profiles_dir=self.profiles_dir)


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

_SOURCE_SUFFIXES = {".sql", ".yml", ".yaml", ".csv", ".md"}
_SOURCE_FOLDERS = ("models", "macros", "seeds", "tests", "snapshots", "analyses")


def project_source_files(project_dir: Path = DBT_PROJECT_DIR) -> list[Path]:
    """Every file whose change changes what dbt parses and builds."""
    files = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    for folder in _SOURCE_FOLDERS:
        files.extend(p for p in (project_dir / folder).rglob("*") if p.suffix in _SOURCE_SUFFIXES)
    return sorted(files)


def project_fingerprint(project_dir: Path = DBT_PROJECT_DIR) -> str:
    """SHA-256 of the project's source files, names and contents (a few hundred small files, ~5 ms)."""
    return files_digest(project_dir, project_source_files(project_dir))


def _parsed_for(project: DbtProject) -> Path:
    """Beside the manifest: the fingerprint of the files the last parse read."""
    return project.manifest_path.with_name(PARSED_FOR)


def manifest_is_stale(project: DbtProject = dbt_project) -> bool:
    """The manifest and parse state are missing, or were parsed from other file contents.

    Contents, not modification times: a touched but unchanged file (a checkout, an
    editor's save) needs no parse, and a changed file that keeps an old time (a release
    unpacked with its archive's times, `cp -p`, `rsync -t`) still gets one. With times,
    the first cost two parses at every later run (dbt rewrites its state only when it
    finds a change) and the second ran the old models' SQL.
    """
    stamp = _parsed_for(project)
    if not (project.manifest_path.exists() and project.manifest_path.with_name("partial_parse.msgpack").exists()
            and stamp.exists()):
        return True
    return stamp.read_text().strip() != project_fingerprint(project.project_dir)


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
    # Taken before the parse: a file saved while dbt reads them makes the next check parse again.
    fingerprint = project_fingerprint(project.project_dir)
    _parsed_for(project).unlink(missing_ok=True)
    subprocess.run(
        [str(DBT_LAUNCHER), "parse", "--quiet", "--project-dir", str(project.project_dir),
         "--profiles-dir", str(project.profiles_dir), "--target-path", str(target)],
        env=env, check=True,
    )
    staging = _parsed_for(project).with_suffix(".tmp")
    staging.write_text(fingerprint + "\n")
    os.replace(staging, _parsed_for(project))
