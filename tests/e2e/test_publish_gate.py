"""A published figure the warehouse cannot reproduce blocks publishing (C001, exit 3)."""

import csv
import shutil

import duckdb
import pytest

from tests.conftest import run_uw

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("gate_run")]


def _change_control_total(inbox, metric: str, value: str) -> None:
    path = inbox / "control_totals" / "control_totals.csv"
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert any(row["metric"] == metric for row in rows)
    for row in rows:
        if row["metric"] == metric:
            row["value"] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_changed_control_total_blocks_publishing_with_exit_3(sample_inbox, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(sample_inbox, inbox)
    _change_control_total(inbox, "workers", "156916")
    warehouse = tmp_path / "warehouse"

    result = run_uw("run", "--inbox", str(inbox), "--warehouse", str(warehouse))

    assert result.returncode == 3, result.stdout[-3000:] + result.stderr[-3000:]
    assert not (warehouse / "serving.duckdb").exists()
    assert (warehouse / "reports" / "dq_report.html").is_file()
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        c001 = con.execute("select period, observed, expected from audit.dq_findings where rule_id = 'C001'").fetchall()
        gate = con.execute("select gate_result, published from audit.runs").fetchall()
        run_id = con.execute("select run_id from audit.runs").fetchone()[0]
    assert c001 == [("2022-Q3", "156915", "156916")]
    assert gate == [("blocked", False)]
    notice = warehouse / "reports" / "notifications" / f"{run_id}.txt"
    assert notice.is_file() and "blocked" in notice.read_text(encoding="utf-8")

    overridden = run_uw("run", "--inbox", str(inbox), "--warehouse", str(warehouse), "--publish-anyway")
    assert overridden.returncode == 0, overridden.stdout[-3000:]
    assert (warehouse / "serving.duckdb").is_file()
    assert "overridden" in overridden.stdout
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        latest, = con.execute("select gate_result from audit.runs order by finished_at desc limit 1").fetchone()
    report = (warehouse / "reports" / "dq_report.html").read_text(encoding="utf-8")
    assert latest == "overridden"
    # the run's own verdict (the trend below it still shows the earlier run as blocked)
    assert '<span class="badge overridden" id="gate-verdict">' in report
    assert 'class="badge blocked" id="gate-verdict"' not in report


def test_an_empty_inbox_into_a_fresh_warehouse_exits_3_and_publishes_nothing(tmp_path):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    inbox.mkdir()

    result = run_uw("run", "--inbox", str(inbox), "--warehouse", str(warehouse))

    assert result.returncode == 3, result.stdout[-3000:] + result.stderr[-3000:]
    assert not (warehouse / "serving.duckdb").exists()
    assert "no union reports" in result.stdout
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        runs = con.execute("select gate_result, gate_reasons, published from audit.runs").fetchall()
    assert runs == [("blocked", "no union reports", False)]
