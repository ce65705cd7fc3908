"""The publish gate: write → audit → publish, decided once per run.

The gate step (`audit/publish_gate`) decides after the findings step and before the report
and the publish step, and records its verdict in `audit.gate_verdicts`; the report, the
publish step, `audit.runs` and the exit status of `uw run` all read that one verdict.

What blocks publishing (outputs.md §3):
- an open finding of a rule the catalogue marks `blocks_publish` (C001: a published figure
  the warehouse cannot reproduce, made in `int_control_total_checks`);
- a failing error-severity dbt test on a mart (each test's latest result, so a run that
  skipped dbt because nothing changed is judged by the verdicts still in force);
- no accepted union report at all: an empty warehouse must not replace a good copy.
Row-level errors do not block: those rows are quarantined and excluded from every figure.
`publish_anyway` publishes regardless and is recorded as `overridden`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

from pipelines.lib.duckdb_tools import table_exists
from pipelines.lib.rule_catalogue import rule_catalogue

NO_UNION_REPORTS = "no union reports"


@dataclass(frozen=True)
class GateResult:
    blocking_findings: int
    failing_mart_tests: list[str] = field(default_factory=list)
    publish_anyway: bool = False
    has_union_reports: bool = True

    @property
    def passed(self) -> bool:
        return self.blocking_findings == 0 and not self.failing_mart_tests and self.has_union_reports

    @property
    def status(self) -> str:
        if self.passed:
            return "passed"
        return "overridden" if self.publish_anyway else "blocked"

    @property
    def will_publish(self) -> bool:
        return self.passed or self.publish_anyway

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if not self.has_union_reports:
            reasons.append(NO_UNION_REPORTS)
        if self.blocking_findings:
            reasons.append(f"{self.blocking_findings} control-total mismatch(es) (C001)")
        reasons.extend(f"failing mart test: {name}" for name in self.failing_mart_tests)
        return reasons


def blocking_rules() -> list[str]:
    return sorted(r.rule_id for r in rule_catalogue().values() if r.blocks_publish)


def evaluate_gate(con: duckdb.DuckDBPyConnection, publish_anyway: bool = False) -> GateResult:
    """The verdict on the warehouse as it stands now (the findings step has already run)."""
    blocking = 0
    if table_exists(con, "audit", "dq_findings_current"):
        blocking = con.execute(
            "select count(*) from audit.dq_findings_current where list_contains(?, rule_id)",
            [blocking_rules()]).fetchone()[0]
    failing: list[str] = []
    if table_exists(con, "audit", "dbt_test_results"):
        failing = [row[0] for row in con.execute("""
            select test_name from (
                select *, row_number() over (partition by unique_id order by checked_at desc) as recency
                from audit.dbt_test_results where attached_schema = 'marts'
            ) where recency = 1 and status in ('fail', 'error') order by test_name""").fetchall()]
    has_reports = table_exists(con, "marts", "fct_union_report") and bool(
        con.execute("select count(*) from marts.fct_union_report").fetchone()[0])
    return GateResult(blocking_findings=blocking, failing_mart_tests=failing, publish_anyway=publish_anyway,
                      has_union_reports=has_reports)


def decide_gate(con: duckdb.DuckDBPyConnection, run_id: str, publish_anyway: bool = False) -> GateResult:
    """Evaluate and record this run's verdict (a retried step replaces its own row)."""
    gate = evaluate_gate(con, publish_anyway)
    con.execute("delete from audit.gate_verdicts where run_id = ?", [run_id])
    con.execute("insert into audit.gate_verdicts values (?, ?, ?, ?, ?, ?, ?, ?)", [
        run_id, gate.status, "; ".join(gate.reasons), gate.blocking_findings, "\n".join(gate.failing_mart_tests),
        gate.has_union_reports, gate.publish_anyway, datetime.now(UTC).replace(tzinfo=None)])
    return gate


def verdict_of(con: duckdb.DuckDBPyConnection, run_id: str) -> GateResult | None:
    """The verdict the gate step recorded for this run, or None when it did not run."""
    if not table_exists(con, "audit", "gate_verdicts"):
        return None
    row = con.execute("select blocking_findings, failing_mart_tests, publish_anyway, has_union_reports "
                      "from audit.gate_verdicts where run_id = ?", [run_id]).fetchone()
    if row is None:
        return None
    blocking, failing, publish_anyway, has_reports = row
    return GateResult(blocking_findings=blocking, failing_mart_tests=[t for t in (failing or "").split("\n") if t],
                      publish_anyway=bool(publish_anyway), has_union_reports=bool(has_reports))
