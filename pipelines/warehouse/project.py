"""The dbt project as Dagster sees it, and keeping its manifest fresh.

The asset graph is built from `manifest.json`. A fresh clone has none and an edited
model makes it stale, so definitions call `ensure_manifest()`: a cheap modification-time
comparison, and a `dbt parse` only when something under the project changed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from pipelines.config import DBT_PROJECT_DIR

WAREHOUSE_DB_ENV = "UW_WAREHOUSE_DB"

# `uw` and `dagster` may run from `.venv/bin` without an activated environment; dbt lives
# beside the interpreter, and dagster-dbt looks it up on PATH.
_ENV_BIN = str(Path(sys.executable).parent)
if _ENV_BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = os.pathsep.join([_ENV_BIN, os.environ.get("PATH", "")])

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

_SOURCE_SUFFIXES = {".sql", ".yml", ".yaml", ".csv", ".md"}
_SOURCE_FOLDERS = ("models", "macros", "seeds", "tests", "snapshots", "analyses")


def _newest_source_mtime(project_dir: Path) -> float:
    newest = (project_dir / "dbt_project.yml").stat().st_mtime
    for folder in _SOURCE_FOLDERS:
        for path in (project_dir / folder).rglob("*"):
            if path.suffix in _SOURCE_SUFFIXES:
                newest = max(newest, path.stat().st_mtime)
    return newest


def manifest_is_stale(project: DbtProject = dbt_project) -> bool:
    manifest = project.manifest_path
    if not manifest.exists():
        return True
    return manifest.stat().st_mtime < _newest_source_mtime(project.project_dir)


def ensure_manifest(project: DbtProject = dbt_project) -> Path:
    if manifest_is_stale(project):
        # Parsing needs a profile target but never opens the database.
        os.environ.setdefault(WAREHOUSE_DB_ENV, str(project.project_dir / "target" / "parse_only.duckdb"))
        project.preparer.prepare(project)
    return project.manifest_path
