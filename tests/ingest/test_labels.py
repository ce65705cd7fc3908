"""Label matching of the hand-drawn forms (inbound-reports.md §2.1, §2.2): the header rules of
§2 plus numbering, bullets and inner colons, whatever the case or Unicode normal form."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.ingest.labels import (
    FEMALE,
    GROUPS,
    INDICATORS,
    SUB_HEADERS,
    TITLE_LABELS,
    VERTICAL_HEADER,
    display_label,
    match_group,
    match_indicator,
    match_sub_header,
    match_title_label,
    match_vertical_header,
    normalize_label,
)

INDICATOR_LABELS = [(label, column) for column, labels in INDICATORS.items() for label in labels]
SUB_LABELS = [(group, label, column) for group, subs in SUB_HEADERS.items()
              for column, labels in subs.items() for label in labels]
GROUP_LABELS = [(label, group) for group, labels in GROUPS["union_reports"].items() for label in labels]

numbering = st.sampled_from(["", "1. ", "2.3. ", "12) ", "a) ", "b. ", "(c) ", "II. ", "iv) ", "(3) ", "- ", "+ ",
                             "– ", "• ", "1. - ", "a) + "])
trailing = st.sampled_from(["", ":", " :", " (*)", "*", " (người)"])
case = st.sampled_from([str.lower, str.upper, str.title, str.capitalize, lambda s: s])
form = st.sampled_from(["NFC", "NFD"])
spaces = st.sampled_from([" ", "  ", "\u00a0", "\t"])


def dress(label: str, prefix: str, suffix: str, change_case, normal_form: str, space: str) -> str:
    """The label as a person types it: numbering in front, a colon or unit behind, any case,
    NFD from a Mac, odd white space between the words."""
    text = change_case(prefix + label.replace(" ", space) + suffix)
    return "  " + unicodedata.normalize(normal_form, text) + " "


@given(st.sampled_from(INDICATOR_LABELS), numbering, trailing, case, form, spaces)
def test_every_indicator_label_matches_however_it_is_dressed(pair, prefix, suffix, change_case, normal_form, space):
    label, column = pair
    assert match_indicator(dress(label, prefix, suffix, change_case, normal_form, space)) == column


@given(st.sampled_from(SUB_LABELS), numbering, trailing, case, form)
def test_every_sub_header_matches_under_its_group(triple, prefix, suffix, change_case, normal_form):
    group, label, column = triple
    assert match_sub_header(group, dress(label, prefix, suffix, change_case, normal_form, " ")) == column


@given(st.sampled_from(GROUP_LABELS), trailing, case, form)
def test_every_group_cell_matches(pair, suffix, change_case, normal_form):
    label, group = pair
    assert match_group("union_reports", dress(label, "", suffix, change_case, normal_form, " ")) == group


@given(st.sampled_from([(label, column) for column, labels in TITLE_LABELS.items() for label in labels]),
       trailing, case, form)
def test_every_title_label_matches(pair, suffix, change_case, normal_form):
    label, column = pair
    assert match_title_label(dress(label, "", suffix, change_case, normal_form, " ")) == column


@given(st.sampled_from([(label, role) for role, labels in VERTICAL_HEADER.items() for label in labels]),
       trailing, case, form)
def test_every_vertical_header_cell_matches(pair, suffix, change_case, normal_form):
    label, role = pair
    assert match_vertical_header(dress(label, "", suffix, change_case, normal_form, " ")) == role


@given(st.text(alphabet="abcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậ ", min_size=1, max_size=30),
       numbering, trailing, form)
def test_normalisation_is_idempotent_and_ignores_normal_form(text, prefix, suffix, normal_form):
    label = normalize_label(unicodedata.normalize(normal_form, prefix + text + suffix))
    assert normalize_label(label) == label
    assert label == normalize_label(unicodedata.normalize("NFC", prefix + text + suffix))


@pytest.mark.parametrize("text", ["Tổng số lao đông", "Tong so lao dong", "Tổng số lao động nước ngoài",
                                  "Số lao động ký hợp đồng", "Thu nhập bình quân", "Trong đó: lao động nước ngoài",
                                  "Nam", "1.250", ""])
def test_other_labels_are_not_indicators(text):
    """Diacritics stay significant (§2), and a longer label is another indicator."""
    assert match_indicator(text) is None


def test_female_labels_refer_to_the_row_above():
    assert {match_indicator(t) for t in ("- Trong đó: nữ", "+ Trong đó nữ", "a) Nữ", "TRONG ĐÓ: NỮ")} == {FEMALE}
    assert match_indicator("Lao động nữ") == "workers_female"
    assert match_indicator("Đoàn viên nữ") == "members_female"


@pytest.mark.parametrize(("written", "shown"), [
    ("1. Tổng số lao động", "Tổng số lao động"), ("- Trong đó: nữ", "Trong đó: nữ"),
    ("a) + Số đảng viên", "Số đảng viên"), ("II. LAO ĐỘNG", "LAO ĐỘNG"), ("1.250", "1.250"),
])
def test_display_label_keeps_the_words_as_written(written, shown):
    assert display_label(written) == shown


def test_a_group_is_not_a_sub_header_of_another_group():
    assert match_sub_header("party", "Kết nạp mới") is None  # a union join, not a Party admission
    assert match_sub_header("workers", "Giảm") is None
