"""The step lines of `uw run`, from the run's structured events (stand-ins with the same fields)."""

import io
import logging
from types import SimpleNamespace

from dagster import DagsterEventType

from pipelines.cli.progress import STEP_LABELS, ProgressPrinter, TerminalWarnings


def _record(kind, step, data=None) -> logging.LogRecord:
    record = logging.LogRecord("uw.progress", logging.INFO, __file__, 1, "", None, None)
    record.dagster_event = SimpleNamespace(event_type=kind, step_key=step, event_specific_data=data)
    return record


def _materialised(step, asset, partition=None, **metadata):
    value = SimpleNamespace(materialization=SimpleNamespace(
        asset_key=SimpleNamespace(to_user_string=lambda: asset), partition=partition,
        metadata={k: SimpleNamespace(value=v) for k, v in metadata.items()}))
    return _record(DagsterEventType.ASSET_MATERIALIZATION, step, value)


def test_one_line_per_step_with_what_it_did_and_its_seconds():
    out = io.StringIO()
    printer = ProgressPrinter(out)
    printer.emit(_record(DagsterEventType.STEP_START, "inbox_ingest"))
    printer.emit(_materialised("inbox_ingest", "audit/file_manifest", files_seen=282, files_loaded=278,
                               files_quarantined=1, files_duplicate=1, files_skipped=2))
    printer.emit(_record(DagsterEventType.STEP_SUCCESS, "inbox_ingest"))
    printer.emit(_record(DagsterEventType.STEP_START, "warehouse_quarter_models"))
    for quarter in ("2022-Q2", "2022-Q3"):
        for model in ("staging/stg_union_reports", "marts/headline_figures"):
            printer.emit(_materialised("warehouse_quarter_models", model, quarter))
    for passed in (True, True, False):
        printer.emit(_record(DagsterEventType.ASSET_CHECK_EVALUATION, "warehouse_quarter_models",
                             SimpleNamespace(passed=passed)))
    printer.emit(_record(DagsterEventType.STEP_SUCCESS, "warehouse_quarter_models"))
    printer.emit(_record(DagsterEventType.STEP_START, "serving__serving_duckdb"))
    printer.emit(_record(DagsterEventType.STEP_FAILURE, "serving__serving_duckdb"))
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"  [ 1] {STEP_LABELS['inbox_ingest']}")
    assert "282 files: 278 loaded, 1 quarantined, 1 duplicate, 2 skipped" in lines[0]
    assert "2 models × 2 quarters, 2 tests passed, 1 failed" in lines[1]
    assert lines[2].startswith("  [ 3]") and "FAILED" in lines[2]
    assert all(line.endswith(" s)") for line in lines)


def test_a_warning_during_a_step_gets_its_own_line():
    out = io.StringIO()
    printer = ProgressPrinter(out)
    warnings = TerminalWarnings(printer)
    printer.emit(_record(DagsterEventType.STEP_START, "inbox_ingest"))
    warnings.emit(logging.LogRecord("pipelines.ingest", logging.WARNING, __file__, 1, "UW_PSEUDONYM_KEY is not set",
                                    None, None))
    printer.emit(_record(DagsterEventType.STEP_SUCCESS, "inbox_ingest"))
    lines = out.getvalue().splitlines()
    assert lines[1] == "  ! UW_PSEUDONYM_KEY is not set"
    assert lines[2].startswith("  [ 1] ") and lines[2].endswith(" s)")


def test_records_without_a_step_event_are_ignored():
    out = io.StringIO()
    ProgressPrinter(out).emit(logging.LogRecord("dagster", logging.INFO, __file__, 1, "hello", None, None))
    assert out.getvalue() == ""


def test_verbose_gives_a_step_start_its_own_line():
    out = io.StringIO()
    printer = ProgressPrinter(out, verbose=True)
    printer.emit(_record(DagsterEventType.STEP_START, "audit__gx_validation"))
    out.write("dbt or Dagster output in between\n")
    printer.emit(_record(DagsterEventType.STEP_SUCCESS, "audit__gx_validation"))
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("  [ 1] Great Expectations") and lines[0].endswith("…")
    assert lines[2].startswith("  [ 1] Great Expectations") and lines[2].endswith(" s)")
