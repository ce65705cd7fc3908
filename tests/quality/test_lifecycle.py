"""The one writer of dq_findings and finding_lifecycle, and how each origin's findings stay current."""

from datetime import datetime

import duckdb
import pytest

from pipelines.lib.audit import ensure_audit_schema, record_ingest_findings, record_manifest
from pipelines.lib.findings import Finding
from pipelines.quality.current_findings import current_findings, seen_row
from pipelines.quality.gx_results import replace_gx_findings
from pipelines.quality.lifecycle import record_current_findings, record_findings


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ensure_audit_schema(con)
    return con


def _f(rule: str, row: int, observed: str = "x", origin: str = "ingest") -> Finding:
    return Finding(rule, "vi", "en", source_file="a.csv", source_row=row, observed=observed, origin=origin)


def _lifecycle(con) -> dict[str, tuple]:
    return {key: tuple(rest) for key, *rest in con.execute(
        "select finding_key, status, first_seen_run, last_seen_run, opened_run, times_opened, resolved_run "
        "from audit.finding_lifecycle").fetchall()}


def _occurrences(con) -> int:
    return con.execute("select count(*) from audit.dq_findings").fetchone()[0]


def test_new_seen_again_resolved_and_reopened():
    con = _con()
    one, two = _f("F004", 2), _f("F005", 3)
    change = record_findings(con, "r1", [seen_row(one), seen_row(two)])
    assert (change.new, change.open, _occurrences(con)) == (2, 2, 2)

    change = record_findings(con, "r2", [seen_row(one), seen_row(two)])
    assert (change.new, change.changed, change.resolved, _occurrences(con)) == (0, 0, 0, 2)
    assert _lifecycle(con)[one.key] == ("open", "r1", "r2", "r1", 1, None)

    change = record_findings(con, "r3", [seen_row(one)])
    assert change.resolved == 1
    assert _lifecycle(con)[two.key] == ("resolved", "r1", "r2", "r1", 1, "r3")
    assert con.execute("select finding_key from audit.dq_findings_current").fetchall() == [(one.key,)]

    change = record_findings(con, "r4", [seen_row(one), seen_row(two)])
    assert change.reopened == 1 and _occurrences(con) == 3
    assert _lifecycle(con)[two.key] == ("open", "r1", "r4", "r4", 2, None)


def test_a_finding_that_says_something_new_gets_a_new_occurrence_shown_as_current():
    con = _con()
    record_findings(con, "r1", [seen_row(_f("C001", 1, observed="100", origin="control_totals"))],
                    now=datetime(2024, 1, 1))
    change = record_findings(con, "r2", [seen_row(_f("C001", 1, observed="101", origin="control_totals"))],
                             now=datetime(2024, 1, 2))
    assert change.changed == 1 and _occurrences(con) == 2
    assert con.execute("select observed, run_id, origin from audit.dq_findings_current").fetchall() == \
        [("101", "r2", "control_totals")]


def _ingest(con, run_id: str, path: str, sha: str | None, status: str, findings: list[Finding]) -> None:
    record_manifest(con, [{"run_id": run_id, "source_file": path, "sha256": sha, "status": status,
                           "ingested_at": datetime.now()}])
    record_ingest_findings(con, run_id, path, sha, findings)


def test_ingest_findings_hold_while_the_same_bytes_are_at_their_path():
    con = _con()
    kept = Finding("F004", "vi", "en", source_file="kept.csv", source_row=2)
    replaced = Finding("F005", "vi", "en", source_file="replaced.csv", source_row=2)
    _ingest(con, "r1", "kept.csv", "aa", "loaded", [kept])
    _ingest(con, "r1", "replaced.csv", "bb", "loaded", [replaced])
    assert {r["finding_key"] for r in current_findings(con, "r1")} == {kept.key, replaced.key}
    # run 2 parses nothing again: one file is met as a duplicate, the other has new bytes
    _ingest(con, "r2", "kept.csv", "aa", "duplicate", [])
    _ingest(con, "r2", "replaced.csv", "cc", "loaded", [])
    rows = current_findings(con, "r2")
    assert [(r["finding_key"], r["origin"], r["severity"]) for r in rows] == [(kept.key, "ingest", "error")]


def test_a_file_that_cannot_be_hashed_keeps_its_latest_finding():
    """A dangling symlink has no sha256: its F001 of the latest ingest that met it holds."""
    con = _con()
    first = Finding("F001", "vi", "en", source_file="link.xlsx", observed="first")
    _ingest(con, "r1", "link.xlsx", None, "quarantined", [first])
    assert [r["observed"] for r in current_findings(con, "r1")] == ["first"]
    again = Finding("F001", "vi", "en", source_file="link.xlsx", observed="again")
    _ingest(con, "r2", "link.xlsx", None, "quarantined", [again])
    assert [r["observed"] for r in current_findings(con, "r2")] == ["again"]
    _ingest(con, "r3", "other.csv", "dd", "loaded", [])  # the link left the inbox
    assert current_findings(con, "r3") == []


def test_a_run_that_did_not_ingest_judges_by_the_latest_manifest():
    con = _con()
    finding = Finding("F004", "vi", "en", source_file="a.csv", source_row=2)
    _ingest(con, "r1", "a.csv", "aa", "loaded", [finding])
    assert [r["finding_key"] for r in current_findings(con, "r2-no-ingest")] == [finding.key]


