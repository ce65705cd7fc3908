"""Where the pipeline reads and writes, resolved the same way for every entry point.

The CLI flags win over `UW_INBOX_DIR` / `UW_WAREHOUSE_DIR`, which win over the defaults
(`data/inbox`, `data/warehouse` under the repository root), so `uw run`, `dagster dev`
and the schedules all agree on the folders.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"

INBOX_ENV = "UW_INBOX_DIR"
WAREHOUSE_ENV = "UW_WAREHOUSE_DIR"


@dataclass(frozen=True)
class Paths:
    inbox: Path
    warehouse: Path

    @property
    def warehouse_db(self) -> Path:
        return self.warehouse / "warehouse.duckdb"

    @property
    def serving_db(self) -> Path:
        return self.warehouse / "serving.duckdb"

    @property
    def reports(self) -> Path:
        return self.warehouse / "reports"

    @property
    def archive(self) -> Path:
        return self.warehouse / "archive"


def resolve_paths(inbox: str | os.PathLike | None = None, warehouse: str | os.PathLike | None = None) -> Paths:
    inbox_dir = inbox or os.environ.get(INBOX_ENV) or REPO_ROOT / "data" / "inbox"
    warehouse_dir = warehouse or os.environ.get(WAREHOUSE_ENV) or REPO_ROOT / "data" / "warehouse"
    return Paths(inbox=Path(inbox_dir).resolve(), warehouse=Path(warehouse_dir).resolve())
