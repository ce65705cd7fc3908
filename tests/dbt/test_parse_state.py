"""The dbt parse state is judged by the project files' contents, never their times.

dbt rewrites `partial_parse.msgpack` only when its parse finds a change. Judged by
modification times, a project file touched but not changed (a checkout, a copy, an
editor's save) once left the state older than the files for good, so every run parsed
twice more; and a changed file that kept an old time (a release unpacked with its
archive's times) was never parsed, so runs used the old models' SQL. These tests parse a
copy of the project, so the real one's state is never touched.
"""

import os
import shutil
import time

from dagster_dbt import DbtProject

from pipelines.config import DBT_PROJECT_DIR
from pipelines.warehouse import project as project_module
from pipelines.warehouse.project import ensure_manifest, manifest_is_stale


def _copy_of_project(tmp_path) -> DbtProject:
    folder = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, folder, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    return DbtProject(project_dir=folder, profiles_dir=folder)


def _state(project: DbtProject):
    return project.manifest_path.with_name("partial_parse.msgpack")


def _count_parses(monkeypatch) -> list:
    real_run, parses = project_module.subprocess.run, []

    def counted_run(args, **kwargs):
        parses.append(args)
        return real_run(args, **kwargs)

    monkeypatch.setattr(project_module.subprocess, "run", counted_run)
    return parses


def test_a_touched_but_unchanged_file_needs_no_parse(tmp_path, monkeypatch):
    project = _copy_of_project(tmp_path)
    assert manifest_is_stale(project)
    ensure_manifest(project)
    assert not manifest_is_stale(project)

    model = project.project_dir / "models" / "marts" / "headline_figures.sql"
    time.sleep(0.01)
    os.utime(model)  # touched, not changed
    state_before = _state(project).read_bytes()
    parses = _count_parses(monkeypatch)
    ensure_manifest(project)

    assert parses == [], "the same contents need no parse, whatever their times"
    assert _state(project).read_bytes() == state_before
    assert not manifest_is_stale(project), "nothing is left to parse at the next run either"


def test_a_changed_file_with_an_old_time_is_parsed(tmp_path):
    # a release unpacked with its archive's times, `cp -p`, `rsync -t`
    project = _copy_of_project(tmp_path)
    ensure_manifest(project)
    model = project.project_dir / "models" / "marts" / "headline_figures.sql"
    model.write_text(model.read_text() + "\n-- shipped long ago\n")
    os.utime(model, (946684800, 946684800))  # 2000-01-01, older than the parse state

    assert manifest_is_stale(project)
    ensure_manifest(project)
    assert "shipped long ago" in project.manifest_path.read_text()
    assert not manifest_is_stale(project)


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

    project = _copy_of_project(tmp_path)
    parses = _count_parses(monkeypatch)
    with ThreadPoolExecutor(max_workers=2) as pool:
        manifests = list(pool.map(lambda _: ensure_manifest(project), range(2)))

    assert len(parses) == 1, "the second loader must wait for the first parse, not start its own"
    assert manifests[0] == manifests[1] == project.manifest_path
    assert not manifest_is_stale(project)
