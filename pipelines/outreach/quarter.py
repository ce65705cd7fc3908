"""A reporting quarter as the forms show it: its days, its Vietnamese label, its deadline.

The period is read with the ingest parser, so `--period` accepts every form a report may
carry (`2023-Q4`, `Quý IV/2023`, `Q4/2023` …) and the forms write back a form it reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pipelines.ingest.values import ValueProblem, parse_period

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
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
        return f"Quý {ROMAN[self.number]}/{self.year}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        following = date(self.year + 1, 1, 1) if self.number == 4 else date(self.year, 3 * self.number + 1, 1)
        return following - timedelta(days=1)

    @property
    def deadline(self) -> date:
        return self.end + timedelta(days=DEADLINE_DAYS_AFTER_END)


def label_of(period_key: str) -> str:
    return Quarter.parse(period_key).label
