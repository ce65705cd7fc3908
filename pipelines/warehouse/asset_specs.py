"""The dbt steps' asset and check specs: translated by dagster-dbt once per code version.

Why: `import dagster_dbt` imports dbt itself (`dagster_dbt.compat`: ~1.2–1.7 s, more than
`import dagster`), and a run needs dbt only when a dbt step builds. Loading the definitions
used it to turn `manifest.json` into specs on every start, so every run, a no-op included,
and every `dagster dev` reload paid it. Now dagster-dbt's own `@dbt_assets`, with our
`WarehouseTranslator`, makes the specs once per code version (`build_state.code_version`,
which covers the dbt project, the translator and the expectation suites it reads) and they are
kept as JSON beside the manifest (`target/asset_specs.json`). Every load, fresh or cached, builds
the two multi-assets from that JSON (`step_definition`), so there is one shape of the graph,
not two. A run whose dbt steps skip never imports dbt at all (docs/performance.md, session 12).

Kept from dagster-dbt's specs: everything the UI and our steps read (keys, deps, descriptions
with the SQL, column schemas, table names, code versions, kinds, owners, check specs with
their `dagster_dbt/unique_id`). Dropped: three metadata entries that hold live Python objects
(the manifest, the translator, the project) and serve only dagster-dbt's own helpers, which
this project does not call. A spec field dagster-dbt starts setting that this encoding does not
carry raises, rather than vanishing (`_plain`).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from dagster import AssetCheckSpec, AssetDep, AssetKey, AssetSpec
from dagster._serdes import deserialize_value, serialize_value

from pipelines.config import resolve_paths
from pipelines.lib.build_state import code_version
from pipelines.warehouse.project import dbt_project, ensure_manifest

QUARTER_SHAPED = "stg_union_reports+"
# Each dbt step → its dbt selection (the split is explained in assets.py).
STEPS: dict[str, dict[str, str]] = {"warehouse_models": {"exclude": QUARTER_SHAPED},
                                    "warehouse_quarter_models": {"select": QUARTER_SHAPED}}
CACHE_NAME = "asset_specs.json"
DROPPED_METADATA = frozenset({"dagster_dbt/manifest", "dagster_dbt/dagster_dbt_translator", "dagster_dbt/project"})
_PRIMITIVE = (str, int, float, bool, type(None))
# DuckDB names a database after its file: `warehouse.duckdb` is catalog `warehouse`. The
# manifest was parsed against a placeholder file, so its `database` is not the real one.
WAREHOUSE_CATALOG = resolve_paths().warehouse_db.stem


def cache_path() -> Path:
    return dbt_project.manifest_path.with_name(CACHE_NAME)


def cache_key() -> str:
    """What the specs depend on: the code (dbt project, translator, suites), the warehouse's
    catalog name (`dagster/table_name`) and the dagster-dbt that translated them."""
    return f"{code_version()}:{WAREHOUSE_CATALOG}:{importlib.metadata.version('dagster-dbt')}"


def dbt_selection(step: str) -> list[str]:
    """The step's nodes as dbt arguments (`--exclude stg_union_reports+`): the same selection
    its specs were translated from, so the step builds exactly the assets it declares."""
    return [arg for flag, value in STEPS[step].items() for arg in (f"--{flag}", value)]


def step_definition(step: str) -> dict[str, Any]:
    """Keyword arguments for `multi_asset` of one dbt step (its specs, check specs, op tags)."""
    entry = _loaded_steps()[step]
    return {"name": step, "specs": [_spec_from(d) for d in entry["specs"]],
            "check_specs": [_check_from(d) for d in entry["checks"]], "op_tags": entry["op_tags"],
            "can_subset": True, "allow_arbitrary_check_specs": True}


@cache
def _loaded_steps() -> dict[str, Any]:
    """Read once per process: both steps are defined from the one file."""
    return _cached_or_translated()


def _cached_or_translated() -> dict[str, Any]:
    ensure_manifest()
    key, path = cache_key(), cache_path()
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if cached.get("key") == key:
            return cached["steps"]
    except (OSError, ValueError):
        pass  # missing or half-written by an older version: translate again
    steps = translate()
    staging = path.with_name(f"{CACHE_NAME}.{os.getpid()}.tmp")
    staging.write_text(json.dumps({"key": key, "steps": steps}, ensure_ascii=False), encoding="utf-8")
    os.replace(staging, path)  # `dagster dev` and `uw run` may both translate: the last one wins whole
    return steps


def translate() -> dict[str, Any]:
    """dagster-dbt's specs of each step, as JSON (imports dagster-dbt and dbt: a new code version only)."""
    from dagster_dbt import dbt_assets

    from pipelines.warehouse.translator import WarehouseTranslator

    translator, steps = WarehouseTranslator(), {}
    for step, selection in STEPS.items():
        @dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=translator, name=step,
                    project=dbt_project.for_dagster_dbt(), **selection)
        def translated(context):  # only its specs are used; the step's body is in assets.py
            raise NotImplementedError

        steps[step] = {"specs": [_spec_to(s) for s in translated.specs],
                       "checks": [_check_to(c) for c in translated.check_specs],
                       "op_tags": dict(translated.op.tags)}
    return steps


