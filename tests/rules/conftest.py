"""The "every rule broken once" inbox and its first run, shared by the rules and lifecycle tests.

Runs of `uw run` cost ~30 s each (dbt), so every module of this folder reads the same first
run (xdist group `rules`) and copies its warehouse before running again.
"""

import duckdb
import pytest

from tests.conftest import run_uw
from tests.rules.builders import BUILDERS
from tests.rules.inbox import base_world, write_inbox

FIELDS = "rule_id, severity, tax_code, period, source_file, source_row"
EXIT_DONE = (0, 3)  # 3: done, publishing blocked (the broken inbox carries a C001 on purpose)


def run(inbox, warehouse, *flags: str):
    result = run_uw("run", "--inbox", str(inbox), "--warehouse", str(warehouse), *flags)
    assert result.returncode in EXIT_DONE, result.stdout[-4000:] + result.stderr[-4000:]
    return result


def latest_run(con) -> str:
    return con.execute("select run_id from audit.runs order by finished_at desc limit 1").fetchone()[0]


@pytest.fixture(scope="session")
def broken(tmp_path_factory):
    root = tmp_path_factory.mktemp("rules_broken")
    world = base_world()
    expected = {rule: builder(world) for rule, builder in BUILDERS.items()}
    write_inbox(world, root / "inbox")
    result = run(root / "inbox", root / "warehouse")
    with duckdb.connect(str(root / "warehouse" / "warehouse.duckdb"), read_only=True) as con:
        findings = con.execute(f"select {FIELDS} from audit.dq_findings_current").fetchall()
        messages = con.execute("select message_vi, message_en, observed from audit.dq_findings").fetchall()
    return {"root": root, "expected": expected, "findings": findings, "messages": messages, "result": result}
