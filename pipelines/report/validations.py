"""The Great Expectations results of a run, for the report's own validation pages.

GX's Data Docs load jQuery, Bootstrap and Vega from CDNs and render unstyled and empty on
an air-gapped laptop, so the report shows the validation results itself: every
expectation of every suite (`expectations/*.json`), what it checks in both languages, its
rule, and what the validation found, read from `audit.gx_results` (no GX import). The same
section is written as `reports/data_docs/index.html`, where `outputs.md` promises the
Data Docs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import duckdb

from pipelines.quality.gx_results import latest_results
from pipelines.quality.gx_suites import SuiteEntry, load_suites


@dataclass
class ExpectationView:
    check_name: str
    expectation_type: str
    description_vi: str
    description_en: str
    rule_id: str | None
    validated: bool
    success: bool = False
    element_count: int = 0
    unexpected_count: int = 0
    unexpected_sample: list[str] = field(default_factory=list)
    offending_rows: list[str] = field(default_factory=list)
    error: str | None = None
    run_id: str | None = None


@dataclass
class SuiteView:
    name: str
    description: str
    table: str
    expectations: list[ExpectationView]

    @property
    def passed(self) -> int:
        return sum(e.validated and e.success for e in self.expectations)


def _rows(stored: dict) -> list[str]:
    rows = json.loads(stored.get("offending_rows") or "[]")
    return [f"{r.get('source_file')}: {r.get('source_row')}" for r in rows[:10]]


def load_validations(con: duckdb.DuckDBPyConnection, suites: list[SuiteEntry] | None = None) -> list[SuiteView]:
    """Each suite with the latest stored result of each of its expectations (none yet: not validated)."""
    views = []
    for suite in suites if suites is not None else load_suites():
        stored = latest_results(con, suite.name)
        expectations = []
        for entry in suite.expectations:
            result = stored.get(entry.check_name)
            view = ExpectationView(entry.check_name, entry.expectation_type, entry.description_vi,
                                   entry.description_en, entry.rule_id, validated=result is not None)
            if result is not None:
                view.success = bool(result["success"])
                view.element_count = int(result["element_count"] or 0)
                view.unexpected_count = int(result["unexpected_count"] or 0)
                view.unexpected_sample = [str(v) for v in json.loads(result["partial_unexpected"] or "[]")]
                view.offending_rows = _rows(result)
                view.error = result["error"]
                view.run_id = result["run_id"]
            expectations.append(view)
        views.append(SuiteView(suite.name, suite.description, ".".join(suite.asset_key), expectations))
    return views