def _plain(record, carried: set[str], what: str) -> None:
    """Every field this encoding leaves out is at its default, or the translation would lose it."""
    for name, value in record._asdict().items():
        if name not in carried and value not in (None, False, [], {}, ()):
            raise ValueError(f"dagster-dbt set {what}.{name} = {value!r}, which asset_specs.py does not keep")


def _deps_to(deps: list[AssetDep], what: str) -> list[dict[str, Any]]:
    for dep in deps:
        _plain(dep, {"asset_key", "metadata"}, f"{what} dep")
    return [{"key": dep.asset_key.path, "metadata": _metadata_to(dep.metadata)} for dep in deps]


def _deps_from(encoded: list[dict[str, Any]]) -> list[AssetDep]:
    return [AssetDep(AssetKey(d["key"]), metadata=_metadata_from(d["metadata"])) for d in encoded]


def _metadata_to(metadata: dict[str, Any]) -> dict[str, Any]:
    return {name: value if isinstance(value, _PRIMITIVE) else {"serdes": serialize_value(value)}
            for name, value in metadata.items() if name not in DROPPED_METADATA}


def _metadata_from(encoded: dict[str, Any]) -> dict[str, Any]:
    return {name: deserialize_value(value["serdes"]) if isinstance(value, dict) else value
            for name, value in encoded.items()}


_SPEC_FIELDS = {"key", "deps", "description", "metadata", "group_name", "skippable", "code_version", "owners", "tags"}


def _spec_to(spec: AssetSpec) -> dict[str, Any]:
    _plain(spec, _SPEC_FIELDS, "AssetSpec")
    return {"key": spec.key.path, "deps": _deps_to(spec.deps, "AssetSpec"), "description": spec.description,
            "metadata": _metadata_to(spec.metadata), "group_name": spec.group_name, "skippable": spec.skippable,
            "code_version": spec.code_version, "owners": list(spec.owners), "tags": dict(spec.tags)}


def _spec_from(d: dict[str, Any]) -> AssetSpec:
    return AssetSpec(key=AssetKey(d["key"]), deps=_deps_from(d["deps"]), description=d["description"],
                     metadata=_metadata_from(d["metadata"]), group_name=d["group_name"], skippable=d["skippable"],
                     code_version=d["code_version"], owners=d["owners"], tags=d["tags"])


_CHECK_FIELDS = {"name", "asset_key", "description", "additional_deps", "blocking", "metadata"}


def _check_to(check: AssetCheckSpec) -> dict[str, Any]:
    _plain(check, _CHECK_FIELDS, "AssetCheckSpec")
    return {"name": check.name, "asset_key": check.asset_key.path, "description": check.description,
            "additional_deps": _deps_to(check.additional_deps, "AssetCheckSpec"), "blocking": check.blocking,
            "metadata": _metadata_to(check.metadata)}


def _check_from(d: dict[str, Any]) -> AssetCheckSpec:
    return AssetCheckSpec(name=d["name"], asset=AssetKey(d["asset_key"]), description=d["description"],
                          additional_deps=_deps_from(d["additional_deps"]), blocking=d["blocking"],
                          metadata=_metadata_from(d["metadata"]))
