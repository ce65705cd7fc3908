"""The two hand-drawn layouts of inbound-reports.md §2.1 and §2.2, for the sample inbox.

- `two_row_header`: a consolidated sheet of `report_sheets.report_table` whose header is
  redrawn as group cells (`Lao động`, `Đoàn viên`, `Phát triển Đảng`) over sub-headers;
  merged in xlsx, the group text in the first cell of its span in CSV.
- `vertical_form`: one enterprise's report as the official 1-HĐCĐ-style form: identity
  and period in the title block, one indicator per row, values in `Số lượng`, indicators
  the warehouse does not use, signatures.

Which files get these layouts and how they are spelled is drawn from a generator of its own
(`layout_rng`), so the rest of the inbox (styles, defects, figures) is the same whichever
files are redrawn.
"""

from __future__ import annotations

import datetime as dt
import random

from pipelines.sample.periods import period_text, title_period
from pipelines.sample.report_sheets import Style, count_cell
from pipelines.sample.writers import Cell

TWO_ROW_SHARE = 0.25  # of the consolidated sheets without an injected defect
VERTICAL_SHARE = 0.5  # of the single-enterprise first submissions

# group spellings (§2.1) and, per column, the sub-header spellings
GROUPS = {"workers": ("Lao động", "Số lao động", "CNLĐ", "Tổng số CNLĐ"),
          "members": ("Đoàn viên", "Đoàn viên công đoàn", "Số đoàn viên"),
          "party": ("Phát triển Đảng", "Quần chúng ưu tú", "Giới thiệu quần chúng ưu tú")}
SUBS = {"workers_total": ("workers", ("Tổng số", "Tổng", "Cộng")),
        "workers_female": ("workers", ("Trong đó nữ", "Nữ", "Lao động nữ")),
        "members_total": ("members", ("Tổng số", "Tổng", "Cộng")),
        "members_female": ("members", ("Trong đó nữ", "Nữ")),
        "members_joined": ("members", ("Kết nạp mới", "Kết nạp mới trong kỳ", "Tăng")),
        "members_left": ("members", ("Giảm", "Giảm trong kỳ")),
        "candidates_introduced": ("party", ("Giới thiệu học lớp NTĐ", "Được giới thiệu", "Giới thiệu")),
        "candidates_admitted": ("party", ("Được kết nạp", "Kết nạp Đảng", "Được kết nạp Đảng")),
        "admitted_via_core_cell": ("party", ("Trong đó tại chi bộ nòng cốt", "Qua chi bộ nòng cốt"))}

Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based)


def layout_rng(seed: int) -> random.Random:
    return random.Random(f"{seed}/layouts")


def two_row_header(cells: list[list[Cell]], positions: list[int], keys: list[str],
                   rng: random.Random) -> tuple[list[list[Cell]], list[int], list[Merge]]:
    """Redraws the one-row header of a `report_table` sheet (its row 4, first column `STT`,
    then `keys`) as two rows; data rows move down by one."""
    header_at = 4
    groups = {g: rng.choice(spellings) for g, spellings in GROUPS.items()}
    top: list[Cell] = [cells[header_at][0]]
    below: list[Cell] = [None]
    merges: list[Merge] = []
    span_start: dict[str, int] = {}
    for column, key in enumerate(keys, start=1):
        if key in SUBS:
            group, spellings = SUBS[key]
            if group not in span_start:
                span_start[group] = column
                top.append(groups[group])
            else:
                top.append(None)
            below.append(rng.choice(spellings))
        else:
            top.append(cells[header_at][column])
            below.append(None)
            merges.append((header_at, column, header_at + 1, column))
    merges.append((header_at, 0, header_at + 1, 0))
    for group, start in span_start.items():
        end = max(c for c, k in enumerate(keys, start=1) if k in SUBS and SUBS[k][0] == group)
        merges.append((header_at, start, header_at, end))
    redrawn = cells[:header_at] + [top, below] + cells[header_at + 1:]
    return redrawn, [p + 1 for p in positions], merges


UNUSED = (("Số lao động ký hợp đồng lao động không xác định thời hạn", "người", 0.7),
          ("Thu nhập bình quân (triệu đồng/tháng)", "triệu đồng", None),
          ("Số vụ tranh chấp lao động, đình công", "vụ", 0.0))


def vertical_form(row: dict, q: int, style: Style, rng: random.Random) -> list[list[Cell]]:
    """One enterprise's report as a 1-HĐCĐ-style form (§2.2)."""
    two_cells = rng.random() < 0.5

    def pair(label: str, value: Cell) -> list[Cell]:
        if two_cells:
            return [f"{label}:", value]
        shown = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else value
        return [f"{label}: {shown}"]

    prefix = rng.choice(("Công đoàn cơ sở", "CĐCS"))
    tax = int(row["tax_code"]) if style.tax_numeric else row["tax_code"]
    cells: list[list[Cell]] = [["Công đoàn cấp trên: Công đoàn Khu kinh tế Hải Phòng"],
                               pair("Đơn vị báo cáo", f"{prefix} {row['enterprise_name']}"),
                               pair("Mã số thuế", tax),
                               ["BÁO CÁO SỐ LIỆU CÔNG ĐOÀN CƠ SỞ " + title_period(q)]]
    if rng.random() < 0.5:
        cells.append(pair("Kỳ báo cáo", period_text(q, style.period_form)))
    submitted = row["submitted_on"] if two_cells and style.date_form is None else row["submitted_on"].strftime(
        "%d/%m/%Y")
    cells += [pair("Ngày báo cáo", submitted), [], ["TT", "Nội dung", "Đơn vị tính", "Số lượng", "Ghi chú"]]
    if style.numbering:
        cells.append([f"({i})" for i in range(1, 6)])

    def count(key: str) -> Cell:
        return count_cell(row[key], style, key not in ("workers_total", "members_total"))

    indicators: list[tuple[str, str, str, Cell]] = [
        ("1", "Tổng số lao động", "người", count("workers_total")),
        ("", "- Trong đó: nữ", "người", count("workers_female")),
        ("", "- " + UNUSED[0][0], UNUSED[0][1], round(row["workers_total"] * UNUSED[0][2])),
        ("2", "Tổng số đoàn viên công đoàn", "người", count("members_total")),
        ("", "- Trong đó: nữ", "người", count("members_female")),
        ("3", "Số đoàn viên kết nạp mới trong kỳ", "người", count("members_joined")),
        ("4", "Số đoàn viên giảm trong kỳ", "người", count("members_left")),
        ("5", UNUSED[1][0], UNUSED[1][1], f"{rng.randint(65, 140) / 10:.1f}".replace(".", ",")),
        ("6", "Số đảng viên đang làm việc tại doanh nghiệp", "người", count("party_members")),
        ("7", "Số quần chúng ưu tú giới thiệu học lớp nhận thức về Đảng", "người", count("candidates_introduced")),
        ("8", "Số quần chúng ưu tú được kết nạp Đảng", "người", count("candidates_admitted")),
        ("", "+ Trong đó: kết nạp tại Chi bộ nòng cốt", "người", count("admitted_via_core_cell")),
        ("9", UNUSED[2][0], UNUSED[2][1], 0),
    ]
    cells += [[number, label, unit, value, None] for number, label, unit, value in indicators]
    day = row["submitted_on"]
    cells += [[], [None, None, None, f"Hải Phòng, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"],
              [None, "NGƯỜI LẬP BIỂU", None, "CHỦ TỊCH CĐCS"],
              [None, "(Ký, ghi rõ họ tên)", None, "(Ký tên, đóng dấu)"],
              [], [None, row["reporter_name"]]]
    return cells
