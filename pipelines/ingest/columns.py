"""The column tables of inbound-reports.md §4, as data.

Kept as literal tables (one line per column) so a reviewer can hold them side by side
with the spec; the record layer derives everything else from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Column:
    name: str
    headers: tuple[str, ...]
    type: str
    required_column: bool = False
    required_value: bool = False
    personal: bool = False
    default: object = None


@dataclass(frozen=True)
class Kind:
    name: str
    table: str
    key: str
    columns: tuple[Column, ...]

    @cached_property
    def by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    @cached_property
    def summed_columns(self) -> frozenset[str]:
        """Count columns a totals row may total (the revision number is not a quantity)."""
        return frozenset(c.name for c in self.columns if c.type == "count" and c.name != "revision")

    def column(self, name: str) -> Column:
        return self.by_name[name]

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required_column)


def col(name: str, headers: str, type_: str, flags: str = "", default: object = None) -> Column:
    """`flags`: R = required column, V = required value, P = personal data."""
    return Column(name, tuple(h.strip() for h in headers.split("·")), type_,
                  "R" in flags, "V" in flags, "P" in flags, default)


TAX_CODE_ALIASES = "Mã số thuế · MST · Mã số DN"
NAME_ALIASES = "Tên doanh nghiệp · Tên DN · Tên đơn vị"

ENTERPRISES = Kind("enterprises", "raw.enterprises", "tax_code", (
    col("tax_code", TAX_CODE_ALIASES + " · Mã doanh nghiệp", "tax_code", "RV"),
    col("enterprise_name", NAME_ALIASES, "text", "RV"),
    col("industrial_zone", "Khu công nghiệp · KCN · Khu CN", "zone", "R"),
    col("ownership", "Loại hình doanh nghiệp · Loại hình · Loại hình DN", "ownership", "R"),
    col("investor_country", "Quốc gia đầu tư · Nước đầu tư · Quốc tịch nhà đầu tư", "text"),
    col("established_on", "Ngày thành lập DN · Ngày cấp phép · Ngày cấp GCNĐKDN", "date"),
    col("operating_status", "Tình trạng hoạt động · Tình trạng", "operating_status", "R"),
    col("union_eligible", "Đủ điều kiện thành lập CĐCS · Đủ ĐK thành lập CĐ", "yes_no", "R"),
    col("union_founded_on", "Ngày thành lập CĐCS · Ngày thành lập công đoàn", "date"),
    col("updated_on", "Ngày cập nhật", "date"),
))

UNION_REPORTS = Kind("union_reports", "raw.union_reports", "tax_code", (
    col("period", "Kỳ báo cáo · Quý · Kỳ", "period", "RV"),
    col("tax_code", TAX_CODE_ALIASES, "tax_code", "RV"),
    col("enterprise_name", NAME_ALIASES, "text"),
    col("workers_total", "Tổng số lao động · Tổng số CNLĐ · Tổng số CNVCLĐ · Số lao động", "count", "RV"),
    col("workers_female", "Lao động nữ · Trong đó nữ (CNLĐ) · CNLĐ nữ", "count", default=0),
    col("members_total", "Tổng số đoàn viên · Số đoàn viên · Đoàn viên", "count", "RV"),
    col("members_female", "Đoàn viên nữ · Trong đó nữ (đoàn viên)", "count", default=0),
    col("members_joined", "Kết nạp đoàn viên mới trong kỳ · Kết nạp mới · Đoàn viên kết nạp mới",
        "count", default=0),
    col("members_left", "Đoàn viên giảm trong kỳ · Giảm trong kỳ · Đoàn viên giảm", "count", default=0),
    col("party_members", "Số đảng viên đang làm việc tại DN · Số đảng viên · Đảng viên", "count", default=0),
    col("candidates_introduced", "Số quần chúng ưu tú giới thiệu học lớp NTĐ · "
        "Giới thiệu học lớp bồi dưỡng nhận thức về Đảng · QCƯT được giới thiệu", "count", default=0),
    col("candidates_admitted", "Số quần chúng ưu tú được kết nạp Đảng · Được kết nạp Đảng · Kết nạp Đảng",
        "count", default=0),
    col("admitted_via_core_cell", "Trong đó kết nạp tại Chi bộ nòng cốt CĐ-DN · Kết nạp từ chi bộ nòng cốt",
        "count", default=0),
    col("submitted_on", "Ngày báo cáo · Ngày lập biểu", "date"),
    col("revision", "Lần nộp · Lần báo cáo", "count", default=1),
    col("reporter_name", "Người lập biểu · Người báo cáo", "text", "P"),
    col("reporter_phone", "Số điện thoại · SĐT · Điện thoại", "text", "P"),
))

PARTY_ORGS = Kind("party_orgs", "raw.party_orgs", "org_code", (
    col("org_code", "Mã tổ chức Đảng · Mã TCĐ · Mã chi bộ", "text", "RV"),
    col("org_name", "Tên tổ chức Đảng · Tên chi bộ, đảng bộ · Tên chi bộ", "text", "R"),
    col("org_type", "Loại tổ chức · Loại hình tổ chức Đảng", "org_type", "R"),
    col("tax_code", "Mã số thuế doanh nghiệp · MST · Mã số DN", "tax_code", "R"),
    col("established_on", "Ngày thành lập · Ngày quyết định thành lập", "date", "RV"),
    col("dissolved_on", "Ngày giải thể · Ngày chấm dứt hoạt động", "date"),
    col("members_at_founding", "Số đảng viên khi thành lập", "count", default=0),
    col("via_core_cell_transfer", "Thành lập trên cơ sở chuyển sinh hoạt từ Chi bộ nòng cốt · "
        "Chuyển từ chi bộ CĐ-DN", "yes_no"),
    col("transferred_members", "Số đảng viên chuyển sinh hoạt · Số ĐV chuyển sinh hoạt", "count", default=0),
))

CANDIDATES = Kind("candidates", "raw.candidates", "citizen_id", (
    col("citizen_id", "Số CCCD · CCCD · Số căn cước · Số CMND/CCCD", "citizen_id", "RVP"),
    col("full_name", "Họ và tên · Họ tên", "text", "RP"),
    col("birth_date", "Ngày sinh · Ngày, tháng, năm sinh", "date", "RP"),
    col("gender", "Giới tính · Nam/Nữ", "gender", "R"),
    col("tax_code", "Mã số thuế · MST nơi làm việc · Mã số DN · MST", "tax_code", "RV"),
    col("introduced_on", "Ngày giới thiệu học lớp NTĐ · Ngày giới thiệu", "date", "RV"),
    col("trained_on", "Ngày hoàn thành lớp bồi dưỡng · Ngày cấp giấy chứng nhận", "date"),
    col("admitted_on", "Ngày kết nạp Đảng · Ngày kết nạp", "date"),
    col("admitting_org_code", "Mã tổ chức Đảng kết nạp · Chi bộ kết nạp", "text"),
))

CONTROL_TOTALS = Kind("control_totals", "raw.control_totals", "metric", (
    col("metric", "metric · Chỉ tiêu", "text", "RV"),
    col("as_of", "as_of · Ngày số liệu", "date", "RV"),
    col("value", "value · Giá trị", "decimal", "RV"),
    col("window_start", "window_start · Từ ngày", "date"),
    col("source", "source · Nguồn", "text"),
))

KINDS: dict[str, Kind] = {k.name: k for k in (ENTERPRISES, UNION_REPORTS, PARTY_ORGS, CANDIDATES,
                                              CONTROL_TOTALS)}

OWNERSHIP = {"fdi": "fdi", "có vốn đầu tư nước ngoài": "fdi", "tư nhân": "domestic_private",
             "ngoài nhà nước": "domestic_private", "tnhh": "domestic_private",
             "cổ phần": "domestic_private", "nhà nước": "state", "dnnn": "state"}
OPERATING_STATUS = {"hoạt động ổn định": "stable", "mới thành lập": "new", "mới đi vào hoạt động": "new",
                    "tạm ngừng": "suspended", "giải thể": "dissolved", "đã giải thể": "dissolved",
                    "phá sản": "dissolved"}
ORG_TYPE = {"chi bộ cơ sở": "cell", "chi bộ": "cell", "đảng bộ cơ sở": "committee", "đảng bộ": "committee",
            "chi bộ nòng cốt": "core_cell", "chi bộ cđ-dn": "core_cell",
            "chi bộ nòng cốt công đoàn - doanh nghiệp": "core_cell"}
