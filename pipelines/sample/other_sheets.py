"""Registry snapshots, the Party-organisation register and the candidate rosters.

Labels are drawn from every spelling inbound-reports.md §4 accepts, per row or per
file, so enumerations and aliases get exercised while every value stays readable.
"""

from __future__ import annotations

import datetime as dt
import random

from pipelines.sample.flows import Candidate
from pipelines.sample.periods import date_text, vn_date
from pipelines.sample.world import Enterprise, PartyOrg
from pipelines.sample.writers import Cell

ZONE_SPELLINGS = {
    "DV": ("Đình Vũ", "KCN Đình Vũ", "Dinh Vu"), "NDV": ("Nam Đình Vũ", "KCN Nam Đình Vũ", "Nam Đình Vũ khu 1"),
    "NMR": ("Nomura - Hải Phòng", "Nomura", "KCN Nomura"), "VSIP": ("VSIP Hải Phòng", "VSIP", "KCN VSIP Hải Phòng"),
    "TD": ("Tràng Duệ", "KCN Tràng Duệ", "Trang Due"), "NCK": ("Nam Cầu Kiền", "KCN Nam Cầu Kiền"),
    "AD": ("An Dương", "KCN An Dương"), "DS": ("Đồ Sơn", "KCN Đồ Sơn"),
    "DC2": ("Deep C II", "DEEP C 2", "Minh Phương - Đình Vũ"), "TT": ("Tiên Thanh", "KCN Tiên Thanh"),
}
OWNERSHIP = {
    "fdi": ("FDI", "Có vốn đầu tư nước ngoài"),
    "domestic_private": ("TNHH", "Cổ phần", "Tư nhân", "Ngoài nhà nước"),
    "state": ("Nhà nước", "DNNN"),
}
STATUS = {"stable": ("Hoạt động ổn định",), "new": ("Mới thành lập", "Mới đi vào hoạt động"),
          "suspended": ("Tạm ngừng",), "dissolved": ("Giải thể", "Đã giải thể")}
YES, NO = ("Có", "x", "X"), ("Không", None)
REGISTRY_HEADERS = (
    ("Mã số thuế", "MST", "Mã số DN", "Mã doanh nghiệp"), ("Tên doanh nghiệp", "Tên DN", "Tên đơn vị"),
    ("Khu công nghiệp", "KCN", "Khu CN"), ("Loại hình doanh nghiệp", "Loại hình", "Loại hình DN"),
    ("Quốc gia đầu tư", "Nước đầu tư", "Quốc tịch nhà đầu tư"),
    ("Ngày thành lập DN", "Ngày cấp phép", "Ngày cấp GCNĐKDN"),
    ("Tình trạng hoạt động", "Tình trạng"), ("Đủ điều kiện thành lập CĐCS", "Đủ ĐK thành lập CĐ"),
    ("Ngày thành lập CĐCS", "Ngày thành lập công đoàn"),
)


def registry_snapshot(rng: random.Random, ents: list[Enterprise], as_of: dt.date, *, updated_col: bool,
                      tax_numeric: bool, text_dates: bool) -> list[list[Cell]]:
    header = ["STT"] + [rng.choice(h) for h in REGISTRY_HEADERS] + (["Ngày cập nhật"] if updated_col else [])
    cells: list[list[Cell]] = [["DANH MỤC DOANH NGHIỆP CÓ TỔ CHỨC CÔNG ĐOÀN"],
                               [f"(tính đến ngày {vn_date(as_of)})"], [], header]

    def day(value: dt.date | None) -> Cell:
        return None if value is None else (date_text(value, rng.randrange(5)) if text_dates else value)

    listed = [e for e in ents if e.status_at(as_of) is not None]
    for i, e in enumerate(listed, 1):
        status = e.status_at(as_of)
        labels = STATUS[status]
        eligible = e.eligible_from is not None and e.eligible_from <= as_of
        union = e.union_founded_on if e.union_founded_on and e.union_founded_on <= as_of else None
        row: list[Cell] = [i, int(e.tax_code) if tax_numeric else e.tax_code, e.name,
                           rng.choice(ZONE_SPELLINGS[e.zone]), rng.choice(OWNERSHIP[e.ownership]),
                           e.country or None, day(e.established_on), labels[int(e.tax_code[:10]) % len(labels)],
                           rng.choice(YES if eligible else NO), day(union)]
        if updated_col:
            row.append(day(as_of))
        cells.append(row)
    return cells


