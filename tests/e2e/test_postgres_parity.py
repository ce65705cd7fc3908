"""The same dbt project on PostgreSQL gives the same figures as on DuckDB (outputs.md §6).

A throwaway PostgreSQL cluster (scripts/postgres/throwaway-cluster.sh: initdb into /tmp,
a free local port, trust authentication on 127.0.0.1) is started for this module and
always stopped. The sample inbox is ingested once into a DuckDB file; its `raw` schema is
copied to PostgreSQL (scripts/postgres/copy_raw.py). Then `dbt build` runs on both
targets at once, and every row of marts.headline_figures and marts.target_tracking must
be identical (doubles to 1e-9), like the row count of every mart. Then a late revision and
an E004 copy reach PostgreSQL's raw schema, and an incremental `dbt run` of
fct_union_report there must rewrite only the changed pair and delete the conflicting one.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO_ROOT
from tests.e2e.test_sample_run import SEED_FIGURES

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("postgres")]

CLUSTER_SCRIPT = REPO_ROOT / "scripts" / "postgres" / "throwaway-cluster.sh"
COPY_RAW = REPO_ROOT / "scripts" / "postgres" / "copy_raw.py"
DBT = REPO_ROOT / ".venv" / "bin" / "dbt"
PROJECT_DIR = REPO_ROOT / "dbt_project"

HEADLINE_SQL = """
select cast(as_of as varchar), cast(window_start as varchar), metric, value
from marts.headline_figures order by 1, 2, 3
"""
TARGET_TRACKING_SQL = """
select year, metric, term, cast(as_of as varchar), actual, target_min, target_max, met, status,
       is_current_year, months_elapsed, quarters_remaining, remaining_to_min, pace_needed_per_quarter,
       target_source
