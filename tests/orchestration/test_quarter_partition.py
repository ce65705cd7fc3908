"""Re-running one quarter after a full run rewrites that quarter's rows and no other's."""

import duckdb
import pytest
from dagster import AssetKey, DagsterInstance

from pipelines.definitions import FULL_RUN_JOB, defs
from pipelines.lib.quarters import quarter_range_label
from pipelines.orchestration.partitions import REPORTING_QUARTER
from pipelines.warehouse.project import WAREHOUSE_DB_ENV
from tests.conftest import run_uw

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("orchestration_partition")]


def _per_quarter(warehouse_db) -> dict[str, tuple]:
    with duckdb.connect(str(warehouse_db), read_only=True) as con:
        raw = {p: (n, at) for p, n, at in con.execute(
            "select period, count(*), max(loaded_at) from raw.union_reports group by period").fetchall()}
        mart = dict(con.execute("select period, count(*) from marts.fct_union_report group by period").fetchall())
    return {p: (*raw[p], mart.get(p, 0)) for p in raw}


def test_one_quarter_partition_leaves_other_quarters_untouched(sample_inbox, tmp_path, monkeypatch):
    warehouse = tmp_path / "warehouse"
    full = run_uw("run", "--inbox", str(sample_inbox), "--warehouse", str(warehouse))
    assert full.returncode == 0, full.stdout[-3000:] + full.stderr[-3000:]
    before = _per_quarter(warehouse / "warehouse.duckdb")
    quarter = sorted(before)[len(before) // 2]

    monkeypatch.setenv(WAREHOUSE_DB_ENV, str(warehouse / "warehouse.duckdb"))  # restored after the test
    graph = defs.resolve_asset_graph()
    quarter_assets = [k for k in graph.get_all_asset_keys() if graph.get(k).partitions_def == REPORTING_QUARTER]
    assert AssetKey(["marts", "fct_union_report"]) in quarter_assets
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions(REPORTING_QUARTER.name, sorted(before))
        result = defs.resolve_job_def(FULL_RUN_JOB).execute_in_process(
            run_config={"resources": {"paths": {"config": {
                "inbox_dir": str(sample_inbox), "warehouse_dir": str(warehouse)}}}},
            instance=instance, partition_key=quarter, asset_selection=quarter_assets, raise_on_error=False)
        messages = [entry.user_message for entry in instance.all_logs(result.run_id)]
    assert result.success
    # the later quarters look back at this one: the step says this run leaves them unmarked
    later = [p for p in sorted(before) if p > quarter]
    assert later
    assert any(m.startswith(f"quarters {quarter_range_label(later)} look back at {quarter}") for m in messages)
    materialized = [e.event_specific_data.materialization for e in result.get_asset_materialization_events()
                    if e.asset_key == AssetKey(["raw", "union_reports"])]
    assert materialized[0].metadata["mode"].value == "re-read from archive"
    assert materialized[0].partition == quarter

    after = _per_quarter(warehouse / "warehouse.duckdb")
    assert set(after) == set(before)
    for period, (rows, loaded_at, mart_rows) in before.items():
        if period == quarter:
            assert after[period][0] == rows and after[period][2] == mart_rows
            assert after[period][1] > loaded_at, "the quarter was re-read"
        else:
            assert after[period] == (rows, loaded_at, mart_rows), period
