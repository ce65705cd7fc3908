"""The publish gate: write → audit → publish.

Only two things block publishing: a published figure the warehouse cannot reproduce
(C001) and a failing error-severity dbt test on a mart. Row-level errors do not block,
because those rows are already quarantined and excluded from every figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from pipelines.quality.rules import BLOCKING_RULES


@dataclass(frozen=True)
class GateResult:
    blocking_findings: int
    failing_mart_tests: list[str] = field(default_factory=list)
    publish_anyway: bool = False

    @property
    def passed(self) -> bool:
        return self.blocking_findings == 0 and not self.failing_mart_tests

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
        if self.blocking_findings:
            reasons.append(f"{self.blocking_findings} control-total mismatch(es) (C001)")
        reasons.extend(f"failing mart test: {name}" for name in self.failing_mart_tests)
        return reasons


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()[0])


def evaluate_gate(con: duckdb.DuckDBPyConnection, run_id: str, publish_anyway: bool = False) -> GateResult:
    rules = ", ".join(f"'{rule}'" for rule in sorted(BLOCKING_RULES))
    blocking = con.execute(
        f"select count(*) from audit.dq_findings where run_id = ? and rule_id in ({rules})", [run_id]
    ).fetchone()[0]
    failing: list[str] = []
    if _table_exists(con, "audit", "dbt_test_results"):
        failing = [row[0] for row in con.execute(
            "select test_name from audit.dbt_test_results where run_id = ? and attached_schema = 'marts' "
            "and status in ('fail', 'error') order by test_name", [run_id]
        ).fetchall()]
    return GateResult(blocking_findings=blocking, failing_mart_tests=failing, publish_anyway=publish_anyway)
