"""The warm-up import runs on a side thread, once, and a failed warm-up leaves the real import's error intact."""

from __future__ import annotations

import importlib
import sys
import threading

import pytest

from pipelines.lib import warm_imports


def _write_module(folder, name: str, body: str) -> None:
    (folder / f"{name}.py").write_text(body, encoding="utf-8")


def _wait_for_warm_threads() -> None:
    for thread in threading.enumerate():
        if thread.name.startswith("warm-import-"):
            thread.join(timeout=30)


def test_module_is_imported_on_another_thread_once(tmp_path, monkeypatch):
    name = "uw_warm_probe_ok"
    _write_module(tmp_path, name, "import threading\nIMPORTED_ON = threading.current_thread().name\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    assert warm_imports.warm_import(name) is True
    assert warm_imports.warm_import(name) is False  # already warming or loaded
    _wait_for_warm_threads()
    assert f"warm-import-{name}" == sys.modules[name].IMPORTED_ON
    assert importlib.import_module(name) is sys.modules[name]
    monkeypatch.delitem(sys.modules, name)


def test_a_failed_warm_up_leaves_the_error_to_the_real_import(tmp_path, monkeypatch):
    name = "uw_warm_probe_broken"
    _write_module(tmp_path, name, "raise RuntimeError('broken on purpose')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert warm_imports.warm_import(name) is True
    _wait_for_warm_threads()
    assert name not in sys.modules
    with pytest.raises(RuntimeError, match="broken on purpose"):
        importlib.import_module(name)
    assert warm_imports.warm_import(name) is True  # a failed warm-up may be tried again
    _wait_for_warm_threads()


def test_a_loaded_module_is_not_warmed_again():
    assert warm_imports.warm_import("json") is False


def test_a_run_of_the_whole_job_warms_great_expectations_up():
    """`execute_in_process` without a selection gives the run an empty set, not None: that is
    the whole job, validation included (the warm-up never started while it read as "no")."""
    from types import SimpleNamespace

    from dagster import AssetKey

    from pipelines.warehouse.assets import GX_VALIDATION, _validates_later

    def run(selection):
        return SimpleNamespace(run=SimpleNamespace(asset_selection=selection))

    assert _validates_later(run(None)) and _validates_later(run(frozenset()))
    assert _validates_later(run(frozenset({GX_VALIDATION, AssetKey(["marts", "fct_union_report"])})))
    assert not _validates_later(run(frozenset({AssetKey(["marts", "fct_union_report"])})))
