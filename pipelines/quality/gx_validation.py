"""Run the Great Expectations suites on the staged tables; the only module that imports GX.

GX is imported inside `validate_staging` because importing it takes seconds and loading the
Dagster definitions must stay light (a test checks `sys.modules`). GX's SQL datasource does
not work on DuckDB, so each staging view is read into pandas and validated as whole-frame
batches of a pandas datasource: in file-aligned chunks of bounded size, with only the
columns the suite names, whose merged results equal the whole table's (`gx_chunks.py`);
the chunks validated before whose files did not change keep their results (`gx_reuse.py`).
The context is file-backed under `<warehouse>/gx/` (suites, validation results, one per
chunk, run history); the suites themselves are owned by `expectations/*.json`
and copied in on every run, so editing the JSON is the only way to change a check. GX's
Data Docs are not built: they load jQuery, Bootstrap and Vega from CDNs and render empty
offline, so the report step renders the stored results itself, into the report and into
`<warehouse>/reports/data_docs/index.html` (`pipelines/report/validations.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from pipelines.lib.duckdb_tools import limit_memory
from pipelines.lib.warehouse_connection import connect_warehouse
from pipelines.quality.gx_chunks import (
    CHUNK_ROWS,
    FILE_KEY,
    FilesInterleaved,
    can_chunk,
    columns_to_read,
    file_chunks,
    merge_results,
    whole_table,
)
from pipelines.quality.gx_suites import SuiteEntry, check_name_of, load_suites

if TYPE_CHECKING:
    from pipelines.quality.gx_reuse import Reuse

LOG = logging.getLogger(__name__)

DATASOURCE = "warehouse_staging"
INDEX_COLUMNS = ("source_file", "source_row", "tax_code", "period")
SAMPLE_SIZE = 10


@dataclass(frozen=True)
class ExpectationResult:
    """The outcome of one expectation, in plain Python, so nothing downstream needs GX."""

    suite: str
    check_name: str
    rule_id: str | None
    success: bool
    element_count: int
    unexpected_count: int
    offending_rows: list[dict] = field(default_factory=list)
    partial_unexpected: list[str] = field(default_factory=list)
    error: str | None = None


def _plain(value: object) -> object:
    """numpy scalars and dates → JSON-friendly Python values."""
    if hasattr(value, "item"):
        value = value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _context(gx_root: Path):
    import great_expectations as gx

    context = gx.get_context(mode="file", project_root_dir=str(gx_root))
    # TQDM_DISABLE is ignored by GX; the context's own switch is what silences the bars.
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    context.variables.save()
    return context


def _validation_definition(context, suite: SuiteEntry):
    import great_expectations as gx
    from great_expectations.core import ExpectationSuite

    gx_suite = context.suites.add_or_update(ExpectationSuite(**suite.raw()))
    datasource = context.data_sources.add_or_update_pandas(DATASOURCE)
    asset = next((a for a in datasource.assets if a.name == suite.name), None) or \
        datasource.add_dataframe_asset(suite.name)
    batch = next((b for b in asset.batch_definitions if b.name == "whole_table"), None) or \
        asset.add_batch_definition_whole_dataframe("whole_table")
    return context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=f"validate_{suite.name}", data=batch, suite=gx_suite)
    )


def _raised(exception_info: dict | None) -> str | None:
    """GX's message when the expectation raised (None: it ran).

    GX 1.x reports an exception of a metric under that metric's id, not at the top level,
    so such an error used to be lost: the expectation failed with no count and no reason.
    """
    info = exception_info or {}
    entries = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    raised = next((e for e in entries if e.get("raised_exception")), None)
    return None if raised is None else str(raised.get("exception_message") or "raised an exception")


def _result(suite: SuiteEntry, gx_result) -> ExpectationResult:
    config = gx_result.expectation_config
    name = check_name_of({"type": config.type, "kwargs": config.kwargs, "meta": config.meta})
    entry = next((e for e in suite.expectations if e.check_name == name), None)
    details = gx_result.result or {}
    rows = [{k: _plain(v) for k, v in row.items()} for row in details.get("unexpected_index_list") or []
            if isinstance(row, dict)]
    return ExpectationResult(
        suite=suite.name, check_name=name, rule_id=entry.rule_id if entry else None,
        success=bool(gx_result.success), element_count=int(details.get("element_count") or 0),
        unexpected_count=int(details.get("unexpected_count") or 0), offending_rows=rows,
        partial_unexpected=[str(_plain(v)) for v in (details.get("partial_unexpected_list") or [])[:SAMPLE_SIZE]],
        error=_raised(gx_result.exception_info),
    )


def _validate_suite(context, con: duckdb.DuckDBPyConnection, suite: SuiteEntry, chunk_rows: int | None,
                    reuse: Reuse | None = None):
    """The suite's results on its table, read in file-aligned chunks when that is exact (`gx_chunks.py`).

    With `reuse`, the chunks validated before that still hold are not validated again (`gx_reuse.py`).
    """
    schema, table = suite.asset_key[0], suite.asset_key[-1]
    relation = f'"{schema}"."{table}"'
    table_columns = [d[0] for d in con.execute(f"select * from {relation} limit 0").description]
    index_columns = [c for c in INDEX_COLUMNS if c in table_columns]
    columns = columns_to_read(suite, table_columns, index_columns)
    definition = _validation_definition(context, suite)
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": index_columns,
                     "partial_unexpected_count": SAMPLE_SIZE}

    def validate_frame(frame) -> list[ExpectationResult]:
        outcome = definition.run(batch_parameters={"dataframe": frame}, result_format=result_format)
        return [_result(suite, r) for r in outcome.results]

    def run(frames) -> tuple[list[list[ExpectationResult]], int]:
        parts, rows = [], 0
        for frame in frames:
            parts.append(validate_frame(frame))
            rows += len(frame)
        return parts, rows

    chunked = chunk_rows is not None and FILE_KEY in table_columns and can_chunk(suite)
    try:
        if chunked and reuse is not None:
            from pipelines.quality.gx_reuse import validate_parts

            parts, rows = validate_parts(reuse, con, suite, relation, columns, chunk_rows, result_format,
                                         validate_frame)
        else:
            parts, rows = run(file_chunks(con, relation, columns, chunk_rows) if chunked
                              else whole_table(con, relation, columns))
    except FilesInterleaved as exc:
        LOG.info("GX: %s; validating %s whole", exc, suite.name)
        parts, rows = run(whole_table(con, relation, columns))
    results = merge_results(suite, parts, SAMPLE_SIZE)
    LOG.info("GX suite %s on %d rows in %d part(s): %s", suite.name, rows, len(parts),
             "passed" if all(r.success for r in results) else "failed")
    return results


def validate_staging(
    warehouse_db: Path, gx_root: Path, suites: Iterable[SuiteEntry] | None = None,
    chunk_rows: int | None = CHUNK_ROWS, reuse: Reuse | None = None,
) -> list[ExpectationResult]:
    """Validate every suite's staging table; a missing table fails its suite, never the run.

    `chunk_rows=None` reads every table whole (the reference the chunked results are tested against).
    `reuse` (`gx_reuse.py`) brings the chunks stored by the last validation and takes this one's.
    """
    suites = list(load_suites() if suites is None else suites)
    context = _context(gx_root)
    results: list[ExpectationResult] = []
    for suite in suites:
        if reuse is not None:
            reuse.forget(suite.name)  # stays so unless the suite is validated by file group
        try:
            with connect_warehouse(warehouse_db, read_only=True) as con:
                limit_memory(con)
                results.extend(_validate_suite(context, con, suite, chunk_rows, reuse))
        except duckdb.Error as exc:
            schema, table = suite.asset_key[0], suite.asset_key[-1]
            LOG.warning("GX: cannot read %s.%s: %s", schema, table, exc)
            results.extend(ExpectationResult(suite.name, e.check_name, e.rule_id, False, 0, 0,
                                             error=f"table not readable: {exc}") for e in suite.expectations)
    return results


class WarehouseHeld(RuntimeError):
    """Another connection of the run's process still holds the warehouse: validate in that process."""


def validate_where_readable(
    warehouse_db: Path, gx_root: Path, suites: list[SuiteEntry], reuse: Reuse | None,
) -> tuple[list[ExpectationResult], Reuse | None]:
    """`validate_staging` for a worker process (`pipelines/lib/warm_worker.py`); with the `reuse`
    it filled in, since the worker's copy is the one that changed.

    DuckDB lets another process read the file only while no process writes it. A suite whose
    table cannot be read counts as failed (`validate_staging`), so a lock held by the run's
    own process must not reach it: the file is opened once first, and a lock error is
    raised as `WarehouseHeld` before anything is validated.
    """
    try:
        connect_warehouse(warehouse_db, read_only=True).close()
    except duckdb.IOException as exc:
        raise WarehouseHeld(str(exc)) from exc
    return validate_staging(warehouse_db, gx_root, suites, reuse=reuse), reuse