def test_gx_findings_stay_current_until_the_next_validation_and_yield_to_the_owning_layer():
    con = _con()
    owned = Finding("L001", "vi", "en", source_file="a.csv", source_row=2)
    _ingest(con, "r1", "a.csv", "aa", "loaded", [owned])
    gx_row = {"run_id": "r1", "suite": "s", "check_name": "members_le_workers", "rule_id": "L001",
              "source_file": "a.csv", "message_vi": "vi", "message_en": "en", "detected_at": datetime.now()}
    replace_gx_findings(con, ["s"], [{**gx_row, "source_row": 2}, {**gx_row, "source_row": 5}])
    rows = current_findings(con, "r2")
    assert sorted((r["origin"], r["source_row"]) for r in rows) == [("gx", 5), ("ingest", 2)]
    stored = con.execute("select expected, observed from audit.gx_findings").fetchall()
    assert not any(str(value).startswith("gx:") for row in stored for value in row if value)
    # a run that validated only another suite leaves suite s's findings as they were
    replace_gx_findings(con, ["other"], [])
    assert sorted((r["origin"], r["source_row"]) for r in current_findings(con, "r3")) == [("gx", 5), ("ingest", 2)]
    # the next validation of suite s that finds nothing resolves its finding
    replace_gx_findings(con, ["s"], [])
    assert [r["origin"] for r in current_findings(con, "r4")] == ["ingest"]


def _dbt_findings(con, rows: list[tuple]) -> None:
    """`intermediate.int_dq_findings` as dbt leaves it: (rule_id, severity, tax_code, source_file, source_row)."""
    con.execute("create schema if not exists intermediate")
    con.execute("""create or replace table intermediate.int_dq_findings (rule_id varchar, severity varchar,
        tax_code varchar, period varchar, source_file varchar, source_row integer, observed varchar,
        expected varchar, message_vi varchar, message_en varchar, subject varchar, origin varchar)""")
    for rule_id, severity, tax_code, source_file, source_row in rows:
        con.execute("insert into intermediate.int_dq_findings values (?, ?, ?, '2022-Q3', ?, ?, null, null, "
                    "'vi', 'en', null, 'dbt')", [rule_id, severity, tax_code, source_file, source_row])


def test_a_version_met_by_two_runs_is_one_finding_in_its_latest_wording():
    """The same bytes ingested again (a quarter re-read) record the same key twice: one current row."""
    con = _con()
    first = Finding("F004", "vi", "en", source_file="a.csv", source_row=2, observed="cũ")
    latest = Finding("F004", "vi", "en", source_file="a.csv", source_row=2, observed="mới")
    assert first.key == latest.key
    _ingest(con, "r1", "a.csv", "aa", "loaded", [first])
    _ingest(con, "r2", "a.csv", "aa", "loaded", [latest])
    assert [(r["finding_key"], r["observed"]) for r in current_findings(con, "r2")] == [(latest.key, "mới")]


def test_gx_yields_to_dbt_on_the_same_row_and_each_origin_keeps_its_grade():
    con = _con()
    _ingest(con, "r1", "a.csv", "aa", "loaded", [Finding("F007", "vi", "en", source_file="a.csv", source_row=9)])
    _dbt_findings(con, [("L001", "warning", "0101", "a.csv", 2), ("E002", "error", "0202", None, None)])
    gx_row = {"run_id": "r1", "suite": "s", "check_name": "members_le_workers", "rule_id": "L001",
              "source_file": "a.csv", "message_vi": "vi", "message_en": "en", "detected_at": datetime.now()}
    replace_gx_findings(con, ["s"], [{**gx_row, "source_row": 2}, {**gx_row, "source_row": 7}])
    rows = sorted((r["origin"], r["rule_id"], r["severity"], r["source_row"]) for r in current_findings(con, "r1"))
    assert rows == [("dbt", "E002", "error", None), ("dbt", "L001", "warning", 2),
                    ("gx", "L001", "error", 7), ("ingest", "F007", "info", 9)]


def test_folding_in_sql_equals_folding_the_rows_handed_over():
    """`record_current_findings` (staged in SQL) and `record_findings` (rows from Python) agree."""
    results = []
    for staged_in_sql in (True, False):
        con = _con()
        _ingest(con, "r1", "a.csv", "aa", "loaded", [_f("F004", 2), _f("F005", 3)])
        _dbt_findings(con, [("L001", "warning", "0101", "a.csv", 2)])
        if staged_in_sql:
            change = record_current_findings(con, "r1", now=datetime(2024, 1, 1))
        else:
            change = record_findings(con, "r1", current_findings(con, "r1"), now=datetime(2024, 1, 1))
        results.append((change, _lifecycle(con), con.execute(
            "select * exclude (detected_at) from audit.dq_findings order by finding_key").fetchall()))
    assert results[0] == results[1]
    assert results[0][0].open == results[0][0].new == 3


def test_an_ingest_finding_of_a_rule_outside_the_catalogue_stops_the_step():
    con = _con()
    _ingest(con, "r1", "a.csv", "aa", "loaded", [_f("F004", 2)])
    con.execute("update audit.ingest_findings set rule_id = 'X999'")
    with pytest.raises(KeyError, match="X999"):
        current_findings(con, "r1")
