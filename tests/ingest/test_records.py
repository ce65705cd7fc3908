"""Row → record: required values, defaults, enumerations and the in-record logic rules."""

from __future__ import annotations

from datetime import date

from pipelines.ingest.columns import KINDS
from pipelines.ingest.headers import map_header_row
from pipelines.ingest.records import parse_row
from pipelines.ingest.sheet import Layout

TODAY = date(2022, 12, 1)


def parse(kind: str, row: dict[str, object]):
    headers = list(row)
    columns, extra = map_header_row(kind, headers)
    layout = Layout(1, columns, extra, dict(enumerate(headers)))
    return parse_row(KINDS[kind], layout, list(row.values()), TODAY)


def rules(result) -> list[str]:
    return [p.rule_id for p in result.problems]


REPORT = {"Kỳ báo cáo": "Quý III/2022", "MST": "0200000007", "Tổng số lao động": "1.234",
          "Số đoàn viên": "1 000", "Lao động nữ": "-", "Lần nộp": "", "Ngày báo cáo": "05/10/2022"}


def test_good_report_with_defaults():
    result = parse("union_reports", REPORT)
    assert result.ok
    assert result.record["period"] == "2022-Q3"
    assert result.record["workers_total"] == 1234
    assert result.record["members_total"] == 1000
    assert result.record["workers_female"] == 0
    assert result.record["revision"] == 1
    assert result.record["party_members"] == 0
    assert result.record["submitted_on"] == date(2022, 10, 5)


def test_required_value_blank_is_f009_and_dash_counts_as_blank():
    assert rules(parse("union_reports", {**REPORT, "Tổng số lao động": "-"})) == ["F009"]
    assert rules(parse("union_reports", {**REPORT, "MST": ""})) == ["F009"]


def test_value_rules_in_column_order_then_logic():
    result = parse("union_reports", {**REPORT, "Kỳ báo cáo": "Quý 5/2022", "Tổng số lao động": "1,5"})
    assert rules(result) == ["F003", "F004"]
    result = parse("union_reports", {**REPORT, "MST": "0200000008", "Số đoàn viên": "2000"})
    assert rules(result) == ["E001", "L001"]


def test_l002_l003_l008():
    assert rules(parse("union_reports", {**REPORT, "Lao động nữ": "2000"})) == ["L002"]
    assert rules(parse("union_reports", {**REPORT, "Kết nạp Đảng": "1",
                                         "Kết nạp từ chi bộ nòng cốt": "2"})) == ["L003"]
    assert rules(parse("union_reports", {**REPORT, "Ngày báo cáo": "30/06/2022"})) == ["L008"]
    assert rules(parse("union_reports", {**REPORT, "Ngày báo cáo": "05/01/2023"})) == ["L008"]


def test_restored_tax_code_is_noted():
    result = parse("union_reports", {**REPORT, "MST": 200000007.0})
    assert result.ok
    assert result.restored == ["tax_code"]
    assert result.record["tax_code"] == "0200000007"


ENTERPRISE = {"Mã số thuế": "0200000007", "Tên DN": "Công ty A", "KCN": "KCN Trang Due",
              "Loại hình": "TNHH", "Tình trạng hoạt động": "Hoạt động ổn định",
              "Đủ điều kiện thành lập CĐCS": "x", "Ngày thành lập CĐCS": ""}


def test_enterprise_enumerations():
    result = parse("enterprises", ENTERPRISE)
    assert result.ok
    record = result.record
    assert (record["industrial_zone"], record["ownership"], record["operating_status"]) == \
        ("TD", "domestic_private", "stable")
    assert record["union_eligible"] is True
    assert record["union_founded_on"] is None


def test_enterprise_unknown_enumerations_are_f010():
    result = parse("enterprises", {**ENTERPRISE, "KCN": "Hà Nội", "Loại hình": "Hợp tác xã",
                                   "Tình trạng hoạt động": "Đang ngủ"})
    assert rules(result) == ["F010", "F010", "F010"]


PARTY = {"Mã TCĐ": "CB01", "Tên chi bộ": "Chi bộ Công ty A", "Loại tổ chức": "Chi bộ nòng cốt",
         "MST": "", "Ngày thành lập": "01/02/2019", "Số đảng viên khi thành lập": "5",
         "Chuyển từ chi bộ CĐ-DN": "Có", "Số ĐV chuyển sinh hoạt": "3"}


def test_party_org_core_cell_without_tax_code():
    result = parse("party_orgs", PARTY)
    assert result.ok
    assert result.record["org_type"] == "core_cell"
    assert result.record["tax_code"] is None


def test_l007_variants():
    assert rules(parse("party_orgs", {**PARTY, "Ngày giải thể": "01/01/2019"})) == ["L007"]
    assert rules(parse("party_orgs", {**PARTY, "Số ĐV chuyển sinh hoạt": "9"})) == ["L007"]
    assert rules(parse("party_orgs", {**PARTY, "Chuyển từ chi bộ CĐ-DN": "Không"})) == ["L007"]


CANDIDATE = {"Số CCCD": "031090123456", "Họ và tên": "Nguyễn Văn A", "Ngày sinh": "01/05/1990",
             "Giới tính": "Nam", "Mã số DN": "0200000007", "Ngày giới thiệu": "01/02/2022",
             "Ngày hoàn thành lớp bồi dưỡng": "01/03/2022", "Ngày kết nạp": "01/06/2022"}


def test_candidate_ok_and_e008_l006():
    assert parse("candidates", CANDIDATE).ok
    assert rules(parse("candidates", {**CANDIDATE, "Giới tính": "Nữ"})) == ["E008"]
    assert rules(parse("candidates", {**CANDIDATE, "Ngày kết nạp": "01/01/2022"})) == ["L006", "L006"]
    assert rules(parse("candidates", {**CANDIDATE, "Ngày sinh": "01/05/2030"})) == ["E008", "L008"]


def test_candidate_problems_never_carry_personal_values():
    result = parse("candidates", {**CANDIDATE, "Số CCCD": "12345", "Ngày sinh": "31/02/1990"})
    assert rules(result) == ["E008", "F005"]
    assert all(p.observed is None for p in result.problems)


def test_control_total_decimal():
    result = parse("control_totals", {"metric": "union_rate", "as_of": "2022-09-30", "value": "95,2"})
    assert result.ok
    assert result.record["value"] == (95.2, 1)


def test_snapshot_date_precedence():
    from pipelines.ingest.loader import snapshot_date

    titles = ["Kèm theo công văn số 12 ngày 15/10/2022", "DANH MỤC DOANH NGHIỆP tính đến ngày 30/09/2022"]
    assert snapshot_date([date(2022, 9, 1), date(2022, 9, 20)], titles, TODAY) == date(2022, 9, 20)
    assert snapshot_date([], titles, TODAY) == date(2022, 9, 30)
    assert snapshot_date([], ["Danh mục doanh nghiệp"], TODAY) == TODAY
