"""A run costs what changed, and changes nothing a full rebuild would not.

One small inbox (the clean rules world, its union reports split into a Q1 and a Q2 file)
is run the way the data office runs it: Q1 first, the same inbox again (nothing new), then
with the Q2 file added. A second warehouse gets the complete inbox in one cold run. The
marts and the current findings of the two must be identical, and the runs in between must
have done only what their inputs called for.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO_ROOT, uw_environment
from tests.rules.inbox import REPORT_HEADER, base_world, write_inbox

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("incremental_run")]

Q2_FILE = "union_reports/2022/BC_CDCS_KCN_DV_2022_Q2.csv"


def _split_world():
    """The base world with its report file cut in two: Q1 rows stay, Q2 rows move to Q2_FILE."""
    world = base_world()
    (path, (header, rows)), = [(p, f) for p, f in world.files.items() if p.startswith("union_reports/")]
    assert header == REPORT_HEADER
    world.files[path] = (header, [r for r in rows if r[0] == "2022-Q1"])
    q2_rows = [r for r in rows if r[0] == "2022-Q2"]
    assert q2_rows and len(q2_rows) < len(rows)
    return world, q2_rows


# What a run with nothing new must not import: dbt and GX cost seconds, pandas and fsspec
# (Dagster's default pickling I/O manager) a tenth of a second each, of a no-op's ~1 s of own work.
HEAVY_MODULES = ("dbt.cli.main", "great_expectations", "pandas", "fsspec", "dagster_dbt")
# `uw run` as the console script runs it, in a child that also reports, on its last line,
# which of HEAVY_MODULES it imported and how often it started a DuckDB instance of the
# warehouse, and how often while the run held one (lib/warehouse_connection.py).
_PROBE = """
import json, sys
from pathlib import Path
import duckdb
from pipelines.lib import warehouse_connection
warehouse_db = (Path(sys.argv[2]) / "warehouse.duckdb").resolve()
opened_while_held, connect = [], duckdb.connect
def counting_connect(database=":memory:", *args, **kwargs):
    if str(database) != ":memory:" and Path(database).resolve() == warehouse_db:
        opened_while_held.append(warehouse_connection.is_held(warehouse_db))
    return connect(database, *args, **kwargs)
duckdb.connect = counting_connect
from pipelines.cli import exit_without_teardown, main
status = main(["run", "--inbox", sys.argv[1], "--warehouse", sys.argv[2]])
print(json.dumps({"imported": [m for m in sys.argv[3:] if m in sys.modules],
                  "warehouse_opens": len(opened_while_held), "opened_while_held": sum(opened_while_held)}))