from marts.target_tracking order by 1, 2
"""
MARTS_SQL = """
select table_name from information_schema.tables
where table_schema = 'marts' and table_type = 'BASE TABLE' order by 1
"""


def _postgres_bin() -> Path | None:
    if os.environ.get("PG_BIN") and (Path(os.environ["PG_BIN"]) / "initdb").exists():
        return Path(os.environ["PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


@pytest.fixture(scope="module")
def pg_env():
    """Start a throwaway cluster; yield the UW_PG_* variables; always stop and delete it."""
    if _postgres_bin() is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not installed; "
                    "`make test` installs them from Debian packages (scripts/install-test-deps.sh)")
    started = subprocess.run(["bash", str(CLUSTER_SCRIPT), "start"], capture_output=True, text=True,
                             timeout=120, check=False)
    env = {}
    for line in started.stdout.splitlines():
        if line.startswith("export ") and "=" in line:
            name, _, value = line[len("export "):].partition("=")
            env[name] = value
    try:
        assert started.returncode == 0, f"cluster did not start:\n{started.stdout}\n{started.stderr}"
        yield env
    finally:
        if env.get("UW_PG_CLUSTER_DIR"):
            subprocess.run(["bash", str(CLUSTER_SCRIPT), "stop", env["UW_PG_CLUSTER_DIR"]],
                           capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def raw_warehouse(sample_inbox, tmp_path_factory) -> Path:
    """The sample inbox ingested (raw and audit only) into a DuckDB file."""
    from pipelines.ingest import ingest_inbox

    folder = tmp_path_factory.mktemp("pg_parity_raw")
    db_path = folder / "warehouse.duckdb"
    ingest_inbox(sample_inbox, db_path, folder / "archive", "pg-parity", today=date.today())
    return db_path


def _dbt(args: list[str], work: Path, env: dict[str, str]) -> subprocess.Popen:
    command = [str(DBT), *args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
               "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--no-use-colors"]
    work.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def _finish(process: subprocess.Popen, what: str) -> str:
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, f"{what} failed:\n{output[-8000:]}"
    assert "ERROR=0" in output, output[-3000:]
    return output


def _base_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if not k.startswith("UW_PG_") and k not in ("UW_DBT_TARGET", "UW_WAREHOUSE_DB")} | {
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


@pytest.fixture(scope="module")
def builds(pg_env, raw_warehouse, tmp_path_factory):
    """`dbt build` of the sample on DuckDB and on PostgreSQL, side by side."""
    import psycopg2

    work = tmp_path_factory.mktemp("pg_parity")
    duck_db = work / "duckdb" / "warehouse.duckdb"
    duck_db.parent.mkdir()
    shutil.copyfile(raw_warehouse, duck_db)

    pg_process_env = _base_env() | pg_env | {"UW_DBT_TARGET": "postgres"}
    copied = subprocess.run([sys.executable, str(COPY_RAW), str(raw_warehouse)], env=pg_process_env,
                            capture_output=True, text=True, timeout=300, check=False)
    assert copied.returncode == 0, copied.stdout + copied.stderr

    duck = _dbt(["build"], work / "duckdb", _base_env() | {"UW_DBT_TARGET": "duckdb", "UW_WAREHOUSE_DB": str(duck_db)})
    pg = _dbt(["build"], work / "postgres", pg_process_env)
    outputs = {"duckdb": _finish(duck, "dbt build on DuckDB"), "postgres": _finish(pg, "dbt build on PostgreSQL")}

    connection = psycopg2.connect(host=pg_env["UW_PG_HOST"], port=int(pg_env["UW_PG_PORT"]),
                                  user=pg_env["UW_PG_USER"], password=pg_env.get("UW_PG_PASSWORD", ""),
                                  dbname=pg_env["UW_PG_DATABASE"])
    connection.autocommit = True  # no open transaction holds a lock while dbt rebuilds tables

    def pg_query(sql: str) -> list[tuple]:
        with connection.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()

    def duck_query(sql: str) -> list[tuple]:
        with duckdb.connect(str(duck_db), read_only=True) as con:
            return con.execute(sql).fetchall()

    try:
        yield {"pg": pg_query, "duck": duck_query, "outputs": outputs, "work": work, "pg_env": pg_process_env}
    finally:
        connection.close()


def _same_value(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is None and b is None
        return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-9)
    return a == b


def _assert_same_rows(duck_rows: list[tuple], pg_rows: list[tuple], what: str) -> None:
    assert len(duck_rows) == len(pg_rows), f"{what}: {len(duck_rows)} rows on DuckDB, {len(pg_rows)} on PostgreSQL"
    for duck_row, pg_row in zip(duck_rows, pg_rows, strict=True):
        assert len(duck_row) == len(pg_row)
        assert all(_same_value(a, b) for a, b in zip(duck_row, pg_row, strict=True)), \
            f"{what} differs:\n  DuckDB     {duck_row}\n  PostgreSQL {pg_row}"


def test_headline_figures_are_identical(builds):
    duck_rows, pg_rows = builds["duck"](HEADLINE_SQL), builds["pg"](HEADLINE_SQL)
    assert len(duck_rows) == 16 * len({row[0] for row in duck_rows}) > 16  # every metric, every quarter end
    _assert_same_rows(duck_rows, pg_rows, "headline_figures")


def test_postgres_reproduces_the_seed_figures(builds):
    figures = {metric: value for as_of, window_start, metric, value in builds["pg"](HEADLINE_SQL)
               if as_of == "2022-09-30" and window_start == "2018-01-01"}
    for metric, expected in SEED_FIGURES.items():
        assert figures[metric] == expected, metric


def test_target_tracking_is_identical_and_covers_2020_to_2022(builds):
    duck_rows, pg_rows = builds["duck"](TARGET_TRACKING_SQL), builds["pg"](TARGET_TRACKING_SQL)
    _assert_same_rows(duck_rows, pg_rows, "target_tracking")
    years = {(row[0], row[1]) for row in pg_rows}
    for year in (2020, 2021, 2022):
        assert (year, "party_members_admitted") in years
        assert (year, "party_orgs_established") in years


def test_every_mart_has_the_same_rows_count(builds):
    duck_marts = [row[0] for row in builds["duck"](MARTS_SQL)]
    pg_marts = [row[0] for row in builds["pg"](MARTS_SQL)]
    assert duck_marts == pg_marts
    for table in duck_marts:
        count_sql = f"select count(*) from marts.{table}"
        assert builds["duck"](count_sql) == builds["pg"](count_sql), table


FIGURES = ("workers_total, workers_female, members_total, members_female, members_joined, members_left, "
           "party_members, candidates_introduced, candidates_admitted, admitted_via_core_cell")

# a copy of the pair's only raw row, loaded now, as a later revision (+1) or as a
# conflicting copy of the same revision and date (an E004 pair); one more worker or seven
LATE_COPY_SQL = f"""
insert into raw.union_reports (period, tax_code, enterprise_name, {FIGURES}, submitted_on, revision,
    source_file, source_row, sha256, run_id, loaded_at, extra_columns)
