"""Which enterprises get a form (union active at the quarter's end in the registry then in
force) and which accepted figures stand beside the inputs; the quarter's own arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.outreach.quarter import Quarter
from pipelines.outreach.template_writer import first_revision
from pipelines.outreach.templates import readable_name, template_file_name, write_templates
from pipelines.outreach.warehouse_read import WarehouseMissing, active_unions, connect, last_accepted
from tests.outreach.warehouse_stub import make_warehouse

Q4 = Quarter.parse("2023-Q4")


@pytest.mark.parametrize(("text", "key", "label", "end"), [
    ("2023-Q4", "2023-Q4", "Quý IV/2023", date(2023, 12, 31)),
    ("Quý I/2024", "2024-Q1", "Quý I/2024", date(2024, 3, 31)),
    ("q2/2024", "2024-Q2", "Quý II/2024", date(2024, 6, 30)),
    ("quý 3 năm 2022", "2022-Q3", "Quý III/2022", date(2022, 9, 30)),
])
def test_quarter_forms(text, key, label, end):
    quarter = Quarter.parse(text)
    assert (quarter.key, quarter.label, quarter.end) == (key, label, end)
    assert quarter.start.month == end.month - 2 and quarter.start.day == 1
    assert (quarter.deadline - quarter.end).days == 10  # the 10th day after the quarter (schedules)


@pytest.mark.parametrize("text", ["2023-Q5", "hôm qua", ""])
def test_quarter_rejects_non_periods(text):
    with pytest.raises(ValueError):
        Quarter.parse(text)


def test_active_unions_use_the_registry_version_in_force_at_quarter_end(tmp_path):
    registry = [
        {"tax_code": "A", "enterprise_name": "An", "union_founded_on": date(2020, 1, 1)},
        {"tax_code": "B", "enterprise_name": "Bình", "union_founded_on": date(2024, 1, 5)},  # founded after Q4
        {"tax_code": "C", "enterprise_name": "Cường", "union_founded_on": None},  # no union
        {"tax_code": "D", "enterprise_name": "Dũng", "union_founded_on": date(2019, 1, 1),
         "valid_to": date(2023, 9, 30)},  # version ended before the quarter's end ...
        {"tax_code": "D", "enterprise_name": "Dũng", "union_founded_on": date(2019, 1, 1),
         "valid_from": date(2023, 10, 1), "operating_status": "dissolved"},  # ... dissolved in the one in force
        {"tax_code": "E", "enterprise_name": "Em cũ", "union_founded_on": date(2018, 1, 1),
         "valid_to": date(2023, 11, 30)},
        {"tax_code": "E", "enterprise_name": "Em mới", "union_founded_on": date(2018, 1, 1),
         "valid_from": date(2023, 12, 1)},
        {"tax_code": "F", "enterprise_name": "Phúc", "union_founded_on": date(2021, 1, 1),
         "valid_from": date(2024, 2, 1)},  # registered only after the quarter
    ]
    db = make_warehouse(tmp_path / "w.duckdb", registry)
    with connect(db) as con:
        active = active_unions(con, Q4)
    assert [(e.tax_code, e.name) for e in active] == [("A", "An"), ("E", "Em mới")]


def test_last_accepted_is_the_latest_report_up_to_the_quarter(tmp_path):
    reports = [{"tax_code": "A", "period": p, "workers_total": w, "revision": r}
               for p, w, r in (("2023-Q2", 100, 1), ("2023-Q3", 120, 3), ("2024-Q1", 999, 1))]
    db = make_warehouse(tmp_path / "w.duckdb", [], reports)
    with connect(db) as con:
        accepted = last_accepted(con, Q4)
        same_quarter = last_accepted(con, Quarter.parse("2023-Q3"))
    assert accepted["A"].period == "2023-Q3" and accepted["A"].figures["workers_total"] == 120
    # a form for a quarter already reported is a correction: it must outrank revision 3
    assert (first_revision(Q4, accepted["A"]), first_revision(Q4, None)) == (1, 1)
    assert first_revision(Quarter.parse("2023-Q3"), same_quarter["A"]) == 4


def test_write_templates_names_files_by_tax_code_and_readable_name(tmp_path):
    registry = [{"tax_code": "0201000017", "enterprise_name": "Công ty TNHH Điện tử Ánh Dương",
                 "union_founded_on": date(2015, 3, 1)}]
    db = make_warehouse(tmp_path / "w.duckdb", registry)
    run = write_templates(db, tmp_path / "out", Q4)
    assert [p.name for p in run.files] == ["0201000017_Cong_ty_TNHH_Dien_tu_Anh_Duong_2023-Q4.xlsx"]
    assert run.with_reference == 0


def test_readable_names_are_ascii_and_bounded():
    assert readable_name("Đồ Sơn / Ltd. (VN)") == "Do_Son_Ltd_VN"
    assert readable_name("ắắắ") == "aaa" and readable_name("***") == "doanh_nghiep"
    assert len(template_file_name("0201000017", "Đ" * 500, Q4)) < 90


def test_missing_warehouse_is_reported(tmp_path):
    with pytest.raises(WarehouseMissing):
        write_templates(tmp_path / "none.duckdb", tmp_path / "out", Q4)
