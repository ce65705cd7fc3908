"""A tiny, clean inbox world, and one builder per rule that breaks that rule exactly once.

The base world is three union enterprises reporting 2022-Q1 and 2022-Q2 in zone Đình Vũ,
with one Party cell, one candidate and one control total that all agree, so it makes no
error or warning finding. Every builder adds its own enterprise (tax code) and its own
file, so the broken row sits at a known file and row and breaks nothing else; it returns
the findings it expects: (rule, severity, tax_code, period, source_file, source_row).
Personal values are synthetic.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

REPORT_HEADER = ["Kỳ báo cáo", "Mã số thuế", "Tên doanh nghiệp", "Tổng số lao động", "Lao động nữ",
                 "Tổng số đoàn viên", "Đoàn viên nữ", "Kết nạp đoàn viên mới trong kỳ", "Đoàn viên giảm trong kỳ",
                 "Số đảng viên", "Số quần chúng ưu tú giới thiệu học lớp NTĐ",
                 "Số quần chúng ưu tú được kết nạp Đảng", "Trong đó kết nạp tại Chi bộ nòng cốt CĐ-DN",
                 "Ngày báo cáo", "Lần nộp"]
REGISTRY_HEADER = ["Mã số thuế", "Tên doanh nghiệp", "Khu công nghiệp", "Loại hình doanh nghiệp",
                   "Quốc gia đầu tư", "Ngày thành lập DN", "Tình trạng hoạt động", "Đủ điều kiện thành lập CĐCS",
                   "Ngày thành lập CĐCS", "Ngày cập nhật"]
ORG_HEADER = ["Mã tổ chức Đảng", "Tên tổ chức Đảng", "Loại tổ chức", "Mã số thuế doanh nghiệp", "Ngày thành lập",
              "Ngày giải thể", "Số đảng viên khi thành lập",
              "Thành lập trên cơ sở chuyển sinh hoạt từ Chi bộ nòng cốt", "Số đảng viên chuyển sinh hoạt"]
CANDIDATE_HEADER = ["Số CCCD", "Họ và tên", "Ngày sinh", "Giới tính", "Mã số thuế", "Ngày giới thiệu học lớp NTĐ",
                    "Ngày hoàn thành lớp bồi dưỡng", "Ngày kết nạp Đảng", "Mã tổ chức Đảng kết nạp"]
CONTROL_HEADER = ["metric", "as_of", "value", "window_start", "source"]
CONTROL_FILE = "control_totals/control_totals.csv"
WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_code(serial: int) -> str:
    """A valid tax code 02xxxxxxxC (check digit per the ingest rule), skipping impossible ones."""
    while True:
        nine = f"02{serial:07d}"
        check = 10 - sum(int(d) * w for d, w in zip(nine, WEIGHTS, strict=True)) % 11
        if check != 10:
            return nine + str(check)
        serial += 1000


@dataclass
class World:
    enterprises: list[list[str]] = field(default_factory=list)
    files: dict[str, tuple[list[str], list[list[str]]]] = field(default_factory=dict)
    raw_files: dict[str, bytes] = field(default_factory=dict)
    copies: dict[str, str] = field(default_factory=dict)
    serial: int = 100

    def enterprise(self, name: str, union_founded: str = "15/03/2015") -> str:
        self.serial += 1
        code = tax_code(self.serial)
        self.enterprises.append([code, f"Công ty TNHH {name}", "KCN Đình Vũ", "FDI", "Hàn Quốc", "01/01/2010",
                                 "Hoạt động ổn định", "Có", union_founded, "31/12/2021"])
        return code

    def add_rows(self, path: str, header: list[str], rows: list[list[str]]) -> int:
        """Append rows to a CSV file of the world; returns the line of the first new row."""
        _, existing = self.files.setdefault(path, (header, []))
        first = len(existing) + 2
        existing.extend(rows)
        return first


def report(period: str, code: str, name: str, workers: int = 100, members: int = 80, joined: int = 0,
           party: int = 0, introduced: int = 0, admitted: int = 0, via: int = 0, submitted: str | None = None,
           revision: str = "") -> list[str]:
    submitted = submitted or {"2022-Q1": "05/04/2022", "2022-Q2": "05/07/2022"}[period]
    return [period, code, f"Công ty TNHH {name}", str(workers), str(workers // 2), str(members), str(members // 2),
            str(joined), "0", str(party), str(introduced), str(admitted), str(via), submitted, revision]


def candidate(citizen_id: str, code: str, introduced: str, trained: str = "", admitted: str = "",
              org: str = "", birth: str = "12/06/1995", gender: str = "Nam") -> list[str]:
    return [citizen_id, "Nguyễn Văn Thử", birth, gender, code, introduced, trained, admitted, org]


def two_quarters(world: World, path: str, code: str, name: str, **q2) -> int:
    """The enterprise's ordinary Q1 and Q2 reports; returns the Q1 row's line."""
    return world.add_rows(path, REPORT_HEADER, [report("2022-Q1", code, name), report("2022-Q2", code, name, **q2)])


def base_world() -> World:
    world = World()
    a = world.enterprise("Alpha Vina")
    b = world.enterprise("Beta Hải Phòng")
    c = world.enterprise("Gamma Việt Nam")
    world.enterprises[1][1] = "CÔNG TY  TNHH  Beta Hải Phòng"  # spacing and case only: not E003
    world.enterprises[2][1] = "Gamma Việt Nam Co., Ltd"  # legal-form words only: not E003
    path = "union_reports/2022/BC_CDCS_KCN_DV_2022.csv"
    world.add_rows(path, REPORT_HEADER, [
        report("2022-Q1", a, "Alpha Vina", party=5, introduced=1),
        report("2022-Q2", a, "Alpha Vina", party=6, admitted=1),
        report("2022-Q1", b, "Beta Hải Phòng", workers=250, members=200),
        report("2022-Q2", b, "Beta Hải Phòng", workers=260, members=205, joined=5),
        report("2022-Q1", c, "Gamma Việt Nam"),
        report("2022-Q2", c, "Gamma Việt Nam"),
    ])
    world.add_rows("party_orgs/DS_to_chuc_Dang.csv", ORG_HEADER,
                   [["CB-0001", "Chi bộ Alpha", "Chi bộ cơ sở", a, "10/10/2010", "", "3", "Không", "0"]])
    world.add_rows("candidates/DS_QCUT_2022.csv", CANDIDATE_HEADER,
                   [candidate("031095000001", a, "15/01/2022", "01/03/2022", "10/05/2022", "CB-0001")])
    world.add_rows(CONTROL_FILE, CONTROL_HEADER,
                   [["party_orgs_established", "2022-06-30", "0", "2022-01-01", "test"]])
    return world


def write_inbox(world: World, inbox: Path) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    world.files["enterprises/DanhMucDN_31-12-2021.csv"] = (REGISTRY_HEADER, world.enterprises)
    for relative, (header, rows) in world.files.items():
        target = inbox / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    for relative, content in world.raw_files.items():
        target = inbox / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    for relative, original in world.copies.items():
        target = inbox / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((inbox / original).read_bytes())
