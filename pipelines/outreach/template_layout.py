"""What the quarterly form holds, column by column, and what it tells the person filling it in.

Headers are the official ones of inbound-reports.md §4.2, taken from the ingest column table
(`pipelines.ingest.columns.UNION_REPORTS`, the one owner of headers), so the form and the
reader cannot drift apart. Each column gets a role: identity (filled in and locked), count,
date, revision or contact text (input cells with Excel data validation). The texts here are
the Vietnamese the reporter sees: the guide sheet's meanings, the input messages and the
error alerts. Excel limits an input or error title to 32 characters and a message to 255.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.ingest.columns import UNION_REPORTS


@dataclass(frozen=True)
class FormColumn:
    name: str
    role: str  # identity | count | date | revision | contact
    meaning: str  # for the guide sheet
    prompt: str = ""  # the input message shown when the cell is selected
    not_above: str | None = None  # a count that may not exceed another column's count
    max_length: int | None = None  # contact text

    @property
    def header(self) -> str:
        return UNION_REPORTS.column(self.name).headers[0]

    @property
    def is_input(self) -> bool:
        return self.role != "identity"

    @property
    def has_reference(self) -> bool:
        return self.role == "count"


_COUNT_RULE = "Nhập số nguyên, không âm (0 nếu không có), không dùng dấu chấm/phẩy thập phân."

COLUMNS: tuple[FormColumn, ...] = (
    FormColumn("period", "identity", "Quý báo cáo. Đã điền sẵn, không sửa."),
    FormColumn("tax_code", "identity", "Mã số thuế của doanh nghiệp. Đã điền sẵn, không sửa."),
    FormColumn("enterprise_name", "identity", "Tên doanh nghiệp theo danh mục. Đã điền sẵn, không sửa."),
    FormColumn("workers_total", "count", "Tổng số lao động của doanh nghiệp tại ngày cuối quý (bắt buộc).",
               "Tổng số lao động tại ngày cuối quý. Bắt buộc. " + _COUNT_RULE),
    FormColumn("workers_female", "count", "Số lao động nữ tại ngày cuối quý; không lớn hơn tổng số lao động.",
               "Số lao động nữ, không lớn hơn Tổng số lao động. " + _COUNT_RULE, not_above="workers_total"),
    FormColumn("members_total", "count", "Tổng số đoàn viên công đoàn tại ngày cuối quý (bắt buộc); "
               "không lớn hơn tổng số lao động.",
               "Tổng số đoàn viên tại ngày cuối quý, không lớn hơn Tổng số lao động. Bắt buộc. " + _COUNT_RULE,
               not_above="workers_total"),
    FormColumn("members_female", "count", "Số đoàn viên nữ; không lớn hơn tổng số đoàn viên.",
               "Số đoàn viên nữ, không lớn hơn Tổng số đoàn viên. " + _COUNT_RULE, not_above="members_total"),
    FormColumn("members_joined", "count", "Số đoàn viên kết nạp mới trong quý.",
               "Số đoàn viên kết nạp mới trong quý. " + _COUNT_RULE),
    FormColumn("members_left", "count", "Số đoàn viên giảm trong quý (chuyển đi, nghỉ việc...). Tổng số đoàn "
               "viên quý này phải bằng quý trước + kết nạp mới − giảm.",
               "Số đoàn viên giảm trong quý. " + _COUNT_RULE),
    FormColumn("party_members", "count", "Số đảng viên đang làm việc tại doanh nghiệp tại ngày cuối quý.",
               "Số đảng viên đang làm việc tại doanh nghiệp. " + _COUNT_RULE),
    FormColumn("candidates_introduced", "count", "Số quần chúng ưu tú được giới thiệu học lớp nhận thức về "
               "Đảng trong quý; khớp với danh sách quần chúng ưu tú đã gửi.",
               "Số quần chúng ưu tú được giới thiệu học lớp NTĐ trong quý. " + _COUNT_RULE),
    FormColumn("candidates_admitted", "count", "Số quần chúng ưu tú được kết nạp Đảng trong quý.",
               "Số quần chúng ưu tú được kết nạp Đảng trong quý. " + _COUNT_RULE),
    FormColumn("admitted_via_core_cell", "count", "Trong số được kết nạp Đảng, số kết nạp tại Chi bộ nòng cốt "
               "CĐ-DN; không lớn hơn số được kết nạp.",
               "Số kết nạp tại Chi bộ nòng cốt, không lớn hơn số được kết nạp Đảng. " + _COUNT_RULE,
               not_above="candidates_admitted"),
    FormColumn("submitted_on", "date", "Ngày lập báo cáo (ngày/tháng/năm), từ ngày đầu quý đến hôm nay.",
               "Ngày lập báo cáo, dạng ngày/tháng/năm, từ ngày đầu quý đến hôm nay."),
    FormColumn("revision", "revision", "Lần nộp: 1 cho lần đầu; khi gửi bản sửa, tăng lên 2, 3... Nếu quý này "
               "đã có báo cáo được nhận, biểu mẫu điền sẵn số lần tiếp theo.",
               "Lần nộp: 1 cho lần đầu; bản sửa thì tăng lên 2, 3... Số nguyên từ 1."),
    FormColumn("reporter_name", "contact", "Họ tên người lập biểu, để Văn phòng liên hệ khi cần; không công bố.",
               "Họ tên người lập biểu (chỉ để liên hệ, không công bố).", max_length=100),
    FormColumn("reporter_phone", "contact", "Số điện thoại của người lập biểu, để liên hệ; không công bố.",
               "Số điện thoại liên hệ của người lập biểu (không công bố).", max_length=20),
)

BY_NAME = {c.name: c for c in COLUMNS}

# Titles are at most 32 characters (an Excel limit).
ERROR_TITLE = "Giá trị không hợp lệ"
ERROR_MESSAGES = {
    "count": "Chỉ nhập số nguyên từ 0 trở lên (không có chữ, dấu thập phân hay số âm).",
    "count_bounded": "Chỉ nhập số nguyên từ 0 trở lên và không lớn hơn cột «{other}».",
    "date": "Nhập ngày dạng ngày/tháng/năm (ví dụ 05/01/2024), từ ngày đầu quý đến hôm nay.",
    "revision": "Lần nộp là số nguyên từ 1 trở lên (1 cho lần đầu, 2 cho lần sửa thứ nhất...).",
    "contact": "Nội dung quá dài (tối đa {length} ký tự).",
}


def input_title(column: FormColumn) -> str:
    return column.header if len(column.header) <= 32 else column.header[:31] + "…"


def report_columns_official() -> list[str]:
    """The form's columns in the order of §4.2 (the ingest table's order)."""
    return [c.name for c in UNION_REPORTS.columns]