ORG_TYPES = {"cell": ("Chi bộ cơ sở", "Chi bộ"), "committee": ("Đảng bộ cơ sở", "Đảng bộ"),
             "core_cell": ("Chi bộ nòng cốt", "Chi bộ CĐ-DN", "Chi bộ nòng cốt Công đoàn - Doanh nghiệp")}


def party_org_sheet(rng: random.Random, orgs: list[PartyOrg], *, title: str, aliases: int) -> list[list[Cell]]:
    names = (("Mã tổ chức Đảng", "Mã TCĐ", "Mã chi bộ"), ("Tên tổ chức Đảng", "Tên chi bộ, đảng bộ", "Tên chi bộ"),
             ("Loại tổ chức", "Loại hình tổ chức Đảng"), ("Mã số thuế doanh nghiệp", "MST", "Mã số DN"),
             ("Ngày thành lập", "Ngày quyết định thành lập"), ("Ngày giải thể", "Ngày chấm dứt hoạt động"),
             ("Số đảng viên khi thành lập",), ("Thành lập trên cơ sở chuyển sinh hoạt từ Chi bộ nòng cốt",
                                               "Chuyển từ chi bộ CĐ-DN"),
             ("Số đảng viên chuyển sinh hoạt", "Số ĐV chuyển sinh hoạt"))
    cells: list[list[Cell]] = [[title], ["Đảng bộ Khu kinh tế Hải Phòng"], [],
                               ["STT"] + [n[(aliases + i) % len(n)] for i, n in enumerate(names)]]
    for i, o in enumerate(orgs, 1):
        cells.append([i, o.code, o.name, rng.choice(ORG_TYPES[o.org_type]), o.tax_code, o.established_on,
                      o.dissolved_on, o.members_at_founding, rng.choice(YES if o.via_transfer else NO),
                      o.transferred if o.via_transfer else rng.choice((None, 0))])
    return cells


CANDIDATE_HEADERS = (("Họ và tên", "Họ tên"), ("Ngày sinh", "Ngày, tháng, năm sinh"), ("Giới tính", "Nam/Nữ"),
                     ("Số CCCD", "CCCD", "Số căn cước", "Số CMND/CCCD"), ("Mã số thuế", "MST nơi làm việc", "Mã số DN"),
                     ("Nơi làm việc",), ("Ngày giới thiệu học lớp NTĐ", "Ngày giới thiệu"),
                     ("Ngày hoàn thành lớp bồi dưỡng", "Ngày cấp giấy chứng nhận"),
                     ("Ngày kết nạp Đảng", "Ngày kết nạp"), ("Mã tổ chức Đảng kết nạp", "Chi bộ kết nạp"))


def roster_sheet(rng: random.Random, people: list[Candidate], as_of: dt.date, title: str,
                 names: dict[str, str], *, text_dates: bool) -> list[list[Cell]]:
    header = ["STT"] + [rng.choice(h) for h in CANDIDATE_HEADERS]
    cells: list[list[Cell]] = [[title], [f"(Cập nhật đến ngày {vn_date(as_of)})"], [], header]

    def day(value: dt.date | None) -> Cell:
        if value is None or value > as_of:
            return None
        return date_text(value, rng.randrange(4)) if text_dates else value

    for i, p in enumerate(people, 1):
        admitted = p.admitted_on is not None and p.admitted_on <= as_of
        cells.append([i, p.full_name, day(p.birth_date), rng.choice(("Nữ", "F") if p.female else ("Nam", "M")),
                      p.citizen_id, p.tax_code, names[p.tax_code], day(p.introduced_on), day(p.trained_on),
                      day(p.admitted_on), p.admitting_org if admitted else None])
    return cells
