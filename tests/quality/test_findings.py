from pipelines.quality.findings import FINDING_COLUMNS, SEVERITY_BY_RULE, Finding, finding_key

SPEC_RULES = {
    *(f"F{n:03d}" for n in range(1, 11)), *(f"E{n:03d}" for n in range(1, 11)),
    *(f"L{n:03d}" for n in range(1, 9)), *(f"X{n:03d}" for n in range(1, 5)), "A001", "A002", "C001",
}


def test_every_catalog_rule_has_a_severity_and_nothing_else_does():
    assert set(SEVERITY_BY_RULE) == SPEC_RULES
    assert set(SEVERITY_BY_RULE.values()) == {"error", "warning", "info"}


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


def test_row_has_the_spec_columns_in_order_with_severity_from_the_catalog():
    row = Finding("E003", "vi", "en", tax_code="0200000000", period="2022-Q3").as_row("r")
    assert tuple(row) == FINDING_COLUMNS
    assert row["severity"] == "warning" and row["run_id"] == "r"


def test_dbt_findings_use_the_same_severities_as_the_catalog():
    import re

    from tests.conftest import REPO_ROOT

    macro = (REPO_ROOT / "dbt_project" / "macros" / "findings.sql").read_text(encoding="utf-8")
    pairs = dict(re.findall(r"'([A-Z]\d{3})': '(error|warning|info)'", macro))
    assert pairs, "dq_severity table not found"
    assert {rule: SEVERITY_BY_RULE[rule] for rule in pairs} == pairs
