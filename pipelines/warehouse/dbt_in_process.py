"""dbt inside the run's own process: imported once, parsed once, every command on that parse.

A dbt subprocess per command paid, four times a run, a Python start, `import dbt` and
loading the parse state, ~5 s of fixed cost each against 1.5–4 s of work at the sample's
size. `dbtRunner` runs the same dbt (same project, profile, selection and materialisations)
in this process; handed the parsed `Manifest`, it skips parsing altogether.

The parse itself still reuses dbt's partial-parsing state made once per code version
(`project.py`): it runs in a scratch folder with the warehouse named by the relative
`warehouse.duckdb`, exactly as the state was made, so the profile hash matches. Commands
then name the warehouse by its absolute path: with a manifest supplied, dbt no longer
compares profiles.

dbt-duckdb keeps its DuckDB connection open in a class attribute after a command; it is
closed here after each one, because DuckDB refuses a second connection to the same file
with another configuration in the same process (our read-only readers).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pipelines.warehouse.project import WAREHOUSE_DB_ENV, dbt_project, ensure_manifest

log = logging.getLogger(__name__)

_PARSED: dict[int, object] = {}  # manifest.json's mtime (one per code version) → dbt's Manifest


class DbtCommandFailed(RuntimeError):
    """A dbt command that could not run, or a model or seed that failed to build."""


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _project_args(target_path: Path) -> list[str]:
    folder = str(dbt_project.project_dir)
    return ["--project-dir", folder, "--profiles-dir", str(dbt_project.profiles_dir),
            "--target-path", str(target_path), "--log-path", str(target_path)]


def _release_duckdb() -> None:
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        environment = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
    if environment is not None:
        environment.close()


def parsed_manifest():
    """dbt's parsed project, once per process and code version (a partial parse: ~1 s)."""
    from dbt.cli.main import dbtRunner

    manifest_file = ensure_manifest()
    key = manifest_file.stat().st_mtime_ns
    if key not in _PARSED:
        state = manifest_file.with_name("partial_parse.msgpack")
        with tempfile.TemporaryDirectory(prefix="uw-dbt-parse-") as scratch:
            shutil.copy(state, Path(scratch) / state.name)
            with contextlib.chdir(scratch), _environment(**{WAREHOUSE_DB_ENV: "warehouse.duckdb"},
                                                         DBT_SEND_ANONYMOUS_USAGE_STATS="false"):
                result = dbtRunner().invoke(["parse", "--quiet", *_project_args(Path(scratch))])
        if not result.success:
            raise DbtCommandFailed(f"dbt could not parse the project: {result.exception}")
        _PARSED.clear()
        _PARSED[key] = result.result
    return _PARSED[key]


def run_dbt(args: list[str], warehouse_db: Path, target_path: Path):
    """Run one dbt command against this warehouse; its node results (`RunExecutionResult`).

    A failing test is a result, not an error (the gate decides what it means); a command
    dbt could not run at all raises `DbtCommandFailed`.
    """
    from dbt.cli.main import dbtRunner

    manifest = parsed_manifest()
    target_path.mkdir(parents=True, exist_ok=True)
    log.info("dbt %s", " ".join(args))
    try:
        with _environment(**{WAREHOUSE_DB_ENV: str(warehouse_db)}, DBT_SEND_ANONYMOUS_USAGE_STATS="false"):
            # No colour codes: by default this output goes to the run's log file.
            result = dbtRunner(manifest=manifest).invoke([*args, "--no-use-colors", *_project_args(target_path)])
    finally:
        _release_duckdb()
    if result.result is None or (result.exception is not None and not hasattr(result.result, "results")):
        raise DbtCommandFailed(f"dbt {args[0]} did not run: {result.exception}")
    log.info("dbt %s finished: %d nodes", args[0], len(result.result.results))
    return result.result


def failed_builds(results) -> list[str]:
    """Models and seeds that did not build, each with dbt's message."""
    failed = []
    for result in results.results:
        if result.node.resource_type in ("model", "seed") and str(result.status) in ("error", "skipped"):
            failed.append(f"{result.node.name}: {result.message or result.status}")
    return failed
