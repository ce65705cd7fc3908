"""dbt docs: generated offline, every mart column described, every mart tested, exposures.

Runs `dbt docs generate` (catalog included) on the warehouse built by conftest.py with
every proxy pointed at a closed port, so any network access would fail the command, then
reads manifest.json and catalog.json.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from .conftest import PROJECT_DIR, run_dbt

pytestmark = pytest.mark.xdist_group("dbt_build")

OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
           "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "NO_PROXY": "", "no_proxy": ""}

# DuckDB-only syntax that must stay inside adapter-dispatched macros (macros/portable/)
DUCKDB_ONLY = [r"::", r"\bqualify\b", r"\bstrftime\s*\(", r"\blist_\w+\s*\(", r"\bstruct_\w+\s*\(",
               r"\bdate_diff\s*\(", r"\bdatediff\s*\(", r"\bdate_add\s*\(", r"\bepoch\w*\s*\(",
               r"\bregexp_matches\s*\(", r"\bgroup by all\b", r"\border by all\b", r"\bexclude\s*\("]


@pytest.fixture(scope="module")
def docs(built_warehouse):
    tmp = built_warehouse.db_path.parent
    for name, result in built_warehouse.results.items():
        assert result.returncode == 0, f"dbt {name} failed:\n{result.stdout[-4000:]}"
    saved = {k: os.environ.get(k) for k in OFFLINE}
    os.environ.update(OFFLINE)
    try:
        result = run_dbt(["docs", "generate"], built_warehouse.db_path, tmp)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    target = tmp / "target"
    return {
        "target": target,
        "manifest": json.loads((target / "manifest.json").read_text()),
        "catalog": json.loads((target / "catalog.json").read_text()),
    }


def _models(manifest: dict, schema: str | None = None) -> dict[str, dict]:
    return {uid: node for uid, node in manifest["nodes"].items()
            if node["resource_type"] == "model" and (schema is None or node["schema"] == schema)}


def test_docs_generate_writes_the_site_offline(docs):
    for name in ("index.html", "manifest.json", "catalog.json"):
        assert (docs["target"] / name).is_file(), name
    marts = _models(docs["manifest"], "marts")
    assert len(marts) >= 12
    assert set(marts) <= set(docs["catalog"]["nodes"])  # the catalog read every mart's columns


def test_every_mart_and_column_is_described_in_both_languages(docs):
    manifest, catalog = docs["manifest"], docs["catalog"]
    problems = []
    for uid, node in _models(manifest, "marts").items():
        if " / " not in node["description"]:
            problems.append(f"{node['name']}: model description missing or not bilingual")
        for column in catalog["nodes"][uid]["columns"]:
            documented = node["columns"].get(column.lower()) or node["columns"].get(column) or {}
            description = documented.get("description", "")
            if " / " not in description:
                problems.append(f"{node['name']}.{column}: {'not bilingual' if description else 'no description'}")
    assert not problems, "\n".join(problems)


def test_every_staging_and_intermediate_column_is_described(docs):
    manifest, catalog = docs["manifest"], docs["catalog"]
    problems = []
    for uid, node in _models(manifest).items():
        if node["schema"] == "marts":
            continue
        if not node["description"]:
            problems.append(f"{node['name']}: no description")
        for column in catalog["nodes"].get(uid, {}).get("columns", {}):
            if not (node["columns"].get(column.lower()) or {}).get("description"):
                problems.append(f"{node['name']}.{column}: no description")
    assert not problems, "\n".join(problems)


def test_no_mart_is_untested(docs):
    manifest = docs["manifest"]
    tested = set()
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test":
            if node.get("attached_node"):
                tested.add(node["attached_node"])
            tested.update(n for n in node["depends_on"]["nodes"] if n.startswith("model."))
    untested = sorted(node["name"] for uid, node in _models(manifest, "marts").items() if uid not in tested)
    assert not untested, f"marts without a data test: {untested}"
    # and every mart test blocks publishing unless it deliberately opted into `warn`
    severities = {node["config"]["severity"].lower() for node in manifest["nodes"].values()
                  if node["resource_type"] == "test" and node.get("attached_node", "").startswith("model.")}
    assert severities <= {"error", "warn"}


def test_exposures_for_the_auditor_report_and_the_published_marts(docs):
    exposures = {node["name"]: node for node in docs["manifest"]["exposures"].values()}
    assert {"auditor_report", "published_marts"} <= set(exposures)
    for exposure in exposures.values():
        assert exposure["owner"]["name"] or exposure["owner"]["email"]
        assert " / " in exposure["description"]
    marts = set(_models(docs["manifest"], "marts"))
    assert marts <= set(exposures["published_marts"]["depends_on"]["nodes"])
    auditor = set(exposures["auditor_report"]["depends_on"]["nodes"])
    assert {"model.union_warehouse.headline_figures", "model.union_warehouse.target_tracking",
            "model.union_warehouse.int_dq_findings"} <= auditor


def test_fct_union_report_is_incremental_on_both_adapters(docs):
    node = docs["manifest"]["nodes"]["model.union_warehouse.fct_union_report"]
    assert node["config"]["materialized"] == "incremental"
    assert node["config"]["incremental_strategy"] == "delete+insert"  # supported by dbt-duckdb and dbt-postgres
    assert node["config"]["unique_key"] == ["tax_code", "period"]


def test_no_duckdb_only_sql_in_models():
    offenders = []
    for path in sorted((PROJECT_DIR / "models").rglob("*.sql")):
        sql = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
        sql = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", "", sql, flags=re.S).lower()  # Jinja is not SQL
        for pattern in DUCKDB_ONLY:
            if re.search(pattern, sql):
                offenders.append(f"{Path(path).relative_to(PROJECT_DIR)}: {pattern}")
    assert not offenders, "DuckDB-only SQL outside macros/portable:\n" + "\n".join(offenders)
