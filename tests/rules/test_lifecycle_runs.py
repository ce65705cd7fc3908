"""The lifecycle over real runs: a rerun sees every finding still true; a fix resolves exactly its finding.

Starts from a copy of the "every rule broken once" warehouse (tests/rules/conftest.py), so
the findings include those about files and rows ingested by the first run, which a rerun
does not parse again.
"""

import csv
import shutil

import duckdb
import pytest

from tests.rules.conftest import latest_run, run

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("rules")]

FIXED_FILE = "union_reports/2022/F004_BC_CDCS.csv"


def _state(warehouse) -> dict:
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        return {
            "latest": latest_run(con),
            "runs": con.execute("select count(*) from audit.runs").fetchone()[0],
            "occurrences": con.execute("select count(*) from audit.dq_findings").fetchone()[0],
            "current": con.execute(
                "select c.finding_key, c.rule_id, c.source_file, l.last_seen_run, l.status "
                "from audit.dq_findings_current c join audit.finding_lifecycle l using (finding_key)").fetchall(),
            "lifecycle": {key: (rule, source_file, status, last_seen) for key, rule, source_file, status, last_seen
                          in con.execute("select finding_key, rule_id, source_file, status, last_seen_run "
                                         "from audit.finding_lifecycle").fetchall()},
        }


@pytest.fixture(scope="module")
def rerun(broken, tmp_path_factory):
    root = tmp_path_factory.mktemp("lifecycle_rerun")
    shutil.copytree(broken["root"] / "inbox", root / "inbox")
    shutil.copytree(broken["root"] / "warehouse", root / "warehouse")
    before = _state(root / "warehouse")
    run(root / "inbox", root / "warehouse")
    return {"root": root, "before": before, "after": _state(root / "warehouse")}


def test_a_rerun_sees_every_current_finding_as_open_in_the_second_run(rerun):
    before, after = rerun["before"], rerun["after"]
    assert after["runs"] == before["runs"] + 1 and after["latest"] != before["latest"]
    assert len(after["current"]) == len(before["current"]) > 30
    assert {row[0] for row in after["current"]} == {row[0] for row in before["current"]}
    for _key, rule, source_file, last_seen, status in after["current"]:
        assert (last_seen, status) == (after["latest"], "open"), (rule, source_file)
    assert all(state[2] == "open" for state in after["lifecycle"].values())
    # findings about files the first run parsed (the corrupt workbook, a malformed tax code) are among them
    assert {"F001", "E001", "F004"} <= {row[1] for row in after["current"]}


def test_an_unchanged_rerun_writes_no_finding_rows(rerun):
    assert rerun["after"]["occurrences"] == rerun["before"]["occurrences"]


def _fix_f004(inbox) -> None:
    path = inbox / FIXED_FILE
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[-1][3] = "120"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


@pytest.fixture(scope="module")
def fixed(rerun, tmp_path_factory):
    root = tmp_path_factory.mktemp("lifecycle_fixed")
    shutil.copytree(rerun["root"] / "inbox", root / "inbox")
    shutil.copytree(rerun["root"] / "warehouse", root / "warehouse")
    _fix_f004(root / "inbox")
    run(root / "inbox", root / "warehouse")
    return {"before": rerun["after"], "after": _state(root / "warehouse")}


def test_fixing_one_file_resolves_exactly_its_finding_and_the_rest_stay_open(fixed):
    before, after = fixed["before"], fixed["after"]
    resolved = {key: state for key, state in after["lifecycle"].items() if state[2] == "resolved"}
    assert [(rule, source_file) for rule, source_file, _, _ in resolved.values()] == [("F004", FIXED_FILE)]
    for key, (rule, source_file, status, last_seen) in after["lifecycle"].items():
        if key in before["lifecycle"] and key not in resolved:
            assert (status, last_seen) == ("open", after["latest"]), (rule, source_file)
