"""C001: reconcile the warehouse's figures with the figures the EZ Union has published.

A published figure carries its own precision (`95.2` was rounded to one decimal), so
both sides are rounded to that precision before they are compared; anything else would
either flag honest rounding or hide a real difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from pipelines.quality.findings import Finding

LATEST_CONTROL_TOTALS = """
select metric, as_of, window_start, value, value_decimals, source, source_file, source_row
from (
    select *, row_number() over (
        partition by metric, as_of, coalesce(window_start, date '1900-01-01')
        order by loaded_at desc, source_file desc, source_row desc) as recency
    from raw.control_totals
) where recency = 1
order by as_of, metric
"""

COMPUTED_FIGURE = """
select value from marts.headline_figures
where metric = ? and as_of = ? and (window_start = ? or ? is null)
order by window_start
limit 1
"""


@dataclass(frozen=True)
class Reconciliation:
    metric: str
    as_of: date
    window_start: date | None
    published: float
    decimals: int
    computed: float | None
    source: str | None
    source_file: str
    source_row: int

    @property
    def difference(self) -> float | None:
        if self.computed is None:
            return None
        return round(self.computed, self.decimals) - round(self.published, self.decimals)

    @property
    def matches(self) -> bool:
        return self.computed is not None and abs(self.difference) < 0.5 * 10 ** (-self.decimals)


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def reconcile(con: duckdb.DuckDBPyConnection) -> list[Reconciliation]:
    results = []
    for metric, as_of, window_start, value, decimals, source, source_file, source_row in con.execute(
        LATEST_CONTROL_TOTALS
    ).fetchall():
        computed = con.execute(COMPUTED_FIGURE, [metric, as_of, window_start, window_start]).fetchone()
        results.append(Reconciliation(
            metric=metric, as_of=as_of, window_start=window_start, published=float(value),
            decimals=int(decimals or 0), computed=None if computed is None else computed[0],
            source=source, source_file=source_file, source_row=source_row,
        ))
    return results


def _shown(value: float | None, decimals: int) -> str:
    return "không tính được / not computed" if value is None else f"{round(value, decimals):.{decimals}f}"


def c001_findings(reconciliations: list[Reconciliation]) -> list[Finding]:
    findings = []
    for rec in reconciliations:
        if rec.matches:
            continue
        computed = _shown(rec.computed, rec.decimals)
        published = _shown(rec.published, rec.decimals)
        findings.append(Finding(
            rule_id="C001",
            message_vi=f"Chỉ tiêu {rec.metric} tại {rec.as_of:%d/%m/%Y}: kho dữ liệu tính được {computed}, "
                       f"số đã công bố là {published}.",
            message_en=f"Metric {rec.metric} as of {rec.as_of.isoformat()}: the warehouse computes {computed}, "
                       f"the published figure is {published}.",
            period=quarter_of(rec.as_of), source_file=rec.source_file, source_row=rec.source_row,
            observed=computed, expected=published, subject=rec.metric, scope="entity",
        ))
    return findings