select period, tax_code, enterprise_name, workers_total + %(more_workers)s, workers_female, members_total,
    members_female, members_joined, members_left, party_members, candidates_introduced, candidates_admitted,
    admitted_via_core_cell, submitted_on, coalesce(revision, 1) + %(revision_step)s, 'late/copy.xlsx',
    %(row)s, 'late', 'late-run', localtimestamp, '{{}}'
from raw.union_reports
where tax_code = %(tax_code)s and period = %(period)s
"""


def test_incremental_run_on_postgres_rewrites_only_changed_pairs(builds):
    """A late revision of one old quarter and a conflicting copy (E004) of another reach
    PostgreSQL: the incremental run rewrites the first pair, deletes the second, and leaves
    every other row as it was (built_at included)."""
    import psycopg2

    pg, env = builds["pg"], builds["pg_env"]
    columns = "tax_code, period, revision, workers_total, built_at"
    before = {(r[0], r[1]): r for r in pg(f"select {columns} from marts.fct_union_report")}
    revised, conflicted = pg("""
        select f.tax_code, f.period from marts.fct_union_report as f
        inner join (select tax_code, period from raw.union_reports group by 1, 2 having count(*) = 1) as single
            on single.tax_code = f.tax_code and single.period = f.period
        where f.period = (select min(period) from marts.fct_union_report)
        order by f.tax_code limit 2
    """)
    connection = psycopg2.connect(host=env["UW_PG_HOST"], port=int(env["UW_PG_PORT"]), user=env["UW_PG_USER"],
                                  password=env.get("UW_PG_PASSWORD", ""), dbname=env["UW_PG_DATABASE"])
    try:
        with connection, connection.cursor() as cur:  # one committed transaction
            cur.execute(LATE_COPY_SQL, {"more_workers": 1, "revision_step": 1, "row": 2,
                                        "tax_code": revised[0], "period": revised[1]})
            cur.execute(LATE_COPY_SQL, {"more_workers": 7, "revision_step": 0, "row": 3,
                                        "tax_code": conflicted[0], "period": conflicted[1]})
    finally:
        connection.close()
    output = _finish(_dbt(["run", "--select", "int_union_reports_history", "int_union_reports_accepted",
                           "fct_union_report"], builds["work"] / "postgres", env), "incremental dbt run on PostgreSQL")
    assert "incremental model marts.fct_union_report" in output
    after = {(r[0], r[1]): r for r in pg(f"select {columns} from marts.fct_union_report")}
    assert set(after) == set(before) - {tuple(conflicted)}  # the E004 pair left the mart
    old, new = before[tuple(revised)], after[tuple(revised)]
    assert (new[2], new[3]) == (old[2] + 1, old[3] + 1)  # the late revision counts
    assert new[4] != old[4]
    unchanged = [key for key in after if key != tuple(revised) and after[key] != before[key]]
    assert not unchanged, unchanged[:5]
