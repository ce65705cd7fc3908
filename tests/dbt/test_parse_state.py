"""The dbt parse state is judged by modification times: it must not go stale for good.

dbt rewrites `partial_parse.msgpack` only when its parse finds a change, so a project file
touched but not changed (a checkout, a copy, an editor's save) once left the state older
than the files forever, and every run then parsed twice more. These tests parse a copy of
the project, so the real one's state is never touched.
"""

import os
import shutil
import time

from dagster_dbt import DbtProject

from pipelines.config import DBT_PROJECT_DIR
from pipelines.warehouse.project import ensure_manifest, manifest_is_stale


def _copy_of_project(tmp_path) -> DbtProject:
    folder = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, folder, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    return DbtProject(project_dir=folder, profiles_dir=folder)


def _state(project: DbtProject):
    return project.manifest_path.with_name("partial_parse.msgpack")


def test_a_touched_but_unchanged_file_is_parsed_once_then_trusted(tmp_path):
    project = _copy_of_project(tmp_path)
    assert manifest_is_stale(project)
    ensure_manifest(project)
    assert not manifest_is_stale(project)

    model = project.project_dir / "models" / "marts" / "headline_figures.sql"
    time.sleep(0.01)
    os.utime(model)  # touched, not changed
    assert manifest_is_stale(project)
    state_before = _state(project).read_bytes()
    ensure_manifest(project)

    assert _state(project).read_bytes() == state_before, "nothing changed, so dbt keeps its state"
    assert not manifest_is_stale(project), "one parse must settle it, not one at every run"


def test_a_real_edit_still_reparses(tmp_path):
    project = _copy_of_project(tmp_path)
    ensure_manifest(project)
    model = project.project_dir / "models" / "marts" / "headline_figures.sql"
    time.sleep(0.01)
    model.write_text(model.read_text() + "\n-- an edit\n")

    assert manifest_is_stale(project)
    ensure_manifest(project)
    assert "an edit" in project.manifest_path.read_text(), "the new parse saw the edited model"


def test_two_loaders_at_once_parse_once(tmp_path, monkeypatch):
    # `dagster dev` and `uw run` both load the definitions; after an edit both find the state
    # stale. One parses, the other waits for it and then finds nothing left to do.
    from concurrent.futures import ThreadPoolExecutor

    from pipelines.warehouse import project as project_module

    project = _copy_of_project(tmp_path)
    real_run, parses = project_module.subprocess.run, []

    def counted_run(args, **kwargs):
        parses.append(args)
        return real_run(args, **kwargs)

    monkeypatch.setattr(project_module.subprocess, "run", counted_run)
    with ThreadPoolExecutor(max_workers=2) as pool:
        manifests = list(pool.map(lambda _: ensure_manifest(project), range(2)))

    assert len(parses) == 1, "the second loader must wait for the first parse, not start its own"
    assert manifests[0] == manifests[1] == project.manifest_path
    assert not manifest_is_stale(project)
