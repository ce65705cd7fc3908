"""One shape for every finding, whichever layer makes it, and its stable key.

Auditors follow a problem across runs by `finding_key`, so the key depends only on what
the finding is about (rule + entity + quarter, or rule + file + row), never on the run,
the time or the wording of the message. `origin` says which layer made the finding
(ingest, dbt, gx, control_totals); the lifecycle decides from it how a finding is seen
again in a later run (docs/architecture.md, "Findings").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pipelines.lib.rule_catalogue import severity_of

ORIGINS = ("ingest", "dbt", "gx", "control_totals")

# The columns of audit.dq_findings (outputs.md §2), then what this project adds.
FINDING_COLUMNS = (
    "run_id", "rule_id", "severity", "tax_code", "period", "source_file", "source_row",
    "message_vi", "message_en", "observed", "expected", "detected_at", "finding_key", "origin",
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


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


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
    origin: str = "ingest"
    # None: the catalogue's severity. dbt grades its findings by joining the same catalogue,
    # and that grade is kept as given.
    graded: str | None = None
    detected_at: datetime = field(default_factory=_now)

    def __post_init__(self) -> None:
        if self.origin not in ORIGINS:
            raise ValueError(f"unknown finding origin {self.origin!r}")

    @property
    def severity(self) -> str:
        return self.graded or severity_of(self.rule_id)

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
        """The finding as a row of audit.dq_findings, in FINDING_COLUMNS order."""
        return {
            "run_id": run_id, "rule_id": self.rule_id, "severity": self.severity, "tax_code": self.tax_code,
            "period": self.period, "source_file": self.source_file, "source_row": self.source_row,
            "message_vi": self.message_vi, "message_en": self.message_en, "observed": self.observed,
            "expected": self.expected, "detected_at": self.detected_at, "finding_key": self.key,
            "origin": self.origin,
        }
