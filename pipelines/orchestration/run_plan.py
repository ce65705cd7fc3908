"""Before a run starts: is there anything to rebuild at all?

A run whose inbox holds exactly the files (paths and bytes) of the last completed run, on a
warehouse where every build step's fingerprint (code version and raw tables,
`pipelines/lib/build_state.py`) still equals that of its last build, cannot change the
warehouse: ingest will find only duplicates, and every dbt and GX step would skip. Such a
run is launched without those steps — the same job, a smaller asset selection — so it
costs ingest, findings, gate, report and publish, not the Dagster events of ~40 models ×
quarters and ~200 checks carried over. The steps it leaves out are logged as skipped by
the gate (`record_steps_not_run`), and the gate judges the verdicts still in force, as it
always does.

Anything else (a new or changed file, a removed file, edited code or seeds, a raw table
changed since, a run tagged `uw/rebuild=always`) takes the full job, whose steps decide
for themselves what to rebuild. The test is conservative by design: when in doubt, rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.ingest.inventory import sha256_of, walk_inbox
from pipelines.lib.build_state import fingerprint, last_build
from pipelines.lib.duckdb_tools import table_exists


@dataclass(frozen=True)
class NothingToRebuild:
    last_run: str


def _inbox_now(inbox: Path) -> set[tuple[str, str]] | None:
    pairs = set()
    for item in walk_inbox(inbox):
        if item.refusal is not None:
            continue
        try:
            pairs.add((item.source_file, sha256_of(item.path)))
        except OSError:
            return None  # a file that cannot be read now: let ingest record it
    return pairs


def _last_run_inbox(con) -> tuple[str, set[tuple[str, str]]] | None:
    if not (table_exists(con, "audit", "runs") and table_exists(con, "audit", "file_manifest")):
        return None
    row = con.execute("select run_id from audit.runs order by finished_at desc nulls last limit 1").fetchone()
    if row is None:
        return None
    pairs = con.execute("select source_file, sha256 from audit.file_manifest where run_id = ? and sha256 is not null",
                        [row[0]]).fetchall()
    return row[0], set(pairs)


def _steps_hold(con, build_steps: dict[str, tuple[tuple[str, ...], str | None]]) -> bool:
    for step, (raw_tables, skip_kind) in build_steps.items():
        previous = last_build(con, step)
        if previous is None or previous[1] != fingerprint(con, step, raw_tables, skip_kind=skip_kind):
            return False
    return True


def nothing_to_rebuild(inbox: Path, warehouse_db: Path,
                       build_steps: dict[str, tuple[tuple[str, ...], str | None]]) -> NothingToRebuild | None:
    """`build_steps`: every build step → (raw tables it reads, file-version kind it ignores)."""
    if not warehouse_db.exists():
        return None
    with duckdb.connect(str(warehouse_db), read_only=True) as con:
        last = _last_run_inbox(con)
        if last is None or not _steps_hold(con, build_steps):
            return None
    inbox_now = _inbox_now(inbox)
    if inbox_now is None or inbox_now != last[1]:
        return None
    return NothingToRebuild(last_run=last[0])


def build_steps() -> dict[str, tuple[tuple[str, ...], str | None]]:
    """Every step that rebuilds from raw: the two dbt steps and one per GX suite."""
    from pipelines.quality.gx_assets import SUITES
    from pipelines.quality.gx_carry import gx_build_steps
    from pipelines.warehouse.assets import DBT_BUILD_STEPS

    return {**DBT_BUILD_STEPS, **gx_build_steps(SUITES)}


def selection_without_rebuild(defs) -> list:
    """The full run's unpartitioned assets, less the dbt models and the GX validation (and so their checks)."""
    from dagster import AssetSelection

    from pipelines.orchestration.jobs import ON_DEMAND_GROUPS
    from pipelines.quality.gx_assets import GX_VALIDATION
    from pipelines.warehouse.assets import warehouse_models, warehouse_quarter_models

    graph = defs.resolve_asset_graph()
    full_run = (AssetSelection.all() - AssetSelection.groups(*ON_DEMAND_GROUPS)).resolve(graph)
    rebuilt = {*warehouse_models.keys, *warehouse_quarter_models.keys, GX_VALIDATION}
    return sorted((key for key in full_run if key not in rebuilt and graph.get(key).partitions_def is None),
                  key=lambda key: key.to_user_string())
