"""Matching a written zone name to the zone seed (inbound-reports.md §5).

The zone list is read from the dbt seed at run time so that adding a zone is a one-file
change that dbt and ingest see alike.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from pipelines.config import DBT_PROJECT_DIR
from pipelines.ingest.values import fold, normalize_text

ZONE_SEED = DBT_PROJECT_DIR / "seeds" / "industrial_zones.csv"
_PREFIX = re.compile(r"^(?:kcn|khu công nghiệp|khu cong nghiep|khu cn)\b\.?\s*")
_SUFFIX = re.compile(r"\s*\b(?:ip|industrial park|industrial zone)$")


def zone_key(text: object) -> str:
    """Lower-case, prefix/suffix words dropped, spacing around hyphens unified."""
    key = normalize_text(text).lower()
    key = re.sub(r"\s*-\s*", " - ", key)
    previous = None
    while previous != key:
        previous = key
        key = _SUFFIX.sub("", _PREFIX.sub("", key)).strip()
    return key


def build_zone_index(rows: list[dict[str, str]]) -> dict[str, str]:
    """Exact keys first; folded (no diacritics) keys only where they do not collide."""
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    for row in rows:
        names = [row["zone_name"], *[a for a in (row.get("aliases") or "").split("|") if a.strip()]]
        for name in names:
            exact.setdefault(zone_key(name), row["zone_code"])
            loose.setdefault(fold(zone_key(name)), row["zone_code"])
    return {**{f"~{k}": v for k, v in loose.items()}, **exact}


@lru_cache(maxsize=4)
def zone_index(seed: Path = ZONE_SEED) -> dict[str, str]:
    with seed.open(encoding="utf-8", newline="") as handle:
        return build_zone_index(list(csv.DictReader(handle)))


def match_zone(text: object, index: dict[str, str] | None = None) -> str | None:
    index = zone_index() if index is None else index
    key = zone_key(text)
    if key in index:
        return index[key]
    return index.get(f"~{fold(key)}")