exit_without_teardown(status)
"""


def _run(inbox: Path, warehouse: Path):
    """The run's result, its id, its steps' build actions, and what the probe saw."""
    result = subprocess.run([sys.executable, "-c", _PROBE, str(inbox), str(warehouse), *HEAVY_MODULES],
                            cwd=REPO_ROOT, env=uw_environment(), capture_output=True, text=True, timeout=600,
                            check=False)
    assert result.returncode in (0, 3), result.stdout[-3000:] + result.stderr[-3000:]
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        run_id = con.execute("select run_id from audit.runs order by finished_at desc limit 1").fetchone()[0]
        actions = dict(con.execute("select step, action from audit.build_log where run_id = ?", [run_id]).fetchall())
    return (result, run_id, actions), probe


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    work = tmp_path_factory.mktemp("incremental")
    world, q2_rows = _split_world()
    inbox = work / "inbox"
    write_inbox(world, inbox)
    warehouse = work / "incremental"
    found, probes = {}, {}
    found["first"], probes["first"] = _run(inbox, warehouse)
    found["again"], probes["again"] = _run(inbox, warehouse)
    world.add_rows(Q2_FILE, REPORT_HEADER, q2_rows)
    write_inbox(world, inbox)
    found["new_quarter"], probes["new_quarter"] = _run(inbox, warehouse)
    full_inbox = work / "full_inbox"
    shutil.copytree(inbox, full_inbox)
    found["full"], probes["full"] = _run(full_inbox, work / "full")
    return {**found, "probes": probes,
            "incremental_db": warehouse / "warehouse.duckdb", "full_db": work / "full" / "warehouse.duckdb"}


def test_second_run_on_the_same_inbox_skips_the_rebuild_and_keeps_the_record(runs):
    (first, first_id, first_actions), (again, again_id, again_actions) = runs["first"], runs["again"]
    assert again.returncode == first.returncode
    assert "rebuild:    skipped" in again.stdout
    assert "rebuild:    skipped" not in first.stdout
    assert set(first_actions.values()) == {"built"}
    assert again_actions and set(again_actions.values()) == {"skipped"}
    assert set(again_actions) == set(first_actions)
    with duckdb.connect(str(runs["incremental_db"]), read_only=True) as con:
        recorded = {r[0] for r in con.execute("select run_id from audit.runs").fetchall()}
        reasons = {r[0] for r in con.execute("select reason from audit.build_log where run_id = ?",
                                             [again_id]).fetchall()}
        verdicts = dict(con.execute("select run_id, gate_result from audit.runs").fetchall())
        again_tests = con.execute("select count(*) from audit.dbt_test_results where run_id = ?",
                                  [again_id]).fetchone()[0]
    assert {first_id, again_id} <= recorded
    # Launched without its dbt and GX steps (run_plan.py): every step says whose build holds,
    # and the gate judged that build's verdicts, so the verdict is the first run's.
    assert reasons == {f"not run: the build of run {first_id} holds"}
    assert again_tests == 0
    assert verdicts[again_id] == verdicts[first_id]


def test_a_run_with_nothing_new_imports_no_heavy_module(runs):
    assert runs["probes"]["again"]["imported"] == []
    assert "dbt.cli.main" in runs["probes"]["first"]["imported"]  # the probe sees imports


def test_every_step_of_a_run_shares_the_one_duckdb_instance_the_run_holds(runs):
    """A connection made around `connect_warehouse` would start an instance of its own (or be
    refused, if read-only, while the run holds the file)."""
    for name, probe in runs["probes"].items():
        assert probe["warehouse_opens"] >= 1, name  # the probe sees opens
        assert probe["opened_while_held"] == 0, name


def test_a_new_quarter_rebuilds_only_what_report_files_reach(runs):
    result, run_id, actions = runs["new_quarter"]
    assert actions["warehouse_quarter_models"] == "built"
    assert actions["great_expectations/stg_union_reports"] == "built"
    assert actions["warehouse_models"] == "skipped"
    assert actions["great_expectations/stg_enterprises"] == "skipped"
    # Only the new quarter's partitions, and no register step at all (run_plan.quarters_to_rebuild);
    # the full rebuild covers both quarters and runs the register step.
    assert re.search(r"quarter models\s+\d+ models × 1 quarter,", result.stdout), result.stdout
    assert "registers, dimensions" not in result.stdout
    assert re.search(r"quarter models\s+\d+ models × 2 quarters,", runs["full"][0].stdout)
    assert "registers, dimensions" in runs["full"][0].stdout
    with duckdb.connect(str(runs["incremental_db"]), read_only=True) as con:
        reason = con.execute("select reason from audit.build_log where run_id = ? and step = 'warehouse_models'",
                             [run_id]).fetchone()[0]
    assert reason == f"not run: the build of run {runs['first'][1]} holds"


def _table_rows(con, schema: str, table: str) -> list[tuple]:
    """Every row, without the load timestamps (two warehouses load at different times)."""
    columns = [name for name, kind in con.execute(
        "select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ? "
        "order by ordinal_position", [schema, table]).fetchall() if not kind.startswith("TIMESTAMP")]
    quoted = ", ".join(f'"{c}"' for c in columns)
    return sorted(con.execute(f'select {quoted} from "{schema}"."{table}"').fetchall(), key=repr)


def _marts(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [t for (t,) in con.execute("select table_name from information_schema.tables "
                                            "where table_schema = 'marts' order by 1").fetchall()]
        return {t: _table_rows(con, "marts", t) for t in tables}


def _current_findings(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return sorted(con.execute(
            "select finding_key, rule_id, severity, tax_code, period, source_file, source_row, observed, expected "
            "from audit.dq_findings_current").fetchall(), key=repr)


def test_incremental_marts_equal_a_full_rebuild(runs):
    incremental, full = _marts(runs["incremental_db"]), _marts(runs["full_db"])
    assert "headline_figures" in full and any(full.values())
    assert incremental == full


def test_incremental_current_findings_equal_a_full_rebuild(runs):
    assert _current_findings(runs["incremental_db"]) == _current_findings(runs["full_db"])
    assert runs["new_quarter"][0].returncode == runs["full"][0].returncode
