"""The findings dbt made (`intermediate.int_dq_findings`), as Findings with dbt's own grade.

Entity, cross-source, anomaly and control-total rules are set-based, so they are SQL; dbt
grades them by joining the rule catalogue, and that severity is kept as given. Keys are
assigned here, by the same function as every other finding's, so a rule means the same
thing wherever it fires. The model is a table, so a run that skips dbt (nothing changed)
still reads the findings dbt last made, and they stay current.
"""

from __future__ import annotations

import duckdb

from pipelines.lib.duckdb_tools import table_exists
from pipelines.lib.findings import Finding

FINDINGS_MODEL = ("intermediate", "int_dq_findings")


def warehouse_findings(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    if not table_exists(con, *FINDINGS_MODEL):
        return []
    schema, name = FINDINGS_MODEL
    cursor = con.execute(
        f"select rule_id, severity, tax_code, period, source_file, source_row, observed, expected, "
        f"message_vi, message_en, subject, origin from {schema}.{name}"
    )
    return [
        Finding(
            rule_id=rule_id, graded=severity, tax_code=tax_code, period=period, source_file=source_file,
            source_row=None if source_row is None else int(source_row),
            observed=None if observed is None else str(observed),
            expected=None if expected is None else str(expected),
            message_vi=message_vi, message_en=message_en, subject=subject, origin=origin,
            # C001 follows the metric and quarter; other rows without a tax code follow their file row.
            scope="entity" if origin == "control_totals" or tax_code else "file",
        )
        for (rule_id, severity, tax_code, period, source_file, source_row, observed, expected,
             message_vi, message_en, subject, origin) in cursor.fetchall()
    ]
