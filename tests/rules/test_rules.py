"""Every rule of rules.md, broken exactly once in one small inbox, found where it was broken.

Runs of `uw run` cost ~30 s each (dbt), so the whole catalogue shares one run of the
"every rule broken once" inbox (the clean base world runs in `test_clean_inbox.py`, its
own xdist group, in parallel), and a second (on a copy of the first warehouse, with two files corrected at
the source) shows those findings move to `resolved` in `audit.finding_lifecycle`.
"""

import csv
import shutil

import duckdb
import pytest

from tests.rules.builders import BUILDERS
from tests.rules.conftest import latest_run as _latest_run
from tests.rules.conftest import run as _run
from tests.rules.inbox import REPORT_HEADER, report

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("rules")]


def test_every_rule_of_the_catalogue_has_a_builder():
    from pipelines.lib.rule_catalogue import rule_catalogue

    assert sorted(BUILDERS) == sorted(rule_catalogue())


@pytest.mark.parametrize("rule", sorted(BUILDERS))
def test_rule_broken_once_is_found_once_where_it_was_broken(broken, rule):
    found = sorted((f for f in broken["findings"] if f[0] == rule), key=lambda f: (f[4] or "", f[5] or 0))
    expected = sorted(broken["expected"][rule], key=lambda f: (f[4] or "", f[5] or 0))
    if expected[0][5] is None:  # a finding about a whole file names no row
        found = [(*f[:5], None) if f[5] in (None, 0) else f for f in found]
    assert found == expected


def test_broken_inbox_blocks_publishing_because_of_c001(broken):
    assert broken["result"].returncode == 3
    assert not (broken["root"] / "warehouse" / "serving.duckdb").exists()


def test_findings_never_carry_personal_data(broken):
    text = " ".join(str(value) for row in broken["messages"] for value in row)
    for personal in ("Nguyễn Văn Thử", "031095000", "031295000", "12/06/1995", "1995-06-12"):
        assert personal not in text


def _correct_sources(inbox) -> None:
    """F004: the unreadable count is fixed. L005: a revision 2 of 2022-Q2 that adds up."""
    f004 = inbox / "union_reports/2022/F004_BC_CDCS.csv"
    with f004.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[-1][3] = "120"
    with f004.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    l005 = inbox / "union_reports/2022/L005_BC_CDCS.csv"
    with l005.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    code = rows[1][REPORT_HEADER.index("Mã số thuế")]
    rows.append(report("2022-Q2", code, "L005", members=80, submitted="20/07/2022", revision="2"))
    with l005.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


@pytest.fixture(scope="module")
def corrected(broken, tmp_path_factory):
    root = tmp_path_factory.mktemp("rules_corrected")
    shutil.copytree(broken["root"] / "inbox", root / "inbox")
    shutil.copytree(broken["root"] / "warehouse", root / "warehouse")
    _correct_sources(root / "inbox")
    _run(root / "inbox", root / "warehouse")
    with duckdb.connect(str(root / "warehouse" / "warehouse.duckdb"), read_only=True) as con:
        lifecycle = con.execute("select rule_id, status, first_seen_run, last_seen_run "
                                "from audit.finding_lifecycle").fetchall()
        latest = _latest_run(con)
    return lifecycle, latest


def test_defects_fixed_at_the_source_are_resolved_and_others_stay_open(corrected):
    lifecycle, latest = corrected
    status = {}
    for rule, state, _, _ in lifecycle:
        status.setdefault(rule, set()).add(state)
    assert status["F004"] == {"resolved"}
    assert status["L005"] == {"resolved"}
    for rule in ("F001", "E001", "E003", "E006", "X001", "A002", "C001"):
        assert status[rule] == {"open"}, rule
    still_open = [row for row in lifecycle if row[1] == "open" and row[0] == "E003"]
    assert still_open[0][2] != latest and still_open[0][3] == latest  # first seen before, seen again now
