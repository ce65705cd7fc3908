"""The Dagster UI on a first visit: no community pop-up, every check described, real storage names."""

import subprocess

from dagster import AssetKey, DagsterInstance

from pipelines.definitions import defs
from pipelines.lib.rule_catalogue import rule_catalogue
from pipelines.quality.gx_suites import load_suites
from tests.conftest import REPO_ROOT


def test_the_local_instance_of_make_run_and_make_dev_has_no_pop_up_and_no_telemetry(tmp_path):
    home = tmp_path / "dagster_home"
    result = subprocess.run(["make", "-s", "dagster-home", f"DAGSTER_HOME_DIR={home}"], cwd=REPO_ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    instance = DagsterInstance.from_config(str(home))
    assert instance.nux_enabled is False  # the webserver's shouldShowNux reads this
    assert instance.telemetry_enabled is False
    assert instance.get_settings("concurrency") == {"runs": {"max_concurrent_runs": 1}}
    # run twice (an existing file): nothing is duplicated
    subprocess.run(["make", "-s", "dagster-home", f"DAGSTER_HOME_DIR={home}"], cwd=REPO_ROOT, check=True)
    assert (home / "dagster.yaml").read_text().count("nux:") == 1


def test_every_asset_check_has_a_description():
    graph = defs.resolve_asset_graph()
    specs = [graph.get_check_spec(key) for key in graph.asset_check_keys]
    assert len(specs) > 150
    assert [spec.key for spec in specs if not spec.description] == []


def test_gx_checks_carry_their_rule_meaning_and_dbt_checks_say_what_blocks():
    graph = defs.resolve_asset_graph()
    by_name = {(key.asset_key, key.name): graph.get_check_spec(key).description for key in graph.asset_check_keys}
    for suite in load_suites():
        for entry in suite.expectations:
            description = by_name[(AssetKey(list(suite.asset_key)), entry.check_name)]
            assert entry.description_vi in description and entry.description_en in description
            if entry.rule_id:
                assert rule_catalogue()[entry.rule_id].meaning_vi in description
    blocking = [d for (asset, name), d in by_name.items()
                if asset.path[0] == "marts" and name.startswith("not_null_")]
    assert blocking and all("chặn công bố" in d and "blocks publishing" in d for d in blocking)


def test_storage_reads_as_the_real_warehouse_relation():
    graph = defs.resolve_asset_graph()
    for path in (["marts", "headline_figures"], ["staging", "stg_union_reports"], ["intermediate", "int_candidates"]):
        assert graph.get(AssetKey(path)).metadata.get("dagster/table_name") == "warehouse." + ".".join(path)
