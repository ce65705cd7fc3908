"""Turns union-report rows into the forms the zones actually send.

Every file draws its own style (header aliases, period spelling, number spelling,
numbering row, blank line, tax codes typed as numbers) so the reader is exercised
on each variation of inbound-reports.md §2–4.2 without any value becoming unreadable.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from pipelines.sample.periods import date_text, period_text, q_end, title_period
from pipelines.sample.writers import Cell

COLUMNS = (
    ("period", ("Kỳ báo cáo", "Quý", "Kỳ")),
    ("tax_code", ("Mã số thuế", "MST", "Mã số DN")),
    ("enterprise_name", ("Tên doanh nghiệp", "Tên DN", "Tên đơn vị")),
    ("workers_total", ("Tổng số lao động", "Tổng số CNLĐ", "Tổng số CNVCLĐ", "Số lao động")),
    ("workers_female", ("Lao động nữ", "CNLĐ nữ")),
    ("members_total", ("Tổng số đoàn viên", "Số đoàn viên", "Đoàn viên")),
    ("members_female", ("Đoàn viên nữ",)),
    ("members_joined", ("Kết nạp đoàn viên mới trong kỳ", "Kết nạp mới", "Đoàn viên kết nạp mới")),
    ("members_left", ("Đoàn viên giảm trong kỳ", "Giảm trong kỳ", "Đoàn viên giảm")),
    ("party_members", ("Số đảng viên đang làm việc tại DN", "Số đảng viên", "Đảng viên")),
    ("candidates_introduced", ("Số quần chúng ưu tú giới thiệu học lớp NTĐ",
                               "Giới thiệu học lớp bồi dưỡng nhận thức về Đảng", "QCƯT được giới thiệu")),
    ("candidates_admitted", ("Số quần chúng ưu tú được kết nạp Đảng", "Được kết nạp Đảng", "Kết nạp Đảng")),
    ("admitted_via_core_cell", ("Trong đó kết nạp tại Chi bộ nòng cốt CĐ-DN", "Kết nạp từ chi bộ nòng cốt")),
    ("submitted_on", ("Ngày báo cáo", "Ngày lập biểu")),
    ("revision", ("Lần nộp", "Lần báo cáo")),
    ("reporter_name", ("Người lập biểu", "Người báo cáo")),
    ("reporter_phone", ("Số điện thoại", "SĐT", "Điện thoại")),
)
COUNTS = ("workers_total", "workers_female", "members_total", "members_female", "members_joined",
          "members_left", "party_members", "candidates_introduced", "candidates_admitted",
          "admitted_via_core_cell")
REQUIRED = ("period", "tax_code", "workers_total", "members_total")


@dataclass
class Style:
    headers: dict[str, str]
    period_form: int
    count_style: str  # num | dot | space
    zero_style: str  # zero | dash | blank
    tax_numeric: bool
    date_form: int | None  # None = a real date cell
    numbering: bool
    blank_row: bool
    star_required: bool


def draw_style(rng: random.Random, text_only: bool = False) -> Style:
    headers = {key: rng.choice(aliases) for key, aliases in COLUMNS}
    star = rng.random() < 0.3
    if star:
        headers = {k: (v + " (*)" if k in REQUIRED else v) for k, v in headers.items()}
    if not star and rng.random() < 0.3:  # one trailing parenthesis at most
        headers["workers_total"] += " (người)"
    counts = rng.choices(("num", "dot", "space"), (6, 3, 1))[0]
    return Style(headers, rng.randrange(7), counts,
                 rng.choice(("zero", "dash", "blank")), rng.random() < 0.2,
                 rng.randrange(5) if text_only or rng.random() < 0.4 else None,
                 rng.random() < 0.7, rng.random() < 0.25, star)


def count_cell(value: int, style: Style, optional: bool) -> Cell:
    if value == 0 and optional:
        return {"zero": 0, "dash": "-", "blank": None}[style.zero_style]
    if style.count_style == "num" or value < 1000:
        return value if style.count_style == "num" else str(value)
    sep = "." if style.count_style == "dot" else " "
    return f"{value:,}".replace(",", sep)


def report_table(rows: list[dict], q: int, style: Style, *, unit: str, single: bool,
                 with_revision: bool = False, totals_offset: int = 0,
                 place_date: dt.date | None = None) -> tuple[list[list[Cell]], list[int]]:
    """Cells of one report file, and the 0-based index of each data row in it."""
    keys = [k for k, _ in COLUMNS if with_revision or k != "revision"]
    cells: list[list[Cell]] = [
        ["BÁO CÁO SỐ LIỆU CÔNG ĐOÀN CƠ SỞ " + title_period(q)],
        [f"Đơn vị: {unit}"],
        ["(Kèm theo hướng dẫn của Công đoàn Khu kinh tế Hải Phòng)"] if not single else [],
        [],
        ["STT"] + [style.headers[k] for k in keys],
    ]
    if style.numbering:
        cells.append([f"({i})" for i in range(1, len(keys) + 2)])
    positions = []
    blank_at = len(rows) // 2 if style.blank_row and len(rows) > 4 else -1
    for i, row in enumerate(rows):
        if i == blank_at:
            cells.append([])
        line: list[Cell] = [i + 1]
        for k in keys:
            value = row.get(k)
            if k in COUNTS:
                line.append(count_cell(value, style, k not in REQUIRED))
            elif k == "period":
                line.append(period_text(q, style.period_form))
            elif k == "tax_code":
                line.append(int(value) if style.tax_numeric else value)
            elif k == "submitted_on":
                line.append(value if style.date_form is None else date_text(value, style.date_form))
            else:
                line.append(value)
        positions.append(len(cells))
        cells.append(line)
    if not single:
        total: list[Cell] = ["Tổng cộng"]
        for k in keys:
            if k in COUNTS:
                value = sum(r[k] for r in rows) + (totals_offset if k == "workers_total" else 0)
                total.append(count_cell(value, style, False))
            else:
                total.append(None)
        cells.append(total)
    day = place_date or (q_end(q) + dt.timedelta(days=5))
    width = len(keys) + 1
    cells += [[], [None] * (width - 5) + [f"Hải Phòng, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"],
              # signatures sit right of the tax-code column, so they never look like a key value
              [None, None, None, "NGƯỜI LẬP BIỂU"] + [None] * (width - 9) + ["CHỦ TỊCH CĐCS" if single
                                                                          else "TM. BAN THƯỜNG VỤ"],
              [None, None, None, "(Ký, ghi rõ họ tên)"] + [None] * (width - 9) + ["(Ký tên, đóng dấu)"],
              [], [None, None, None, rows[0]["reporter_name"] if single else "Phòng Tổ chức - Kiểm tra"]]
    return cells, positions
