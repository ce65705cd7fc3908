"""Great Expectations only on what changed: which suites have work, and keeping the others' results.

Each suite validates one staging table, which reads one raw table (`stg_enterprises` reads
`raw.enterprises`) and the file versions. A suite whose inputs and code are unchanged since
it last validated (`pipelines/lib/build_state.py`) is not run again: its stored results are
copied into this run (the asset checks read a run's results), and its rows of
`audit.gx_findings` stay as its last validation left them, which is what the current findings
read. When no suite has work, GX is not even imported. A suite that does run validates only
the file groups it has not validated before (`gx_reuse.py`).
"""

from __future__ import annotations

import duckdb

from pipelines.lib.build_state import BUILT, SKIPPED, fingerprint, last_build, log_build

UNION_REPORTS = "union_reports"


def _step(suite_name: str) -> str:
    return f"great_expectations/{suite_name}"


def _raw_table(suite_name: str) -> str:
    return suite_name.removeprefix("stg_")


def gx_build_steps(suites) -> dict[str, tuple[tuple[str, ...], str | None]]:
    """Each suite's build step → (raw tables in its fingerprint, file-version kind it never reads)."""
    steps = {}
    for suite in suites:
        table = _raw_table(suite.name)
        steps[_step(suite.name)] = ((table, "file_versions"), None if table == UNION_REPORTS else UNION_REPORTS)
    return steps


def plan_suites(con: duckdb.DuckDBPyConnection, suites, force: bool = False) -> tuple[list, dict[str, tuple]]:
    """(suites to validate, {suite name: (fingerprint, run whose results still hold or None)})."""
    todo, plan = [], {}
    steps = gx_build_steps(suites)
    for suite in suites:
        raw_tables, skip_kind = steps[_step(suite.name)]
        current = fingerprint(con, _step(suite.name), raw_tables, skip_kind=skip_kind)
        previous = last_build(con, _step(suite.name))
        holds = previous[0] if previous and previous[1] == current and not force else None
        plan[suite.name] = (current, holds)
        if holds is None:
            todo.append(suite)
    return todo, plan


def record_plan(con: duckdb.DuckDBPyConnection, run_id: str, plan: dict[str, tuple]) -> None:
    """Log every suite's decision; copy the results of the suites that did not run into this run."""
    for suite_name, (current, holds) in plan.items():
        if holds is None:
            log_build(con, run_id, _step(suite_name), BUILT, current)
            continue
        con.execute("insert into audit.gx_results by name select * replace (? as run_id) from audit.gx_results "
                    "where run_id = ? and suite = ?", [run_id, holds, suite_name])
        log_build(con, run_id, _step(suite_name), SKIPPED, current, f"inputs unchanged since run {holds}")
