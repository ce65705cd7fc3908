"""A run killed under a persistent `DAGSTER_HOME` stays STARTED for ever, and with
`max_concurrent_runs: 1` the daemon then launches nothing. Dagster cannot tell by itself
with the default run launcher (it does not check run workers' health), but the warehouse's
run lock can: a run that took the lock and never released it, on a lock nobody holds now,
died (`pipelines.lib.run_lock.died_holding`). The next run start (`uw run`, the run itself
when its resources start) and every inbox-sensor tick mark such a run failed. A run that is
alive holds the lock, so it can never be mistaken for a dead one.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pipelines.lib.run_lock import LockNote, died_holding

log = logging.getLogger(__name__)


def mark_failed_if_dead(instance, warehouse: Path, note: LockNote | None) -> str | None:
    """Mark the run of `note` failed if the instance still has it in progress; its id, or None."""
    if instance is None or note is None or note.released_at is not None:
        return None
    run = instance.get_run_by_id(note.run_id)
    if run is None or run.is_finished:
        return None
    message = (f"The process of this run (pid {note.pid} on {note.host}) ended without finishing; "
               f"it held warehouse {warehouse} since {note.acquired_at} UTC. Marked failed by the next run.")
    instance.report_run_failed(run, message=message)
    log.warning("run %s died holding %s; marked failed", note.run_id, warehouse)
    return note.run_id


def clear_dead_run(instance, warehouse: Path) -> str | None:
    """Find a run that died holding this warehouse and mark it failed; its id, or None."""
    return mark_failed_if_dead(instance, Path(warehouse), died_holding(Path(warehouse)))
