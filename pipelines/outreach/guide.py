"""The form's second sheet, `Hướng dẫn`: how to fill it in, by when, and how to correct it.

Written for the person in the enterprise who fills the form once a quarter and has no one
to ask: what each column means, the deadline, what the colours mean, how a correction is
sent (a higher `Lần nộp`), and that only their own contact details are asked for.
"""

from __future__ import annotations

from pipelines.lib.cell_text import starts_like_formula
from pipelines.outreach.quarter import Quarter, label_of
from pipelines.outreach.template_layout import COLUMNS
from pipelines.outreach.warehouse_read import AcceptedReport, Enterprise

STEPS = (
    "Điền số liệu vào các ô màu vàng ở trang «Báo cáo quý». Số liệu tính tại ngày cuối quý; số kết nạp, "
    "số giảm và số quần chúng ưu tú tính trong quý.",
    "Không sửa, chèn hay xoá cột, không đổi tên trang, không thêm dòng. Các ô màu xanh và màu xám đã khoá "
    "(không có mật khẩu); không cần và không nên mở khoá.",
    "Ô màu xám bên cạnh mỗi ô nhập là số liệu Văn phòng đã nhận gần nhất của đơn vị, để đối chiếu.",
    "Khi chọn một ô, Excel hiện gợi ý cách điền; nếu nhập sai kiểu (chữ, số âm, số lẻ, ngày sai), Excel "
    "báo lỗi và không nhận giá trị.",
    "Lưu tệp ở định dạng .xlsx (giữ nguyên tên tệp hoặc đặt tên tuỳ ý) và gửi cho Văn phòng dữ liệu "
    "Công đoàn Khu kinh tế qua thư điện tử.",
)

CORRECTION = (
    "Gửi lại bản sửa: mở tệp đã gửi, sửa số liệu, tăng «Lần nộp» thêm 1 (2 cho lần sửa thứ nhất, 3 cho lần "
    "thứ hai...), ghi «Ngày báo cáo» là ngày sửa, rồi gửi lại như lần đầu.",
    "Văn phòng dùng bản có «Lần nộp» cao nhất; các bản trước được lưu lại làm lịch sử, không bị xoá.",
    "Nếu nhận được «Phiếu phản hồi số liệu» của Văn phòng: sửa đúng các ô được nêu trong phiếu rồi gửi lại "
    "theo cách trên.",
)

PERSONAL = (
    "Biểu mẫu chỉ hỏi họ tên và số điện thoại của người lập biểu, để Văn phòng liên hệ khi cần. Thông tin "
    "này không được công bố và không xuất hiện trong bất kỳ báo cáo nào.",
    "Không ghi thêm danh sách, họ tên hay số căn cước của người lao động vào biểu mẫu này.",
)


def write_guide(sheet, styles: dict, enterprise: Enterprise, quarter: Quarter,
                accepted: AcceptedReport | None) -> None:
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 90)
    sheet.write_string(0, 0, f"HƯỚNG DẪN ĐIỀN BÁO CÁO {quarter.label.upper()}", styles["title"])
    name_style = styles["identity_quoted"] if starts_like_formula(enterprise.name) else None
    sheet.write_string(1, 0, "Đơn vị:", styles["bold"])
    sheet.write_string(1, 1, enterprise.name, name_style)
    sheet.write_string(2, 0, "Mã số thuế:", styles["bold"])
    sheet.write_string(2, 1, enterprise.tax_code)
    sheet.write_string(3, 0, "Hạn nộp:", styles["bold"])
    sheet.write_string(3, 1, f"{quarter.deadline:%d/%m/%Y} (ngày thứ {(quarter.deadline - quarter.end).days} "
                             f"sau khi hết {quarter.label})")
    sheet.write_string(4, 0, "Số liệu tham khảo:", styles["bold"])
    sheet.write_string(4, 1, f"số đã nhận {label_of(accepted.period)}" if accepted
                       else "chưa có báo cáo nào được chấp nhận")
    row = 6
    row = _section(sheet, styles, row, "Cách điền", STEPS)
    sheet.write_string(row, 0, "Cột", styles["wrap_bold"])
    sheet.write_string(row, 1, "Ý nghĩa và cách điền", styles["wrap_bold"])
    row += 1
    for column in COLUMNS:
        sheet.write_string(row, 0, column.header, styles["wrap"])
        sheet.write_string(row, 1, column.meaning, styles["wrap"])
        row += 1
    row += 1
    row = _section(sheet, styles, row, "Sửa số liệu đã gửi", CORRECTION)
    _section(sheet, styles, row, "Thông tin cá nhân", PERSONAL)
    sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})


def _section(sheet, styles: dict, row: int, title: str, lines: tuple[str, ...]) -> int:
    sheet.write_string(row, 0, title, styles["bold"])
    row += 1
    for number, line in enumerate(lines, start=1):
        sheet.write_string(row, 0, f"{number}.")
        sheet.write_string(row, 1, line, styles["wrap"])
        row += 1
    return row + 1
