import pytest

from pipelines.lib.findings import FINDING_COLUMNS, ORIGINS, Finding, finding_key
from pipelines.lib.rule_catalogue import rule_catalogue


def test_key_is_stable_across_runs_and_messages():
    first = Finding("F004", "a", "b", source_file="union_reports/x.xlsx", source_row=7)
    second = Finding("F004", "khác", "other", source_file="union_reports/x.xlsx", source_row=7)
    assert first.key == second.key
    assert first.as_row("run-1")["finding_key"] == second.as_row("run-2")["finding_key"]


def test_key_separates_rows_files_rules_and_subjects():
    base = finding_key("F004", source_file="a.csv", source_row=2)
    assert base != finding_key("F004", source_file="a.csv", source_row=3)
    assert base != finding_key("F004", source_file="b.csv", source_row=2)
    assert base != finding_key("F005", source_file="a.csv", source_row=2)
    assert base != finding_key("F004", source_file="a.csv", source_row=2, subject="workers_total")


def test_entity_scope_ignores_the_file_that_carried_the_figure():
    one = finding_key("C001", period="2022-Q3", source_file="control_totals/a.csv", source_row=3,
                      subject="workers", scope="entity")
    other = finding_key("C001", period="2022-Q3", source_file="control_totals/b.csv", source_row=9,
                        subject="workers", scope="entity")
    assert one == other
    assert one != finding_key("C001", period="2022-Q2", subject="workers", scope="entity")


def test_row_has_the_spec_columns_in_order_with_severity_from_the_catalogue():
    row = Finding("E003", "vi", "en", tax_code="0200000000", period="2022-Q3", origin="dbt").as_row("r")
    assert tuple(row) == FINDING_COLUMNS
    assert row["severity"] == rule_catalogue()["E003"].severity and row["run_id"] == "r"
    assert row["origin"] == "dbt"


def test_a_grade_given_by_the_layer_is_kept():
    catalogue = rule_catalogue()["E006"].severity
    other = next(s for s in ("error", "warning", "info") if s != catalogue)
    assert Finding("E006", "vi", "en", origin="dbt", graded=other).severity == other
    assert Finding("E006", "vi", "en", origin="dbt").severity == catalogue


def test_origin_is_one_of_the_four_layers():
    assert ORIGINS == ("ingest", "dbt", "gx", "control_totals")
    with pytest.raises(ValueError):
        Finding("F001", "vi", "en", origin="python")


def test_dbt_grades_from_the_catalogue_seed_and_no_second_table():
    """No severity is written in the dbt project: int_dq_findings joins the seed."""
    import re

    from tests.conftest import REPO_ROOT

    sql = "".join(p.read_text(encoding="utf-8") for p in (REPO_ROOT / "dbt_project").rglob("*.sql")
                  if "target" not in p.parts)
    assert "dq_severity" not in sql
    assert not re.search(r"'(error|warning|info)'\s+as\s+severity", sql)
    union = (REPO_ROOT / "dbt_project/models/intermediate/findings/int_dq_findings.sql").read_text(encoding="utf-8")
    assert "ref('rule_catalogue')" in union and "c.severity" in union
