"""A reporting quarter as the forms show it: its days, its Vietnamese label, its deadline.

The period is read with the ingest parser, so `--period` accepts every form a report may
carry (`2023-Q4`, `Quý IV/2023`, `Q4/2023` …) and the forms write back a form it reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pipelines.ingest.dates import parse_period
from pipelines.ingest.values import ValueProblem
from pipelines.lib.quarters import quarter_end, quarter_start, vietnamese_quarter_label

# Reports are due on the 10th day after the quarter ends (docs/orchestration.md schedules).
DEADLINE_DAYS_AFTER_END = 10


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Raises ValueError on text that is no period."""
        try:
            key = parse_period(text)
        except ValueProblem as exc:
            raise ValueError(f"not a quarter: {text!r} (use 2023-Q4)") from exc
        if key is None:
            raise ValueError("no quarter given (use 2023-Q4)")
        year, number = key.split("-Q")
        return cls(int(year), int(number))

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        """`Quý IV/2023`: how the form's title and period cell write it (a period form ingest reads)."""
        return vietnamese_quarter_label(self.key)

    @property
    def start(self) -> date:
        return quarter_start(self.key)

    @property
    def end(self) -> date:
        return quarter_end(self.key)

    @property
    def deadline(self) -> date:
        return self.end + timedelta(days=DEADLINE_DAYS_AFTER_END)


def label_of(period_key: str) -> str:
    return Quarter.parse(period_key).label
