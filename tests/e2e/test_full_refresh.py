"""An incremental mart never keeps rows that older code computed.

`fct_union_report` rewrites only the pairs new data reach, so a row an older version of the
SQL computed would stay as it was after an upgrade, and even `uw run --rebuild` changed
nothing (no new rows, nothing to rewrite). The dbt steps now pass `--full-refresh` under
`--rebuild` and at the first build after a code change (`build_state.built_by_other_code`).

A row edited by hand in the mart stands for "computed by other code": each case edits one,
then runs the way that case happens, and reads the row back.
"""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import run_uw
from tests.rules.inbox import base_world, write_inbox

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("full_refresh")]

STEP = "warehouse_quarter_models"


def _run(inbox, warehouse, *extra: str):
    result = run_uw("run", "--inbox", str(inbox), "--warehouse", str(warehouse), *extra)
    assert result.returncode in (0, 3), result.stdout[-3000:] + result.stderr[-3000:]
    return result


def _one_pair(db) -> tuple[str, str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select tax_code, period, workers_total from marts.fct_union_report "
                           "order by tax_code, period limit 1").fetchone()


def _edit(db, pair, *, build_log: str | None = None) -> None:
    """The row as older code would have left it, and optionally the step's last build made to look older."""
    tax_code, period, workers = pair
    with duckdb.connect(str(db)) as con:
        con.execute("update marts.fct_union_report set workers_total = ? where tax_code = ? and period = ?",
                    [workers + 1000, tax_code, period])
        if build_log:
            con.execute(f"update audit.build_log set {build_log} where step = ? and action = 'built'", [STEP])


def _workers(db, pair) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select workers_total from marts.fct_union_report where tax_code = ? and period = ?",
                           list(pair[:2])).fetchone()[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    work = tmp_path_factory.mktemp("full_refresh")
    inbox, warehouse = work / "inbox", work / "warehouse"
    write_inbox(base_world(), inbox)
    _run(inbox, warehouse)
    db = warehouse / "warehouse.duckdb"
    return inbox, warehouse, db, _one_pair(db)


def _steps_built(result) -> str:
    return result.stdout.split("rebuild:", 1)[1].splitlines()[0]


def test_the_same_code_keeps_the_incremental_build_then_new_code_rewrites_it(built):
    inbox, warehouse, db, pair = built
    # The step runs (its inputs look changed) with the code of its last build: only pairs with
    # new rows are rewritten, so the edited row stays. This is what keeps a new quarter cheap.
    _edit(db, pair, build_log="fingerprint = 'inputs of another day'")
    assert STEP in _steps_built(_run(inbox, warehouse))
    assert _workers(db, pair) == pair[2] + 1000
    # The same, but the last build ran other code: the mart is rewritten whole.
    _edit(db, pair, build_log="fingerprint = 'inputs of another day', code_version = 'the code before'")
    assert STEP in _steps_built(_run(inbox, warehouse))
    assert _workers(db, pair) == pair[2]


def test_a_rebuild_rewrites_the_incremental_mart_whole(built):
    inbox, warehouse, db, pair = built
    _edit(db, pair)
    result = _run(inbox, warehouse, "--rebuild")
    assert "rebuild:    full" in result.stdout
    assert _workers(db, pair) == pair[2]
