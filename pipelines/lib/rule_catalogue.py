"""The rule catalogue: the one place that says what a rule id means and how severe it is.

The catalogue is a dbt seed (`dbt_project/seeds/rule_catalogue.csv`), so the SQL rules join
it in the warehouse and BI tools read it from `marts`; Python reads the same file here, so
ingest, the report, the spreadsheet export and the feedback to enterprises never keep a
second copy of a severity or a meaning. `tests/quality/test_rule_catalogue.py` holds it to
`shared/spec/rules.md`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CATALOGUE_CSV = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "rule_catalogue.csv"

SEVERITIES = ("error", "warning", "info")
LAYERS = ("ingest", "gx", "dbt", "control_totals")


@dataclass(frozen=True)
class Rule:
    rule_id: str
    family: str
    severity: str
    made_in: tuple[str, ...]
    blocks_publish: bool
    meaning_vi: str
    meaning_en: str
    action_vi: str
    action_en: str


@cache
def rule_catalogue() -> dict[str, Rule]:
    """Every rule by id, in the catalogue's order."""
    with CATALOGUE_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rules: dict[str, Rule] = {}
    for row in rows:
        rule = Rule(
            rule_id=row["rule_id"],
            family=row["family"],
            severity=row["severity"],
            made_in=tuple(row["made_in"].split("|")),
            blocks_publish=row["blocks_publish"].strip().lower() == "true",
            meaning_vi=row["meaning_vi"],
            meaning_en=row["meaning_en"],
            action_vi=row["action_vi"],
            action_en=row["action_en"],
        )
        if rule.severity not in SEVERITIES or not set(rule.made_in) <= set(LAYERS):
            raise ValueError(f"rule catalogue: bad severity or layer for {rule.rule_id}")
        rules[rule.rule_id] = rule
    return rules


def rule(rule_id: str) -> Rule:
    return rule_catalogue()[rule_id]


def severity_of(rule_id: str) -> str:
    return rule_catalogue()[rule_id].severity
