"""The fast extent scan (`xlsx_extent._plain_refs`) agrees with the exact one on every spelling.

Why: the fast path trusts byte counts to prove that every cell opens with a plain `<c r="B12"`;
a cell it missed would let a huge grid through to calamine. Here sheets mixing plain cells with
the spellings it must not trust (a prefix, a line break before `r`, `r` not first, no `r`, other
`<c…` tags) are scanned both ways.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.ingest import xlsx_extent

PART = "xl/worksheets/sheet1.xml"


def _letters(column: int) -> str:
    out = ""
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


SPELLINGS = {
    "plain": '<c r="{ref}"><v>1</v></c>',
    "empty": '<c r="{ref}"/>',
    "prefixed": '<x:c r="{ref}"><x:v>1</x:v></x:c>',
    "line_break": '<c\nr="{ref}"/>',
    "style_first": '<c s="1" r="{ref}"/>',
    "single_quotes": "<c r='{ref}'/>",
    "no_ref": "<c><v>2</v></c>",
    "col": '<cols><col min="1" max="3"/></cols>',
    "colour_text": '<c r="{ref}" t="inlineStr"><is><t>Ghi chú:c</t></is></c>',
}


def _archive(xml: str) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PART, xml)
    return zipfile.ZipFile(buffer)


def _exact(archive: zipfile.ZipFile) -> tuple[int, int]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(xlsx_extent, "_referenced_extent", lambda *_: None)
        return xlsx_extent.sheet_extent(archive, PART)


cells = st.lists(st.tuples(st.sampled_from(sorted(SPELLINGS)), st.integers(1, 1_048_576), st.integers(1, 16_384)),
                 min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(cells=cells, chunk=st.sampled_from([64, 1 << 20]))
def test_fast_and_exact_scans_agree(cells, chunk):
    rows = "".join(f'<row r="{row}">' + SPELLINGS[spelling].format(ref=f"{_letters(col)}{row}") + "</row>"
                   for spelling, row, col in cells)
    xml = f'<worksheet xmlns:x="urn:x"><sheetData>{rows}</sheetData></worksheet>'
    with pytest.MonkeyPatch.context() as patch, _archive(xml) as archive:
        patch.setattr(xlsx_extent, "_CHUNK", chunk)  # small pieces: tags split across reads
        assert xlsx_extent.sheet_extent(archive, PART) == _exact(archive)


@pytest.mark.parametrize("hidden", ["prefixed", "line_break", "style_first", "single_quotes"])
def test_a_far_cell_in_a_spelling_the_fast_scan_does_not_trust_still_counts(hidden):
    plain = "".join(SPELLINGS["plain"].format(ref=f"A{row}") for row in range(1, 200))
    far = SPELLINGS[hidden].format(ref="XFD1048576")
    with _archive(f'<worksheet xmlns:x="urn:x"><sheetData><row>{plain}{far}</row></sheetData></worksheet>') as archive:
        assert xlsx_extent.sheet_extent(archive, PART) == (1_048_576, 16_384)


def test_plain_cells_take_the_fast_path():
    piece = b'<row r="1"><c r="A1"/><c r="K1" t="s"><v>0</v></c></row><cols><col min="1"/></cols>'
    assert xlsx_extent._plain_refs(piece) == [(b"A", b"1"), (b"K", b"1")]
    assert xlsx_extent._plain_refs(piece + b'<x:c r="B2"/>') is None
    assert xlsx_extent._plain_refs(piece + b'<c\nr="B2"/>') is None
