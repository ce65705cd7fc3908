"""Finding wording, Vietnamese first. Messages point to file, row and column, never to
the values of personal columns (those are withheld from `observed` as well)."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.lib.findings import Finding

RULE_TEXT: dict[str, tuple[str, str]] = {
    "F001": ("Không đọc được tệp", "File cannot be read"),
    "F002": ("Thiếu cột bắt buộc hoặc không tìm thấy dòng tiêu đề",
             "Required column missing or no header row"),
    "F003": ("Kỳ báo cáo không đọc được", "Period cannot be read"),
    "F004": ("Giá trị không phải số nguyên không âm", "Value is not a non-negative integer"),
    "F005": ("Ngày không đọc được hoặc không tồn tại", "Date cannot be read or does not exist"),
    "F006": ("Tệp trùng nội dung với tệp đã nạp", "File has the same bytes as a file already ingested"),
    "F007": ("Đã khôi phục số 0 đứng đầu", "Leading zero restored"),
    "F008": ("Dòng tổng không khớp tổng các dòng dữ liệu",
             "Totals row does not equal the sum of the data rows"),
    "F009": ("Thiếu giá trị bắt buộc", "Required value is blank"),
    "F010": ("Giá trị danh mục không hợp lệ", "Enumerated value not recognised"),
    "E001": ("Mã số thuế sai định dạng hoặc sai số kiểm tra", "Tax code malformed or wrong check digit"),
    "E008": ("Số CCCD sai định dạng hoặc không khớp ngày sinh/giới tính",
             "Citizen id malformed or disagrees with birth date/gender"),
    "L001": ("Số đoàn viên lớn hơn số lao động", "members_total > workers_total"),
    "L002": ("Số nữ lớn hơn tổng số", "Female count greater than the total"),
    "L003": ("Số kết nạp tại chi bộ nòng cốt lớn hơn số được kết nạp",
             "admitted_via_core_cell > candidates_admitted"),
    "L006": ("Các ngày của quần chúng ưu tú không đúng thứ tự", "Candidate dates out of order"),
    "L007": ("Dữ liệu tổ chức Đảng không nhất quán", "Party organisation data inconsistent"),
    "L008": ("Ngày ở tương lai hoặc ngày báo cáo trước đầu quý",
             "Date in the future or submitted_on before the quarter's first day"),
}


@dataclass(frozen=True)
class Problem:
    rule_id: str
    column: str | None
    observed: str | None
    expected_vi: str | None = None
    expected_en: str | None = None

    @property
    def expected(self) -> str | None:
        if self.expected_vi is None:
            return None
        if self.expected_en is None or self.expected_en == self.expected_vi:
            return self.expected_vi
        return f"{self.expected_vi} / {self.expected_en}"


def row_finding(problem: Problem, source_file: str, source_row: int | None, header: str | None,
                tax_code: str | None = None, period: str | None = None) -> Finding:
    vi, en = RULE_TEXT[problem.rule_id]
    where_vi = f"tệp {source_file}" + (f", dòng {source_row}" if source_row else "")
    where_en = f"file {source_file}" + (f", row {source_row}" if source_row else "")
    if header:
        where_vi += f", cột «{header}»"
        where_en += f", column «{header}»"
    return Finding(
        rule_id=problem.rule_id,
        message_vi=f"{vi} ({where_vi})",
        message_en=f"{en} ({where_en})",
        tax_code=tax_code,
        period=period,
        source_file=source_file,
        source_row=source_row,
        observed=problem.observed,
        expected=problem.expected,
        subject=problem.column,
    )


def file_finding(rule_id: str, source_file: str, detail_vi: str, detail_en: str,
                 observed: str | None = None, expected: str | None = None,
                 subject: str | None = None) -> Finding:
    vi, en = RULE_TEXT[rule_id]
    return Finding(
        rule_id=rule_id,
        message_vi=f"{vi}: {detail_vi} (tệp {source_file})",
        message_en=f"{en}: {detail_en} (file {source_file})",
        source_file=source_file,
        observed=observed,
        expected=expected,
        subject=subject,
    )
