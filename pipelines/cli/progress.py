"""What `uw run` says on the terminal: one line per step, like a tool, not a log.

By default the terminal gets one line per Dagster step — which step, what it did, how
many seconds — and our own warnings; everything else (Dagster's event log, dbt's
per-model lines, Python warnings) goes to a log file in the warehouse folder, which the
summary names. `--verbose` prints all of it live instead, as before.

The lines come from a Dagster logger added to the job for this run only: the logger sees
every structured event of the run (step start and success, materialisations, check
results) and prints a line when a step ends. The job itself is the code location's own
job, so the CLI still runs exactly what the UI shows. Dagster is imported only when the
run starts, so `uw run` can say what it is doing before the slow import.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO

# What each step is, for a reader who has not seen the asset graph.
STEP_LABELS = {
    "inbox_ingest": "đọc hộp thư / ingest the inbox",
    "raw__union_reports": "báo cáo quý / union reports by quarter",
    "warehouse_models": "dbt: danh bạ, chiều / registers, dimensions",
    "warehouse_quarter_models": "dbt: mô hình theo quý / quarter models",
    "audit__gx_validation": "Great Expectations",
    "marts__headline_figures_c001_control_totals": "đối chiếu / control totals (C001)",
    "audit__dq_findings": "phát hiện / findings",
    "reports__dq_report": "báo cáo / report",
    "serving__serving_duckdb": "công bố / publish",
}
LABEL_WIDTH = 44


def step_label(step_key: str) -> str:
    if step_key in STEP_LABELS:
        return STEP_LABELS[step_key]
    if step_key.startswith("gx_"):
        return f"kiểm tra GX / GX checks {step_key[3:]}"
    return step_key


def _n(value: object) -> str:
    return f"{int(value or 0):,}"


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@dataclass
class StepTally:
    """What one step produced, gathered from its events."""

    started: float = 0.0
    materialised: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    metadata: dict[str, object] = field(default_factory=dict)
    checks_passed: int = 0
    checks_failed: int = 0

    def record_materialisation(self, asset: str, partition: str | None, metadata: dict) -> None:
        self.materialised[asset].add(partition or "")
        for key, value in metadata.items():
            self.metadata[key] = getattr(value, "value", value)

    def what_it_did(self, step_key: str) -> str:
        m = self.metadata
        if step_key == "inbox_ingest" and "files_seen" in m:
            return (f"{_n(m['files_seen'])} files: {_n(m.get('files_loaded'))} loaded, "
                    f"{_n(m.get('files_quarantined'))} quarantined, {_n(m.get('files_duplicate'))} duplicate, "
                    f"{_n(m.get('files_skipped'))} skipped")
        if step_key == "audit__gx_validation" and "expectations" in m:
            return f"{_n(m['expectations'])} expectations, {_n(m.get('failed_expectations'))} failed"
        if step_key == "audit__dq_findings" and "current_errors" in m:
            return (f"open: {_n(m['current_errors'])} error, {_n(m.get('current_warnings'))} warning, "
                    f"{_n(m.get('current_info'))} info")
        if step_key == "reports__dq_report" and "findings_in_xlsx" in m:
            return f"{_n(m['findings_in_xlsx'])} findings, {_n(m.get('control_totals_mismatched'))} mismatched totals"
        if step_key == "serving__serving_duckdb" and "gate" in m:
            return (f"gate {m['gate']}, {_n(m.get('tables_published'))} tables published" if m.get("published")
                    else f"gate {m['gate']}: not published")
        dbt = step_key.startswith("warehouse_")
        parts = []
        if self.materialised:
            partitions = {p for ps in self.materialised.values() for p in ps if p}
            parts.append(_count(len(self.materialised), "model" if dbt else "asset")
                         + (f" × {_count(len(partitions), 'quarter')}" if partitions else ""))
        single = len(self.materialised) == 1 and all(len(p) == 1 for p in self.materialised.values())
        if "dagster/row_count" in m and single:
            parts.append(_count(int(m["dagster/row_count"] or 0), "row"))
        if self.checks_passed or self.checks_failed:
            parts.append(f"{_count(self.checks_passed, 'test' if dbt else 'check')} passed, "
                         f"{self.checks_failed:,} failed")
        return ", ".join(parts) or "done"


class ProgressPrinter(logging.Handler):
    """Turns the run's structured events into one terminal line per step."""

    def __init__(self, out: IO[str], *, verbose: bool = False):
        """`verbose`: other output interleaves (dbt, Dagster's log), so a step's start is a line of its own."""
        super().__init__(level=logging.DEBUG)
        self.out = out
        self.verbose = verbose
        self.steps: dict[str, StepTally] = {}
        self.count = 0
        self.line_open = False
        self.started = time.monotonic()

    def write(self, text: str, *, end_line: bool = True) -> None:
        self.out.write(text + ("\n" if end_line else ""))
        self.out.flush()
        self.line_open = not end_line

    def close_line(self) -> None:
        """Before anything else is printed, finish a step line left open."""
        if self.line_open:
            self.write("…")

    def emit(self, record: logging.LogRecord) -> None:
        from dagster import DagsterEventType

        event = getattr(record, "dagster_event", None)
        if event is None or event.step_key is None:
            return
        step = event.step_key
        kind = event.event_type
        if kind == DagsterEventType.STEP_START:
            self.close_line()
            self.count += 1
            self.steps[step] = StepTally(started=time.monotonic())
            self.write(f"  [{self.count:>2}] {step_label(step):<{LABEL_WIDTH}} " + ("…" if self.verbose else ""),
                       end_line=self.verbose)
        elif kind == DagsterEventType.ASSET_MATERIALIZATION:
            materialisation = event.event_specific_data.materialization
            self.steps.setdefault(step, StepTally()).record_materialisation(
                materialisation.asset_key.to_user_string(), materialisation.partition,
                dict(materialisation.metadata))
        elif kind == DagsterEventType.ASSET_CHECK_EVALUATION:
            tally = self.steps.setdefault(step, StepTally())
            if event.event_specific_data.passed:
                tally.checks_passed += 1
            else:
                tally.checks_failed += 1
        elif kind in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
            tally = self.steps.get(step) or StepTally(started=time.monotonic())
            seconds = time.monotonic() - tally.started
            did = tally.what_it_did(step) if kind == DagsterEventType.STEP_SUCCESS else "FAILED"
            if not self.line_open:
                self.write(f"  [{self.count:>2}] {step_label(step):<{LABEL_WIDTH}} ", end_line=False)
            self.write(f"{did}  ({seconds:,.1f} s)")


def progress_logger(printer: ProgressPrinter):
    """A Dagster logger definition that hands every record of the run to `printer`."""
    from dagster import logger

    @logger(description="uw run: one terminal line per step")
    def _progress(_init_context) -> logging.Logger:
        progress = logging.Logger("uw.progress", level=logging.DEBUG)
        progress.addHandler(printer)
        return progress

    return _progress


class TerminalWarnings(logging.Handler):
    """Our own modules' warnings (e.g. the development pseudonym key) on the terminal, briefly."""

    def __init__(self, printer: ProgressPrinter):
        super().__init__(level=logging.WARNING)
        self.printer = printer

    def emit(self, record: logging.LogRecord) -> None:
        self.printer.close_line()
        self.printer.write(f"  ! {record.getMessage()}")
