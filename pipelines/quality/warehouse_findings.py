"""Bring the findings that dbt's models compute into the one findings table.

Entity, cross-source and anomaly rules are set-based, so they are SQL models
(`intermediate.int_dq_findings`); keys and severities are still assigned here, by the
same code as every other finding, so a rule means the same thing wherever it fires.
"""

from __future__ import annotations

import duckdb

from pipelines.quality.findings import Finding

FINDINGS_MODEL = ("intermediate", "int_dq_findings")


def _model_exists(con: duckdb.DuckDBPyConnection) -> bool:
    schema, name = FINDINGS_MODEL
    return bool(con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()[0])


def warehouse_findings(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    if not _model_exists(con):
        return []
    schema, name = FINDINGS_MODEL
    cursor = con.execute(
        f"select rule_id, tax_code, period, source_file, source_row, observed, expected, "
        f"message_vi, message_en, subject from {schema}.{name}"
    )
    return [
        Finding(
            rule_id=rule_id, tax_code=tax_code, period=period, source_file=source_file,
            source_row=None if source_row is None else int(source_row),
            observed=None if observed is None else str(observed),
            expected=None if expected is None else str(expected),
            message_vi=message_vi, message_en=message_en, subject=subject,
            scope="file" if source_file and not tax_code else "entity",
        )
        for (rule_id, tax_code, period, source_file, source_row, observed, expected,
             message_vi, message_en, subject) in cursor.fetchall()
    ]
