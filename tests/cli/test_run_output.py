"""`uw run` talks like a tool: a line per step with its seconds, a summary, the details in a log file.

One run on a small inbox (the registry, the Party organisations and two quarterly reports
of tests/fixtures/inbox) with a fresh DAGSTER_HOME that has no dagster.yaml, the way a
newcomer's first run starts.
"""

import re
import shutil

import pytest

from pipelines.cli.progress import STEP_LABELS
from tests.conftest import REPO_ROOT, run_uw

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("cli_output")]

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "inbox"
SMALL_INBOX = ("enterprises/danh_muc_DN_2022_09.xlsx", "party_orgs/to_chuc_dang.xlsx")
MAX_LINES = 80  # issue 14: `make run` prints fewer than 80 lines
LIBRARY_NOISE = ("Telemetry", "dagster.yaml", "BetaWarning", "PreviewWarning", "DeprecationWarning", "Traceback",
                 "START test", "OK created")


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    inbox = tmp_path_factory.mktemp("small") / "inbox"
    for relative in SMALL_INBOX:
        (inbox / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / relative, inbox / relative)
    reports = sorted((FIXTURES / "union_reports").rglob("*.xlsx"))[:2]
    for report in reports:
        target = inbox / report.relative_to(FIXTURES)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(report, target)
    warehouse = inbox.parent / "warehouse"
    home = inbox.parent / "dagster_home"
    home.mkdir()
    return warehouse, run_uw("run", "--inbox", str(inbox), "--warehouse", str(warehouse),
                             env={"DAGSTER_HOME": str(home)})


def test_the_run_prints_a_short_progress_and_a_summary(small_run):
    warehouse, result = small_run
    assert result.returncode in (0, 3), result.stdout[-3000:] + result.stderr[-3000:]
    lines = (result.stdout + result.stderr).splitlines()
    assert len(lines) < MAX_LINES, "\n".join(lines)
    steps = [line for line in lines if re.match(r"^\s+\[\s*\d+\] ", line) and line.rstrip().endswith(" s)")]
    labelled = {label for label in STEP_LABELS.values() if any(label in line for line in steps)}
    assert {STEP_LABELS["inbox_ingest"], STEP_LABELS["audit__dq_findings"], STEP_LABELS["reports__dq_report"],
            STEP_LABELS["serving__serving_duckdb"]} <= labelled
    assert "── union-warehouse: run summary" in result.stdout
    assert f"log:        {warehouse / 'logs' / 'uw_run.log'}" in result.stdout


def test_no_warning_a_user_cannot_act_on(small_run):
    _, result = small_run
    output = result.stdout + result.stderr
    for noise in LIBRARY_NOISE:
        assert noise not in output, noise
    warnings = [line for line in output.splitlines() if line.strip().startswith("!")]
    assert all("UW_PSEUDONYM_KEY" in line for line in warnings), warnings  # says what to set


def test_the_details_are_in_the_log_file(small_run):
    warehouse, _ = small_run
    log = (warehouse / "logs" / "uw_run.log").read_text(encoding="utf-8")
    assert re.search(r"dbt_in_process: dbt (build|run) finished: \d+ nodes", log)  # our own lines
    assert re.search(r"^(\d\d:\d\d:\d\d  )?\d+ of \d+ (PASS|OK created)", log, re.MULTILINE)  # dbt's per-model lines
    assert "\x1b[" not in log  # no terminal colour codes in a file
