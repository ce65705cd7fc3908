"""Header matching for every alias of inbound-reports.md §4, and zone matching of §5."""

from __future__ import annotations

import unicodedata

import pytest

from pipelines.ingest.columns import KINDS
from pipelines.ingest.detect import is_wide_header as looks_like_header
from pipelines.ingest.headers import map_header_row, match_header, normalize_header
from pipelines.ingest.zones import build_zone_index, match_zone, zone_index

ALL_ALIASES = [(kind.name, column.name, header) for kind in KINDS.values() for column in kind.columns
               for header in column.headers]


@pytest.mark.parametrize(("kind", "column", "header"), ALL_ALIASES)
def test_every_alias_matches_in_every_dress(kind, column, header):
    variants = [
        header,
        header.upper(),
        f"  {header}  ",
        header.replace(" ", "   "),
        f"{header} (*)",
        f"{header}:",
        f"{header} (người)",
        unicodedata.normalize("NFD", header),
        f"{header.lower()} (*):",
    ]
    for variant in variants:
        assert match_header(kind, variant) == column, variant


def test_spec_spot_checks():
    assert match_header("union_reports", "Tổng số lao động (người)") == "workers_total"
    assert match_header("union_reports", "Trong đó nữ (CNLĐ)") == "workers_female"
    assert match_header("union_reports", "Trong đó nữ (đoàn viên)") == "members_female"
    assert match_header("candidates", "Số CMND/CCCD (*)") == "citizen_id"
    assert match_header("party_orgs", "Tên chi bộ, đảng bộ") == "org_name"


def test_diacritics_are_significant_in_headers():
    assert match_header("union_reports", "Tong so lao dong") is None


def test_normalize_header_drops_markers_only_at_the_end():
    assert normalize_header("Mã số thuế (*):") == "mã số thuế"
    assert normalize_header("  Tổng   số\nlao động ") == "tổng số lao động"


def test_header_row_detection_and_mapping():
    row = ["STT", "Mã số thuế", "Tên doanh nghiệp", "Tổng số lao động", "", "Ghi chú"]
    assert looks_like_header("union_reports", row)
    known, extra = map_header_row("union_reports", row)
    assert known == {1: "tax_code", 2: "enterprise_name", 3: "workers_total"}
    assert extra == {0: "STT", 5: "Ghi chú"}


def test_title_rows_are_not_headers():
    assert not looks_like_header("union_reports", ["BÁO CÁO SỐ LIỆU CÔNG ĐOÀN CƠ SỞ QUÝ III/2022"])
    assert not looks_like_header("union_reports", ["Quý", "", "", "", "", "Ghi chú", "Người lập", "x"])
    assert not looks_like_header("union_reports", [])


def test_duplicate_header_keeps_first_as_column_and_second_as_extra():
    known, extra = map_header_row("union_reports", ["MST", "Mã số thuế", "Quý"])
    assert known == {0: "tax_code", 2: "period"}
    assert extra == {1: "Mã số thuế"}


# --- zones ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "code"), [
    ("Đình Vũ", "DV"), ("KCN Đình Vũ", "DV"), ("Khu công nghiệp Đình Vũ", "DV"), ("Dinh Vu", "DV"),
    ("DINH VU IP", "DV"), ("Đình Vũ Industrial Park", "DV"), ("kcn  dinh vu", "DV"),
    ("Nam Đình Vũ", "NDV"), ("Nam Đình Vũ khu 1", "NDV"), ("KCN Nam Dinh Vu", "NDV"),
    ("Nomura - Hải Phòng", "NMR"), ("Nomura-Hai Phong", "NMR"), ("Nomura", "NMR"),
    ("VSIP Hải Phòng", "VSIP"), ("VSIP", "VSIP"), ("VSIP Hai Phong Industrial Zone", "VSIP"),
    ("Tràng Duệ", "TD"), ("Trang Due", "TD"), ("KCN Tràng Duệ", "TD"),
    ("Nam Cầu Kiền", "NCK"), ("An Dương", "AD"), ("Khu công nghiệp An Duong", "AD"),
    ("Đồ Sơn", "DS"), ("Do Son", "DS"), ("Deep C II", "DC2"), ("DEEP C 2", "DC2"),
    ("Minh Phương - Đình Vũ", "DC2"), ("Tiên Thanh", "TT"), ("Tien Thanh IP", "TT"),
    (unicodedata.normalize("NFD", "KCN Tràng Duệ"), "TD"),
])
def test_zone_matches(text, code):
    assert match_zone(text) == code


@pytest.mark.parametrize("text", ["Hà Nội", "Đình", "KCN", "Deep C", "VSIP Bình Dương"])
def test_unknown_zone(text):
    assert match_zone(text) is None


def test_zone_list_comes_from_the_seed():
    index = zone_index()
    assert set(index.values()) == {"DV", "NDV", "NMR", "VSIP", "TD", "NCK", "AD", "DS", "DC2", "TT"}


def test_zone_index_from_rows():
    index = build_zone_index([{"zone_code": "XX", "zone_name": "Cảng Mới", "aliases": "New Port|CM"}])
    assert match_zone("KCN Cang Moi", index) == "XX"
    assert match_zone("new port", index) == "XX"
    assert match_zone("Cảng Cũ", index) is None
