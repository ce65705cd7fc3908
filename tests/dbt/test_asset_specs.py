"""The dbt steps' specs, kept as JSON per code version, are dagster-dbt's own, and loading the
definitions needs neither dagster-dbt nor dbt (pipelines/warehouse/asset_specs.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from dagster import AssetCheckSpec, AssetSpec, AutomationCondition

from pipelines.warehouse import asset_specs
from pipelines.warehouse.project import dbt_project


def _comparable(spec: AssetSpec) -> AssetSpec:
    """dagster-dbt lists deps and tags in set order, which changes with the process's hash seed."""
    return spec._replace(deps=sorted(spec.deps, key=lambda dep: dep.asset_key.path),
                         tags=dict(sorted(spec.tags.items())),
                         metadata={k: v for k, v in spec.metadata.items() if k not in asset_specs.DROPPED_METADATA})


def _dagster_dbts(step: str):
    from dagster_dbt import dbt_assets

    from pipelines.warehouse.translator import WarehouseTranslator

    @dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=WarehouseTranslator(), name=step,
                project=dbt_project.for_dagster_dbt(), **asset_specs.STEPS[step])
    def translated(context):
        raise NotImplementedError

    return translated


@pytest.mark.parametrize("step", sorted(asset_specs.STEPS))
def test_the_kept_specs_are_dagster_dbts(step):
    expected = _dagster_dbts(step)
    kept = asset_specs.step_definition(step)
    assert sorted((_comparable(s) for s in kept["specs"]), key=lambda s: s.key.path) == \
        sorted((_comparable(s) for s in expected.specs), key=lambda s: s.key.path)
    assert sorted(kept["check_specs"], key=lambda c: c.name) == sorted(expected.check_specs, key=lambda c: c.name)
    assert kept["op_tags"] == dict(expected.op.tags)
    assert any(s.metadata.get("dagster/column_schema") for s in kept["specs"])  # the UI's columns survive
    assert all(not c.blocking for c in kept["check_specs"])  # the gate decides (translator.py)


def test_a_cache_of_another_code_version_is_translated_again(tmp_path, monkeypatch):
    cache = tmp_path / asset_specs.CACHE_NAME
    monkeypatch.setattr(asset_specs, "cache_path", lambda: cache)
    cache.write_text(json.dumps({"key": "another version", "steps": {"warehouse_models": {}}}), encoding="utf-8")
    steps = asset_specs._cached_or_translated()
    assert set(steps) == set(asset_specs.STEPS) and steps["warehouse_models"]["specs"]
    assert json.loads(cache.read_text(encoding="utf-8"))["key"] == asset_specs.cache_key()
    cache.write_text("{half written", encoding="utf-8")
    assert asset_specs._cached_or_translated() == steps


def test_a_field_the_encoding_does_not_keep_is_refused():
    spec = AssetSpec("some_model", automation_condition=AutomationCondition.eager())
    with pytest.raises(ValueError, match="automation_condition"):
        asset_specs._spec_to(spec)
    check = AssetCheckSpec("some_check", asset="some_model", partitions_def=None, blocking=True)
    assert asset_specs._check_from(asset_specs._check_to(check)) == check


def test_loading_the_definitions_imports_neither_dbt_nor_dagster_dbt():
    asset_specs.step_definition("warehouse_models")  # the cache of this code version exists
    probe = ("import sys, pipelines.definitions; print(sorted(m for m in sys.modules "
             "if m in ('dbt', 'dagster_dbt') or m.startswith(('dbt.', 'dagster_dbt.'))))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]", loaded.stdout[:500]
