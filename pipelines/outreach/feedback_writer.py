"""One "Phiếu phản hồi số liệu" as an .xlsx: what to correct, Vietnamese first, English beside.

Everything in a packet that came from the inbox (file names, what was read, messages) is
written as a string cell, never a formula, and a text that starts like one (`=`, `+`, `-`,
`@`) also carries Excel's quote prefix, so it stays text even after the reporter edits it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import xlsxwriter

from pipelines.lib.cell_text import starts_like_formula
from pipelines.outreach.feedback_rows import SEVERITY_WORDS, FeedbackLine

SHEET = "Phiếu phản hồi"
TITLE = "PHIẾU PHẢN HỒI SỐ LIỆU / Data feedback"
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}

# (Vietnamese header, English header, width, value of a line)
COLUMNS = (
    ("STT", "No.", 5, None),
    ("Mức độ", "Severity", 16, lambda ln: "{} / {}".format(*SEVERITY_WORDS[ln.severity])),
    ("Quy tắc", "Rule", 8, lambda ln: ln.rule_id),
    ("Mã số thuế", "Tax code", 15, lambda ln: ln.tax_code),
    ("Quý", "Quarter", 20, lambda ln: ln.quarter),
    ("Tệp", "File", 36, lambda ln: ln.source_file),
    ("Dòng", "Row", 7, lambda ln: ln.source_row),
    ("Cột", "Column", 20, lambda ln: ln.column),
    ("Giá trị đã đọc", "What was read", 22, lambda ln: ln.observed),
    ("Giá trị mong đợi", "What was expected", 26, lambda ln: ln.expected),
    ("Nội dung", "Finding", 44, lambda ln: ln.message_vi),
    ("(tiếng Anh)", "Finding (English)", 44, lambda ln: ln.message_en),
    ("Ý nghĩa quy tắc", "Rule meaning", 40, lambda ln: ln.meaning_vi),
    ("(tiếng Anh)", "Rule meaning (English)", 40, lambda ln: ln.meaning_en),
    ("Cần làm", "What to do", 40, lambda ln: ln.action_vi),
    ("(tiếng Anh)", "What to do (English)", 40, lambda ln: ln.action_en),
    ("Mã phát hiện", "Finding key", 34, lambda ln: ln.finding_key),
)
HEADER_ROW = 6

HOW_TO = ("Lỗi: dòng hoặc tệp chưa được tính vào số liệu cho đến khi được sửa. Cảnh báo: số liệu đã được tính "
          "nhưng cần kiểm tra lại. Sửa tệp báo cáo, tăng «Lần nộp» thêm 1 và gửi lại. / Errors: the row or "
          "file is not counted until corrected. Warnings: counted, but please check. Correct the report, "
          "raise «Lần nộp» (revision) by 1 and re-send it.")
OFFICE_NOTE = ("Các phát hiện không gắn được với một doanh nghiệp trong danh mục (tệp hỏng, mã số thuế sai "
               "hoặc chưa đăng ký): Văn phòng tìm đơn vị gửi và xử lý. / Findings that belong to no registered "
               "enterprise (corrupt files, malformed or unregistered tax codes): find the sender and follow up.")


def write_packet(target: Path, lines: list[FeedbackLine], recipient_vi: str, recipient_en: str,
                 tax_code: str, prepared_on: date) -> None:
    workbook = xlsxwriter.Workbook(str(target), WORKBOOK_OPTIONS)
    try:
        workbook.set_properties({"title": f"Phiếu phản hồi số liệu {tax_code}".strip(),
                                 "company": "Công đoàn Khu kinh tế Hải Phòng"})
        styles = {
            "title": workbook.add_format({"bold": True, "font_size": 13}),
            "bold": workbook.add_format({"bold": True}),
            "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
            "header": workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1,
                                           "bg_color": "#DDEBF7"}),
            "cell": workbook.add_format({"text_wrap": True, "valign": "top", "border": 1}),
            "quoted": workbook.add_format({"text_wrap": True, "valign": "top", "border": 1, "quote_prefix": True}),
            "error": workbook.add_format({"text_wrap": True, "valign": "top", "border": 1, "bold": True,
                                          "font_color": "#9C0006", "bg_color": "#FFC7CE"}),
            "warning": workbook.add_format({"text_wrap": True, "valign": "top", "border": 1,
                                            "font_color": "#7F6000", "bg_color": "#FFEB9C"}),
        }
        _write(workbook.add_worksheet(SHEET), styles, lines, recipient_vi, recipient_en, tax_code, prepared_on)
    finally:
        workbook.close()


def _write(sheet, styles: dict, lines: list[FeedbackLine], recipient_vi: str, recipient_en: str,
           tax_code: str, prepared_on: date) -> None:
    errors = sum(1 for ln in lines if ln.severity == "error")
    warnings = len(lines) - errors
    sheet.write_string(0, 0, TITLE, styles["title"])
    _string(sheet, 1, 0, f"Kính gửi / To: {recipient_vi} / {recipient_en}", styles["bold"], styles)
    sheet.write_string(2, 0, f"Mã số thuế / Tax code: {tax_code}" if tax_code else "Mã số thuế / Tax code: —")
    sheet.write_string(3, 0, f"Lập ngày / Prepared on: {prepared_on:%d/%m/%Y}. Cần xử lý: {errors} lỗi, "
                             f"{warnings} cảnh báo / To act on: {errors} errors, {warnings} warnings.")
    sheet.write_string(4, 0, HOW_TO if tax_code else OFFICE_NOTE)
    for col, (vi, en, width, _) in enumerate(COLUMNS):
        sheet.write_string(HEADER_ROW, col, f"{vi}\n{en}", styles["header"])
        sheet.set_column(col, col, width)
    sheet.set_row(HEADER_ROW, 32)
    for index, line in enumerate(lines, start=1):
        row = HEADER_ROW + index
        sheet.write_number(row, 0, index, styles["cell"])
        for col, (_, _, _, value_of) in enumerate(COLUMNS[1:], start=1):
            value = value_of(line)
            style = styles[line.severity] if col == 1 else styles["cell"]
            if value is None or value == "":
                sheet.write_blank(row, col, None, style)
            elif isinstance(value, int):
                sheet.write_number(row, col, value, style)
            else:
                _string(sheet, row, col, str(value), style, styles)
    sheet.freeze_panes(HEADER_ROW + 1, 3)
    sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + max(1, len(lines)), len(COLUMNS) - 1)


def _string(sheet, row: int, col: int, text: str, style, styles: dict) -> None:
    sheet.write_string(row, col, text, styles["quoted"] if starts_like_formula(text) else style)
