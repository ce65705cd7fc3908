"""One shape for every finding, whichever layer makes it.

Auditors follow a problem across runs by `finding_key`, so the key must depend only on
what the finding is about (rule + entity + quarter, or rule + file + row), never on the
run, the time or the wording of the message.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from pipelines.lib.rule_catalogue import rule_catalogue

# Severity comes from the rule catalogue (dbt seed), never from a second table here.
SEVERITY_BY_RULE: dict[str, str] = {r.rule_id: r.severity for r in rule_catalogue().values()}

FINDING_COLUMNS = (
    "run_id", "rule_id", "severity", "tax_code", "period", "source_file", "source_row",
    "message_vi", "message_en", "observed", "expected", "detected_at", "finding_key",
)


def finding_key(
    rule_id: str,
    *,
    tax_code: str | None = None,
    period: str | None = None,
    source_file: str | None = None,
    source_row: int | None = None,
    subject: str | None = None,
    scope: str = "auto",
) -> str:
    """Stable identity of a finding: the same problem gives the same key in every run.

    `subject` disambiguates findings that share rule and location but concern different
    things (a control-total metric, a missing column, an org code). `scope="entity"` keys a
    finding by what it is about even when it also names a file (C001 follows the metric and
    quarter, whichever file published the figure).
    """
    if source_file is not None and scope != "entity":
        parts = [rule_id, "file", source_file, str(source_row or 0)]
    else:
        parts = [rule_id, "entity", tax_code or "", period or ""]
    if subject:
        parts.append(subject)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Finding:
    rule_id: str
    message_vi: str
    message_en: str
    tax_code: str | None = None
    period: str | None = None
    source_file: str | None = None
    source_row: int | None = None
    observed: str | None = None
    expected: str | None = None
    subject: str | None = None
    scope: str = "auto"
    detected_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))

    @property
    def severity(self) -> str:
        return SEVERITY_BY_RULE[self.rule_id]

    @property
    def key(self) -> str:
        return finding_key(
            self.rule_id,
            tax_code=self.tax_code,
            period=self.period,
            source_file=self.source_file,
            source_row=self.source_row,
            subject=self.subject,
            scope=self.scope,
        )

    def as_row(self, run_id: str) -> dict[str, object]:
        row = asdict(self)
        row.pop("subject")
        row.pop("scope")
        row.update(run_id=run_id, severity=self.severity, finding_key=self.key)
        return {column: row[column] for column in FINDING_COLUMNS}
