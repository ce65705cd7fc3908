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
with another configuration in the same process (the run's held instance,
`pipelines/lib/warehouse_connection.py`, is closed during each command for the same reason).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from pipelines.lib.warehouse_connection import handed_over
from pipelines.warehouse.project import WAREHOUSE_DB_ENV, dbt_project, ensure_manifest

log = logging.getLogger(__name__)

_PARSED: dict[int, object] = {}  # manifest.json's mtime (one per code version) → dbt's Manifest
# Per command, dbt wrote manifest.json (~1 MB of JSON, ~0.3 s) into a folder removed after
# the step, and logged every query's SQL at debug level to that folder's dbt.log (lock,
# write and flush per line from both threads: ~1 s of a scale-1 run). Its run results are
# written here instead (`run_dbt`); dbt.log keeps the node lines, warnings and errors.
QUIETER = ("--no-use-colors", "--no-write-json", "--log-level-file", "info")


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


def _saved_manifest(state: Path):
    """dbt's parse state loaded as dbt itself loads it when no project file changed; None
    when it was written by another dbt version (then `dbt parse` decides)."""
    from dbt.contracts.graph.manifest import Manifest
    from dbt.version import __version__

    manifest = Manifest.from_msgpack(state.read_bytes())
    if manifest.metadata.dbt_version != __version__:
        return None
    manifest.build_parent_and_child_maps()
    manifest.build_flat_graph()
    return manifest


def _partial_parse(state: Path):
    from dbt.cli.main import dbtRunner

    with tempfile.TemporaryDirectory(prefix="uw-dbt-parse-") as scratch:
        shutil.copy(state, Path(scratch) / state.name)
        with contextlib.chdir(scratch), _environment(**{WAREHOUSE_DB_ENV: "warehouse.duckdb"},
                                                     DBT_SEND_ANONYMOUS_USAGE_STATS="false"):
            result = dbtRunner().invoke(["parse", "--quiet", *_project_args(Path(scratch))])
    if not result.success:
        raise DbtCommandFailed(f"dbt could not parse the project: {result.exception}")
    return result.result


def parsed_manifest():
    """dbt's parsed project, once per process and code version.

    `ensure_manifest` has just made sure the parse state belongs to the project's files as
    they are (it re-parses when their contents changed), which is the question dbt's partial parse
    would answer again (~1.6 s at every run start, checking every file). So the state is
    loaded directly (~0.4 s); a state from another dbt version, or one that does not load,
    goes through `dbt parse` as before.
    """
    manifest_file = ensure_manifest()
    key = manifest_file.stat().st_mtime_ns
    if key not in _PARSED:
        state = manifest_file.with_name("partial_parse.msgpack")
        try:
            manifest = _saved_manifest(state)
        except Exception as exc:  # noqa: BLE001 — any doubt about the state: let dbt parse
            log.info("dbt parse state not loaded directly (%s); parsing", exc)
            manifest = None
        _PARSED.clear()
        _PARSED[key] = manifest if manifest is not None else _partial_parse(state)
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
        # dbt-duckdb opens the file with its own settings: the run's held instance must be closed
        with handed_over(warehouse_db), \
                _environment(**{WAREHOUSE_DB_ENV: str(warehouse_db)}, DBT_SEND_ANONYMOUS_USAGE_STATS="false"):
            # No colour codes: by default this output goes to the run's log file.
            result = dbtRunner(manifest=manifest).invoke([*args, *QUIETER, *_project_args(target_path)])
    finally:
        _release_duckdb()
    if result.result is None or (result.exception is not None and not hasattr(result.result, "results")):
        raise DbtCommandFailed(f"dbt {args[0]} did not run: {result.exception}")
    result.result.write(str(target_path / "run_results.json"))
    log.info("dbt %s finished: %d nodes", args[0], len(result.result.results))
    return result.result


MAX_BUILD_PASSES = 20  # far more than the project's depth: a pass that skipped nothing ends the loop
BuildPass = tuple[Path, dict]  # an invocation folder (its dbt.log) and its run results, as written there


def build_past_failing_tests(args: list[str], selection: list[str], warehouse_db: Path,
                             new_folder: Callable[[], Path]) -> list[BuildPass]:
    """`dbt build` of models (and seeds) with their tests, again for what it skipped, until
    nothing is skipped; each pass in order.

    One `dbt build` costs less than `dbt run` then `dbt test` (one command's set-up, and tests
    beside the later models on the second thread: 0.3–0.7 s a step, docs/performance.md). But dbt
    build skips every node downstream of a failing error-severity test, while here a
    failing test is a verdict for the gate, never a reason to leave a model unbuilt. So the
    models a pass skipped are built, with their own tests, by the next pass: the tests a
    failing one cut off get their verdicts, and a model's latest result is its outcome.
    """
    passes: list[BuildPass] = []
    todo = selection
    for _ in range(MAX_BUILD_PASSES):
        folder = new_folder()
        run_dbt([*args, *todo], warehouse_db, folder)
        passes.append((folder, json.loads((folder / "run_results.json").read_text())))
        built = _built_nodes(passes[-1:])
        skipped = sorted(_node_name(unique_id) for unique_id, status in built.items() if status == "skipped")
        if not skipped or "error" in built.values():
            return passes  # below a model that failed, skipped is right: `failed_builds` says so
        log.info("dbt build skipped %d model(s) below a failing test; building them next: %s",
                 len(skipped), ", ".join(skipped))
        todo = ["--select", *skipped]
    raise DbtCommandFailed(f"dbt build still skipped models after {MAX_BUILD_PASSES} passes")


def _node_name(unique_id: str) -> str:
    return unique_id.rsplit(".", 1)[-1]


def _built_nodes(passes: list[BuildPass]) -> dict[str, str]:
    """unique_id → latest status of every model and seed in these passes."""
    return {result["unique_id"]: result["status"] for _, run_results in passes for result in run_results["results"]
            if result["unique_id"].startswith(("model.", "seed."))}


def failed_builds(passes: list[BuildPass]) -> list[str]:
    """Models and seeds whose latest result in these passes is not a build, with dbt's message."""
    messages = {result["unique_id"]: result.get("message") for _, run_results in passes
                for result in run_results["results"]}
    return [f"{_node_name(unique_id)}: {messages[unique_id] or status}"
            for unique_id, status in _built_nodes(passes).items() if status in ("error", "skipped")]
