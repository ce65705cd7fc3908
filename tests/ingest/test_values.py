"""Every accepted form of §3 of inbound-reports.md, and the rejected ones the spec names."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.ingest.dates import find_date_in_text, parse_date, parse_period
from pipelines.ingest.identifiers import citizen_id_agrees, parse_citizen_id, parse_tax_code, tax_check_digit
from pipelines.ingest.values import (
    GENDERS,
    MAX_COUNT,
    ValueProblem,
    cell_text,
    fold,
    normalize_text,
    parse_count,
    parse_decimal,
    parse_enum,
    parse_yes_no,
)


def rule_of(parser, value) -> str:
    with pytest.raises(ValueProblem) as caught:
        parser(value)
    return caught.value.rule_id


# --- counts ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("1234", 1234), ("1.234", 1234), ("1,234", 1234), ("1 234", 1234), ("1\u00a0234", 1234),
    ("12.345.678", 12345678), ("12 345 678", 12345678), ("0", 0), (" 7 ", 7),
    (1234.0, 1234), (0.0, 0), (15, 15),
])
def test_count_accepted(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("blank", ["", " ", "-", "–", "x", "X", None])
def test_count_blank_marks_are_blank(blank):
    assert parse_count(blank) is None


@pytest.mark.parametrize("bad", ["1,5", "12a", "-3", "1.23", "1.2345", "1,234.567", "1.234,567", -3, 1.5,
                                 True, "12 34", "1..234"])
def test_count_rejected_is_f004(bad):
    assert rule_of(parse_count, bad) == "F004"


def test_count_rejection_reports_observed_and_expected():
    with pytest.raises(ValueProblem) as caught:
        parse_count("1,5")
    assert caught.value.observed == "1,5"
    assert "non-negative integer" in caught.value.expected


def _grouped(n: int, sep: str) -> str:
    digits = str(n)
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sep.join(groups)


@given(st.integers(min_value=0, max_value=MAX_COUNT), st.sampled_from(["plain", ".", ",", " ", "float", "int"]))
def test_count_round_trip(n, style):
    written = {"plain": str(n), "float": float(n), "int": n}.get(style) or _grouped(n, style)
    assert parse_count(written) == n


@pytest.mark.parametrize("too_big", [MAX_COUNT + 1, float(MAX_COUNT + 1), str(10**12), "1.000.000.000.000"])
def test_count_beyond_the_integer_column_is_f004(too_big):
    assert rule_of(parse_count, too_big) == "F004"


# --- dates ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["05/03/2022", "5/3/2022", "05-03-2022", "05.03.2022", "2022-03-05",
                                  date(2022, 3, 5), datetime(2022, 3, 5, 0, 0), "2022-03-05 00:00:00"])
def test_date_accepted(text):
    assert parse_date(text) == date(2022, 3, 5)


def test_date_blank_is_none():
    assert parse_date("  ") is None


def test_excel_serial_number_is_a_date():
    assert parse_date(44625.0) == date(2022, 3, 5)


@pytest.mark.parametrize("bad", ["31/02/2022", "2022/03/05", "5 March 2022", "32/01/2022", "05/13/2022",
                                 "20220305", "hôm qua", True])
def test_date_rejected_is_f005(bad):
    assert rule_of(parse_date, bad) == "F005"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
       st.sampled_from(["dd/mm/yyyy", "d/m/yyyy", "dd-mm-yyyy", "dd.mm.yyyy", "yyyy-mm-dd", "object"]))
def test_date_round_trip(day, style):
    written = {
        "dd/mm/yyyy": day.strftime("%d/%m/%Y"),
        "d/m/yyyy": f"{day.day}/{day.month}/{day.year}",
        "dd-mm-yyyy": day.strftime("%d-%m-%Y"),
        "dd.mm.yyyy": day.strftime("%d.%m.%Y"),
        "yyyy-mm-dd": day.isoformat(),
        "object": day,
    }[style]
    assert parse_date(written) == day


def test_title_date():
    assert find_date_in_text("DANH MỤC DOANH NGHIỆP tính đến ngày 30/09/2022") == date(2022, 9, 30)
    assert find_date_in_text("Đơn vị: KCN Đình Vũ") is None


# --- periods --------------------------------------------------------------------------------

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@given(st.integers(min_value=2000, max_value=2099), st.integers(min_value=1, max_value=4),
       st.sampled_from(["{y}-Q{q}", "Q{q}/{y}", "Q{q}-{y}", "Quý {q}/{y}", "Quý {r}/{y}", "{r}/{y}",
                        "quý {q} năm {y}", "Quý {r} năm {y}"]),
       st.sampled_from([str, str.lower, str.upper]))
def test_period_round_trip(year, quarter, form, case):
    written = case(form.format(y=year, q=quarter, r=ROMAN[quarter]))
    assert parse_period(written) == f"{year}-Q{quarter}"


@pytest.mark.parametrize("bad", ["Q5/2022", "2022", "3/2022", "Quý V/2022", "Tháng 9/2022", "2022-Q0"])
def test_period_rejected_is_f003(bad):
    assert rule_of(parse_period, bad) == "F003"


# --- tax codes ------------------------------------------------------------------------------

def valid_code(first_nine: str) -> str | None:
    check = tax_check_digit(first_nine)
    return None if check is None else first_nine + str(check)


def test_check_digit_rule_from_seed_readme():
    # weights 31,29,23,19,17,13,7,5,3 on 0,2,0,1,2,3,4,5,6 → 10 - (sum mod 11)
    total = sum(d * w for d, w in zip([0, 2, 0, 1, 2, 3, 4, 5, 6], [31, 29, 23, 19, 17, 13, 7, 5, 3],
                                  strict=True))
    assert tax_check_digit("020123456") == 10 - total % 11


# digits 1-2 are a province code, never "00", so a number loses at most one leading zero
nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda d: not d.startswith("00"))


@given(nine_digits.map(valid_code).filter(lambda c: c is not None),
       st.sampled_from(["plain", "spaces", "dots", "number", "branch"]))
def test_tax_code_round_trip(code, style):
    branch = "-001" if style == "branch" else ""
    written = {"plain": code, "spaces": f"{code[:4]} {code[4:7]} {code[7:]}",
               "dots": f"{code[:4]}.{code[4:7]}.{code[7:]}", "number": float(int(code)),
               "branch": code + "-001"}[style]
    parsed, restored = parse_tax_code(written)
    assert parsed == code + branch
    assert restored == (style == "number" and code.startswith("0"))


@given(nine_digits.map(valid_code).filter(lambda c: c is not None), st.integers(min_value=1, max_value=9))
def test_corrupted_check_digit_is_e001(code, shift):
    corrupted = code[:9] + str((int(code[9]) + shift) % 10)
    assert rule_of(parse_tax_code, corrupted) == "E001"


def test_nine_digit_text_gets_its_zero_back():
    assert parse_tax_code("200000007") == ("0200000007", True)
    assert parse_tax_code("200000007.0") == ("0200000007", True)
    assert parse_tax_code(200000007) == ("0200000007", True)


@pytest.mark.parametrize("bad", ["02000000", "0200000007-01", "020000000A", "02000000071", "0200000017"])
def test_tax_code_rejected_is_e001(bad):
    assert rule_of(parse_tax_code, bad) == "E001"


def test_blank_tax_code_is_none():
    assert parse_tax_code(" ") == (None, False)


# --- citizen ids ----------------------------------------------------------------------------

def test_citizen_id_forms():
    assert parse_citizen_id("031090123456") == ("031090123456", False)
    assert parse_citizen_id("31090123456") == ("031090123456", True)
    assert parse_citizen_id(31090123456.0) == ("031090123456", True)
    assert parse_citizen_id("031 090 123 456") == ("031090123456", False)


@pytest.mark.parametrize("bad", ["0310901234", "03109012345A", "0310901234567"])
def test_citizen_id_rejected_is_e008_without_echoing_it(bad):
    with pytest.raises(ValueProblem) as caught:
        parse_citizen_id(bad)
    assert caught.value.rule_id == "E008"
    assert caught.value.observed is None


@pytest.mark.parametrize(("cid", "born", "gender", "ok"), [
    ("031090123456", date(1990, 5, 1), "male", True),
    ("031190123456", date(1990, 5, 1), "female", True),
    ("031203123456", date(2003, 5, 1), "male", True),
    ("031303123456", date(2003, 5, 1), "female", True),
    ("031190123456", date(1990, 5, 1), "male", False),
    ("031091123456", date(1990, 5, 1), "male", False),
    ("031290123456", date(1990, 5, 1), "male", False),
    ("031590123456", date(1990, 5, 1), "male", False),
    ("031090123456", None, None, True),
])
def test_citizen_id_agreement(cid, born, gender, ok):
    assert citizen_id_agrees(cid, born, gender) is ok


# --- yes/no, gender, enums, text ------------------------------------------------------------

@pytest.mark.parametrize("yes", ["Có", "có", "x", "X", "1", "Yes", "True", "✓", True, 1.0])
def test_yes(yes):
    assert parse_yes_no(yes) is True


@pytest.mark.parametrize("no", ["Không", "", "0", "No", "False", False, None, 0.0])
def test_no(no):
    assert parse_yes_no(no) is False


def test_yes_no_unknown_is_f010():
    assert rule_of(parse_yes_no, "Chưa rõ") == "F010"


@pytest.mark.parametrize(("text", "gender"), [("Nam", "male"), ("M", "male"), ("Male", "male"),
                                               ("Nữ", "female"), ("Nu", "female"), ("F", "female"),
                                               ("Female", "female"), ("NỮ", "female")])
def test_gender(text, gender):
    assert parse_enum(text, GENDERS, "Nam/Nữ") == gender


def test_unknown_gender_is_f010():
    with pytest.raises(ValueProblem) as caught:
        parse_enum("Khác", GENDERS, "Nam/Nữ")
    assert caught.value.rule_id == "F010"


def test_text_is_nfc_trimmed_single_spaced():
    nfd = "Cong ty  TNHH\u00a0 Tra\u0300ng Due\u0302\u0323 "
    assert normalize_text(nfd) == "Cong ty TNHH Tràng Duệ"
    assert normalize_text(1234.0) == "1234"


def test_fold_drops_diacritics_and_d_stroke():
    assert fold("Đình Vũ") == "dinh vu"


def test_cell_text_of_excel_values():
    assert cell_text(datetime(2022, 3, 5)) == "2022-03-05"
    assert cell_text(201234567.0) == "201234567"
    assert cell_text(True) == "TRUE"


@pytest.mark.parametrize(("written", "value", "decimals"), [
    ("95.2", 95.2, 1), ("95,2", 95.2, 1), ("275", 275.0, 0), ("156915", 156915.0, 0), ("26,30", 26.3, 2),
    (95.2, 95.2, 1), (275, 275.0, 0),
])
def test_decimal_keeps_written_precision(written, value, decimals):
    assert parse_decimal(written) == (value, decimals)


def test_decimal_rejects_text():
    assert rule_of(parse_decimal, "chín lăm") == "F004"
