"""One quarterly form as an .xlsx: identity locked, inputs validated, last figures beside them.

Sheet 1 (`Báo cáo quý`, the sheet ingest reads) is the §4.2 layout: a title block, the
official header row, one data row. Beside each count input stands a grey, locked cell with
the enterprise's last accepted figure; its header names no known column, so ingest keeps it
as an extra raw column and otherwise ignores it. Sheet protection has no password (the
office need not remember one): it keeps identity and reference cells from being typed over,
not a determined user out. Sheet 2 is the Vietnamese guide (`Hướng dẫn`).
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from pipelines.lib.cell_text import starts_like_formula
from pipelines.outreach.guide import write_guide
from pipelines.outreach.quarter import Quarter, label_of
from pipelines.outreach.template_layout import BY_NAME, COLUMNS, ERROR_MESSAGES, ERROR_TITLE, FormColumn, input_title
from pipelines.outreach.warehouse_read import AcceptedReport, Enterprise

FORM_SHEET = "Báo cáo quý"
GUIDE_SHEET = "Hướng dẫn"
HEADER_ROW = 5  # 0-based: Excel row 6
DATA_ROW = HEADER_ROW + 1
ISSUER = "CÔNG ĐOÀN KHU KINH TẾ HẢI PHÒNG"

WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
PROTECTION = {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True,
              "format_rows": True}


def form_positions() -> dict[str, int]:
    """Sheet column of every form column; a reference column follows each count."""
    positions, col = {}, 0
    for column in COLUMNS:
        positions[column.name] = col
        col += 2 if column.has_reference else 1
    return positions


def write_template(target: Path, enterprise: Enterprise, quarter: Quarter, accepted: AcceptedReport | None) -> None:
    workbook = xlsxwriter.Workbook(str(target), WORKBOOK_OPTIONS)
    try:
        workbook.set_properties({"title": f"Báo cáo số liệu công đoàn cơ sở {quarter.label}",
                                 "subject": f"{enterprise.tax_code} {quarter.key}", "company": ISSUER})
        styles = _styles(workbook)
        form = workbook.add_worksheet(FORM_SHEET)
        _write_form(form, styles, enterprise, quarter, accepted)
        write_guide(workbook.add_worksheet(GUIDE_SHEET), styles, enterprise, quarter, accepted)
        form.activate()
    finally:
        workbook.close()


def _styles(workbook) -> dict:
    base = {"border": 1, "valign": "vcenter"}
    return {
        "title": workbook.add_format({"bold": True, "font_size": 13}),
        "bold": workbook.add_format({"bold": True}),
        "note": workbook.add_format({"italic": True, "font_color": "#444444"}),
        "header": workbook.add_format({**base, "bold": True, "text_wrap": True, "align": "center",
                                       "bg_color": "#DDEBF7"}),
        "reference_header": workbook.add_format({**base, "italic": True, "text_wrap": True, "align": "center",
                                                 "bg_color": "#EDEDED", "font_color": "#555555"}),
        "identity": workbook.add_format({**base, "bg_color": "#DDEBF7", "num_format": "@"}),
        "identity_quoted": workbook.add_format({**base, "bg_color": "#DDEBF7", "num_format": "@",
                                                "quote_prefix": True}),
        "reference": workbook.add_format({**base, "bg_color": "#EDEDED", "font_color": "#555555",
                                          "num_format": "#,##0"}),
        "count": workbook.add_format({**base, "locked": False, "bg_color": "#FFF2CC", "num_format": "0"}),
        "date": workbook.add_format({**base, "locked": False, "bg_color": "#FFF2CC", "num_format": "dd/mm/yyyy"}),
        "text": workbook.add_format({**base, "locked": False, "bg_color": "#FFF2CC", "num_format": "@"}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top", "border": 1}),
        "wrap_bold": workbook.add_format({"text_wrap": True, "valign": "top", "border": 1, "bold": True,
                                          "bg_color": "#DDEBF7"}),
    }


def _text(sheet, row: int, col: int, value: str, styles: dict, style: str = "identity") -> None:
    """Registry text is inbox text: a string cell, quote-prefixed when it starts like a formula."""
    quoted = styles[f"{style}_quoted"] if starts_like_formula(value) and f"{style}_quoted" in styles else None
    sheet.write_string(row, col, value, quoted or styles[style])


def reference_header(column: FormColumn, accepted: AcceptedReport | None) -> str:
    """Unique per column (raw keeps extra columns by header) and matching no known header."""
    return f"Đã nhận {label_of(accepted.period) if accepted else '(chưa có)'} – {column.header}"


def _write_form(sheet, styles: dict, enterprise: Enterprise, quarter: Quarter,
                accepted: AcceptedReport | None) -> None:
    sheet.write_string(0, 0, ISSUER, styles["bold"])
    sheet.write_string(1, 0, f"BÁO CÁO SỐ LIỆU CÔNG ĐOÀN CƠ SỞ {quarter.label.upper()}", styles["title"])
    sheet.write_string(2, 0, f"Hạn nộp: {quarter.deadline:%d/%m/%Y}. Điền các ô màu vàng; ô màu xám là số liệu "
                             "đã nhận gần nhất, để tham khảo. Xem trang «Hướng dẫn».", styles["note"])
    sheet.write_string(3, 0, "Các ô màu xanh (quý, mã số thuế, tên doanh nghiệp) đã khoá; nếu sai, "
                             "báo ngay cho Văn phòng.", styles["note"])
    positions = form_positions()
    for column in COLUMNS:
        col = positions[column.name]
        sheet.write_string(HEADER_ROW, col, column.header, styles["header"])
        sheet.set_column(col, col, 16 if column.role != "identity" else (34 if column.name == "enterprise_name"
                                                                          else 14))
        if column.has_reference:
            sheet.write_string(HEADER_ROW, col + 1, reference_header(column, accepted), styles["reference_header"])
            sheet.set_column(col + 1, col + 1, 12)
            figure = accepted.figures.get(column.name) if accepted else None
            if figure is None:
                sheet.write_string(DATA_ROW, col + 1, "—", styles["reference"])
            else:
                sheet.write_number(DATA_ROW, col + 1, figure, styles["reference"])
        _write_cell(sheet, styles, column, col, enterprise, quarter, accepted, positions)
    sheet.set_row(HEADER_ROW, 90)
    sheet.set_row(DATA_ROW, 22)
    sheet.freeze_panes(DATA_ROW, 3)
    sheet.protect("", PROTECTION)


def first_revision(quarter: Quarter, accepted: AcceptedReport | None) -> int:
    """1, or one above the accepted report's when this quarter was already reported (the form
    is then a correction, and must outrank what it corrects)."""
    if accepted is not None and accepted.period == quarter.key:
        return (accepted.revision or 1) + 1
    return 1


def _write_cell(sheet, styles: dict, column: FormColumn, col: int, enterprise: Enterprise, quarter: Quarter,
                accepted: AcceptedReport | None, positions: dict[str, int]) -> None:
    row = DATA_ROW
    if column.name == "period":
        sheet.write_string(row, col, quarter.label, styles["identity"])
    elif column.name == "tax_code":
        sheet.write_string(row, col, enterprise.tax_code, styles["identity"])
    elif column.name == "enterprise_name":
        _text(sheet, row, col, enterprise.name, styles)
    elif column.role == "count":
        sheet.write_blank(row, col, None, styles["count"])
    elif column.role == "date":
        sheet.write_blank(row, col, None, styles["date"])
    elif column.role == "revision":
        sheet.write_number(row, col, first_revision(quarter, accepted), styles["count"])
    else:
        sheet.write_blank(row, col, None, styles["text"])
    if column.is_input:
        sheet.data_validation(row, col, row, col, validation_of(column, quarter, positions))


def validation_of(column: FormColumn, quarter: Quarter, positions: dict[str, int]) -> dict:
    """Excel data validation of one input cell, with its Vietnamese input message and error alert."""
    messages = {"input_title": input_title(column), "input_message": column.prompt,
                "error_title": ERROR_TITLE, "error_type": "stop"}
    if column.role == "count" and column.not_above:
        bound = xl_rowcol_to_cell(DATA_ROW, positions[column.not_above], row_abs=True, col_abs=True)
        other = BY_NAME[column.not_above].header
        return {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": f"={bound}",
                "error_message": ERROR_MESSAGES["count_bounded"].format(other=other), **messages}
    if column.role == "count":
        return {"validate": "integer", "criteria": ">=", "value": 0, "error_message": ERROR_MESSAGES["count"],
                **messages}
    if column.role == "date":
        return {"validate": "date", "criteria": "between", "minimum": quarter.start, "maximum": "=TODAY()",
                "error_message": ERROR_MESSAGES["date"], **messages}
    if column.role == "revision":
        return {"validate": "integer", "criteria": ">=", "value": 1, "error_message": ERROR_MESSAGES["revision"],
                **messages}
    return {"validate": "length", "criteria": "<=", "value": column.max_length,
            "error_message": ERROR_MESSAGES["contact"].format(length=column.max_length), **messages}
