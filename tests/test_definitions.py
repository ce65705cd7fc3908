"""The code location loads, has the asset graph users expect, and stays light to import."""

import os
import subprocess
import sys
from pathlib import Path

from dagster import AssetKey, asset, materialize

from pipelines.definitions import FULL_RUN_JOB, defs
from pipelines.resources import NoValuesIOManager

MAIN_ASSETS = [
    ["raw", "enterprises"], ["raw", "union_reports"], ["raw", "party_orgs"], ["raw", "candidates"],
    ["raw", "control_totals"], ["staging", "stg_union_reports"], ["intermediate", "int_union_reports_accepted"],
    ["marts", "dim_enterprise"], ["marts", "fct_union_report"], ["marts", "headline_figures"],
    ["marts", "target_tracking"], ["audit", "dq_findings"], ["reports", "dq_report"], ["serving", "serving_duckdb"],
]


def _graph():
    return defs.resolve_asset_graph()


def test_main_assets_are_in_the_graph():
    keys = _graph().get_all_asset_keys()
    missing = [path for path in MAIN_ASSETS if AssetKey(path) not in keys]
    assert missing == []


def test_layers_are_wired_in_order():
    graph = _graph()
    for kind in ("enterprises", "union_reports", "party_orgs"):
        assert _reaches(graph, AssetKey(["raw", kind]), AssetKey(["marts", "headline_figures"])), kind
    assert _reaches(graph, AssetKey(["raw", "candidates"]), AssetKey(["marts", "fct_party_candidate"]))
    assert not _reaches(graph, AssetKey(["marts", "headline_figures"]), AssetKey(["raw", "union_reports"]))
    assert _reaches(graph, AssetKey(["marts", "headline_figures"]), AssetKey(["audit", "dq_findings"]))
    assert _reaches(graph, AssetKey(["audit", "dq_findings"]), AssetKey(["reports", "dq_report"]))
    assert _reaches(graph, AssetKey(["reports", "dq_report"]), AssetKey(["serving", "serving_duckdb"]))


def _reaches(graph, source: AssetKey, target: AssetKey) -> bool:
    frontier, seen = [source], set()
    while frontier:
        key = frontier.pop()
        if key == target:
            return True
        if key in seen:
            continue
        seen.add(key)
        frontier.extend(graph.get(key).child_keys)
    return False


def test_groups_follow_the_layers():
    graph = _graph()
    assert graph.get(AssetKey(["raw", "union_reports"])).group_name == "ingest"
    assert graph.get(AssetKey(["marts", "headline_figures"])).group_name == "warehouse"
    assert graph.get(AssetKey(["audit", "dq_findings"])).group_name == "quality"
    assert graph.get(AssetKey(["serving", "serving_duckdb"])).group_name == "publish"


def test_control_total_check_guards_headline_figures_and_dbt_tests_are_checks():
    check_keys = _graph().asset_check_keys
    names_on_headline = {k.name for k in check_keys if k.asset_key == AssetKey(["marts", "headline_figures"])}
    assert "c001_control_totals" in names_on_headline
    assert len(check_keys) > 50  # dbt tests appear as asset checks


def test_no_check_stops_the_run_the_gate_decides():
    """dagster-dbt makes each error-severity test a blocking check, whose failure fails the dbt step
    and so the run, before the gate and the report (tests/e2e/test_build_past_failing_tests.py)."""
    specs = [spec for assets_def in defs.resolve_asset_graph().assets_defs for spec in assets_def.check_specs]
    assert len(specs) > 50
    assert [spec.key for spec in specs if spec.blocking] == []


def test_full_run_job_exists():
    assert defs.resolve_job_def(FULL_RUN_JOB).name == FULL_RUN_JOB


def test_loading_definitions_does_not_import_great_expectations():
    code = "import sys, pipelines.definitions; print('great_expectations' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_job_stores_no_values_and_refuses_a_step_that_returns_one():
    """Steps share tables, not objects: the I/O manager keeps nothing (and spares a run fsspec's import)."""
    assert isinstance(defs.resources["io_manager"], NoValuesIOManager)

    @asset
    def returns_a_frame():
        return [1, 2, 3]

    @asset
    def returns_nothing() -> None:
        return None

    refused = materialize([returns_a_frame], resources={"io_manager": NoValuesIOManager()}, raise_on_error=False)
    assert not refused.success
    assert materialize([returns_nothing], resources={"io_manager": NoValuesIOManager()}).success


def test_the_gate_is_decided_once_upstream_of_the_report_and_the_publish_step():
    graph = _graph()
    gate = AssetKey(["audit", "publish_gate"])
    assert _reaches(graph, AssetKey(["audit", "dq_findings"]), gate)
    assert gate in graph.get(AssetKey(["reports", "dq_report"])).parent_keys
    assert gate in graph.get(AssetKey(["serving", "serving_duckdb"])).parent_keys


SNAPSHOT = Path(__file__).parent / "snapshots" / "asset_graph.txt"
UPDATE_ENV = "UW_UPDATE_SNAPSHOTS"


def asset_graph_snapshot() -> str:
    """Every asset with its upstream keys, then every asset check, one per line, sorted."""
    graph = _graph()
    lines = []
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        parents = ", ".join(sorted(p.to_user_string() for p in graph.get(key).parent_keys))
        lines.append(f"asset {key.to_user_string()} <- [{parents}]")
    lines += sorted(f"check {k.asset_key.to_user_string()}:{k.name}" for k in graph.asset_check_keys)
    return "\n".join(lines) + "\n"


def test_asset_graph_and_every_check_match_the_snapshot():
    """A lost asset or check (a dbt test dropped by a refactor, a GX expectation gone) fails here.

    After an intended change, regenerate with `UW_UPDATE_SNAPSHOTS=1 pytest tests/test_definitions.py`
    and review the diff of tests/snapshots/asset_graph.txt like code.
    """
    current = asset_graph_snapshot()
    if os.environ.get(UPDATE_ENV):
        SNAPSHOT.write_text(current, encoding="utf-8")
    stored = SNAPSHOT.read_text(encoding="utf-8")
    lost = sorted(set(stored.splitlines()) - set(current.splitlines()))
    added = sorted(set(current.splitlines()) - set(stored.splitlines()))
    assert (lost, added) == ([], []), f"lost: {lost[:20]}\nadded: {added[:20]}\n(regenerate: {UPDATE_ENV}=1)"
    assert sum(line.startswith("check ") for line in stored.splitlines()) > 50
