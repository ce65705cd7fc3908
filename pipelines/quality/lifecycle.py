"""The one writer of `audit.dq_findings` and `audit.finding_lifecycle`.

Each run stages every finding that is true after it (`current_findings.stage_current_findings`,
in SQL: at national size they are ~490,000 rows). Against the
lifecycle (one row per finding_key) that set says, for every key:

- seen and unknown: a new finding — a `dq_findings` row, a lifecycle row `open`;
- seen and `resolved`: it came back — re-opened (`times_opened` + 1), a `dq_findings` row;
- seen and `open`: still true — `last_seen_run` moves to this run; a `dq_findings` row only
  when what it says changed (severity, observed, expected, wording);
- `open` and not seen: fixed — `resolved` by this run.

So `dq_findings` holds one row per occurrence (start or change) and an unchanged rerun adds
none; history lives in the lifecycle. Everything is written in bulk in one transaction, so
a retried step writes nothing twice and a failed one nothing at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from pipelines.lib.audit import ensure_audit_schema
from pipelines.lib.duckdb_tools import insert_rows
from pipelines.quality.current_findings import SEEN_COLUMNS, SEEN_TABLE, create_seen_table, stage_current_findings

_CHANGED = " or ".join(f"s.{c} is distinct from c.{c}" for c in (
    "severity", "observed", "expected", "message_vi", "message_en", "origin"))


@dataclass(frozen=True)
class LifecycleChange:
    new: int
    reopened: int
    changed: int
    resolved: int
    open: int


def record_findings(con: duckdb.DuckDBPyConnection, run_id: str, seen: list[dict],
                    now: datetime | None = None) -> LifecycleChange:
    """Fold the given true findings (one row per finding_key, SEEN_COLUMNS) into the lifecycle."""
    create_seen_table(con)
    insert_rows(con, SEEN_TABLE, [{c: row[c] for c in SEEN_COLUMNS} for row in seen])
    return fold_staged_findings(con, run_id, now)


def record_current_findings(con: duckdb.DuckDBPyConnection, run_id: str,
                            now: datetime | None = None) -> LifecycleChange:
    """Fold every finding true after run `run_id` into the lifecycle, staged and folded in SQL."""
    stage_current_findings(con, run_id)
    return fold_staged_findings(con, run_id, now)


def fold_staged_findings(con: duckdb.DuckDBPyConnection, run_id: str,
                         now: datetime | None = None) -> LifecycleChange:
    """Fold the findings staged in `SEEN_TABLE` into the lifecycle; the staging table is dropped."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    ensure_audit_schema(con)
    seen_count = con.execute(f"select count(*) from {SEEN_TABLE}").fetchone()[0]
    con.execute("begin transaction")
    try:
        new, reopened, changed = con.execute(f"""
            select count(*) filter (where l.finding_key is null),
                   count(*) filter (where l.status = 'resolved'),
                   count(*) filter (where l.status = 'open' and ({_CHANGED}))
            from {SEEN_TABLE} s
            left join audit.finding_lifecycle l on l.finding_key = s.finding_key
            left join audit.dq_findings_current c on c.finding_key = s.finding_key""").fetchone()
        con.execute(f"""
            insert into audit.dq_findings by name
            select $run_id as run_id, s.rule_id, s.severity, s.tax_code, s.period, s.source_file, s.source_row,
                   s.message_vi, s.message_en, s.observed, s.expected, $now as detected_at, s.finding_key, s.origin
            from {SEEN_TABLE} s
            left join audit.finding_lifecycle l on l.finding_key = s.finding_key
            left join audit.dq_findings_current c on c.finding_key = s.finding_key
            where l.finding_key is null or l.status <> 'open' or c.finding_key is null or ({_CHANGED})""",
                    {"run_id": run_id, "now": now})
        resolved = con.execute(f"""
            update audit.finding_lifecycle set status = 'resolved', resolved_run = $run_id, resolved_at = $now
            where status = 'open' and finding_key not in (select finding_key from {SEEN_TABLE})""",
                               {"run_id": run_id, "now": now}).fetchone()[0]
        con.execute(f"""
            update audit.finding_lifecycle as l set
                last_seen_run = $run_id, last_seen_at = $now, status = 'open',
                rule_id = s.rule_id, severity = s.severity, tax_code = s.tax_code, period = s.period,
                source_file = s.source_file, source_row = s.source_row, origin = s.origin,
                opened_run = case when l.status = 'open' then l.opened_run else $run_id end,
                opened_at = case when l.status = 'open' then l.opened_at else $now end,
                times_opened = l.times_opened + case when l.status = 'open' then 0 else 1 end,
                resolved_run = null, resolved_at = null
            from {SEEN_TABLE} s where s.finding_key = l.finding_key""", {"run_id": run_id, "now": now})
        con.execute(f"""
            insert into audit.finding_lifecycle by name
            select s.finding_key, $run_id as first_seen_run, $now as first_seen_at,
                   $run_id as last_seen_run, $now as last_seen_at, s.rule_id, s.severity, s.tax_code, s.period,
                   s.source_file, s.source_row, 'open' as status, s.origin,
                   $run_id as opened_run, $now as opened_at, 1 as times_opened
            from {SEEN_TABLE} s
            where not exists (select 1 from audit.finding_lifecycle l where l.finding_key = s.finding_key)""",
                    {"run_id": run_id, "now": now})
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        con.execute(f"drop table if exists {SEEN_TABLE}")
    return LifecycleChange(new=new, reopened=reopened, changed=changed, resolved=int(resolved), open=int(seen_count))
