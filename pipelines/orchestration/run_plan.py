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

A run whose only news is report files (`quarters_to_rebuild`) covers the quarters those
files can change, from the earliest of them to the newest quarter, not every quarter the
warehouse holds, and leaves the register step out (`selection_for_new_reports`): its inputs
cannot change. Later quarters are in the range because their figures and findings look
back at earlier ones (a member count against the previous quarter's).

Anything else (a new or changed file of another kind, a removed file, edited code or
seeds, a raw table changed since, a run tagged `uw/rebuild=always`) takes the full job over
every quarter, whose steps decide for themselves what to rebuild. The test is conservative
by design: when in doubt, rebuild.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipelines.ingest.inventory import sha256_of, walk_inbox
from pipelines.lib.build_state import fingerprint, last_build
from pipelines.lib.duckdb_tools import table_exists
from pipelines.lib.quarters import from_earliest
from pipelines.lib.warehouse_connection import connect_warehouse

BuildSteps = dict[str, tuple[tuple[str, ...], str | None]]


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


def _steps_hold(con, build_steps: BuildSteps) -> bool:
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
    with connect_warehouse(warehouse_db, read_only=True) as con:
        last = _last_run_inbox(con)
        if last is None or not _steps_hold(con, build_steps):
            return None
    inbox_now = _inbox_now(inbox)
    if inbox_now is None or inbox_now != last[1]:
        return None
    return NothingToRebuild(last_run=last[0])


def quarters_to_rebuild(covered: Iterable[str], changed: Iterable[str], only_reports_new: bool,
                        warehouse_db: Path, dbt_steps: BuildSteps) -> list[str] | None:
    """The quarters a run of new report files must cover, oldest first; None: every quarter.

    Only when nothing but report files is new (`only_reports_new`, from the inbox look),
    they touch at least one known quarter (`changed`), and both dbt steps still hold their
    last build (code, seeds and raw tables unchanged since): then the registers cannot move
    and a quarter before the earliest changed one cannot change.
    """
    quarters = from_earliest(covered, changed)
    if not only_reports_new or not quarters or not warehouse_db.exists():
        return None
    with connect_warehouse(warehouse_db, read_only=True) as con:
        if not _steps_hold(con, dbt_steps):
            return None
    return quarters


def build_steps() -> dict[str, tuple[tuple[str, ...], str | None]]:
    """Every step that rebuilds from raw: the two dbt steps and one per GX suite."""
    from pipelines.quality.gx_assets import SUITES
    from pipelines.quality.gx_carry import gx_build_steps
    from pipelines.warehouse.assets import DBT_BUILD_STEPS

    return {**DBT_BUILD_STEPS, **gx_build_steps(SUITES)}


def _full_run_less(defs, left_out: set, *, unpartitioned_only: bool = False) -> list:
    """The full run's assets (the job less its on-demand groups) without `left_out`, by name."""
    from dagster import AssetSelection

    from pipelines.orchestration.jobs import ON_DEMAND_GROUPS

    graph = defs.resolve_asset_graph()
    full_run = (AssetSelection.all() - AssetSelection.groups(*ON_DEMAND_GROUPS)).resolve(graph)
    return sorted((key for key in full_run if key not in left_out
                   and not (unpartitioned_only and graph.get(key).partitions_def is not None)),
                  key=lambda key: key.to_user_string())


def selection_for_new_reports(defs) -> list:
    """The full run's assets less the register dbt step's (and so its checks): new report files never reach it."""
    from pipelines.warehouse.assets import warehouse_models

    return _full_run_less(defs, set(warehouse_models.keys))


def selection_without_rebuild(defs) -> list:
    """The full run's unpartitioned assets, less the dbt models and the GX validation (and so their checks)."""
    from pipelines.quality.gx_assets import GX_VALIDATION
    from pipelines.warehouse.assets import warehouse_models, warehouse_quarter_models

    return _full_run_less(defs, {*warehouse_models.keys, *warehouse_quarter_models.keys, GX_VALIDATION},
                          unpartitioned_only=True)
