"""The Great Expectations suites as plain data, read without importing Great Expectations.

The suites live in `expectations/*.json` in GX's own suite format, so a GX context can load
them unchanged. Dagster needs their names at definition time (one asset check per
expectation), and importing GX costs seconds, so the definitions read the JSON here and
only the validation step (`gx_validation.py`) imports GX.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from pipelines.config import EXPECTATIONS_DIR


@dataclass(frozen=True)
class ExpectationEntry:
    """One expectation of a suite, with what auditors need to read its result."""

    suite: str
    check_name: str
    expectation_type: str
    kwargs: dict
    rule_id: str | None
    description_vi: str
    description_en: str

    @property
    def description(self) -> str:
        rule = f"[{self.rule_id}] " if self.rule_id else ""
        return f"{rule}{self.description_vi} / {self.description_en}"


@dataclass(frozen=True)
class SuiteEntry:
    name: str
    asset_key: tuple[str, ...]
    description: str
    expectations: tuple[ExpectationEntry, ...]
    path: Path

    def raw(self) -> dict:
        """The suite JSON as stored, for GX (`ExpectationSuite(**suite.raw())`)."""
        return json.loads(self.path.read_text(encoding="utf-8"))


def check_name_of(expectation: dict) -> str:
    """A stable, readable check name: the suite author's, else type + columns."""
    meta = expectation.get("meta") or {}
    if meta.get("check_name"):
        return meta["check_name"]
    kwargs = expectation.get("kwargs", {})
    columns = [kwargs.get(k) for k in ("column", "column_A", "column_B") if kwargs.get(k)]
    columns += kwargs.get("column_list", [])
    name = "_".join([expectation["type"].removeprefix("expect_"), *columns])
    return re.sub(r"[^a-z0-9_]", "_", name.lower())


def _load_suite(path: Path) -> SuiteEntry:
    data = json.loads(path.read_text(encoding="utf-8"))
    meta = data.get("meta") or {}
    name = data["name"]
    entries = []
    for expectation in data.get("expectations", []):
        emeta = expectation.get("meta") or {}
        entries.append(ExpectationEntry(
            suite=name, check_name=check_name_of(expectation), expectation_type=expectation["type"],
            kwargs=dict(expectation.get("kwargs", {})), rule_id=emeta.get("rule_id"),
            description_vi=emeta.get("description_vi", ""), description_en=emeta.get("description_en", ""),
        ))
    names = [e.check_name for e in entries]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValueError(f"{path.name}: check names must be unique within a suite: {duplicated}")
    return SuiteEntry(
        name=name,
        asset_key=tuple(meta.get("asset_key") or ("staging", name)),
        description=f"{meta.get('description_vi', '')} / {meta.get('description_en', '')}".strip(" /"),
        expectations=tuple(entries),
        path=path,
    )


def load_suites(directory: Path = EXPECTATIONS_DIR) -> list[SuiteEntry]:
    """Every suite of the folder, sorted by name so the check graph is reproducible."""
    return [_load_suite(path) for path in sorted(directory.glob("*.json"))]
