"""The fast extent scan agrees with the exact one, and steps aside whenever a cell lacks its own reference."""

from __future__ import annotations

import io
import zipfile

import pytest

from pipelines.ingest.xlsx_extent import _referenced_extent, sheet_extent

PART = "xl/worksheets/sheet1.xml"


def _archive(cells: str) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(PART, f'<worksheet xmlns="x"><sheetData>{cells}</sheetData></worksheet>')
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def test_cells_with_their_own_references_take_the_fast_scan():
    archive = _archive('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" s="2"/></row>'
                       '<row r="7"><x:c r="B7"/></row><row r="8"><c r="AA3"/></row>')
    assert _referenced_extent(archive, PART) == (7, 27)
    assert sheet_extent(archive, PART) == (7, 27)


@pytest.mark.parametrize("cells, extent", [
    # r-less cells count in sequence from their row; decoy r attributes elsewhere must not stand in for them
    ('<row r="1000000"><c/><c/></row><foo r="A1"/><bar r="A1"/>', (1000000, 2)),
    ("<row r=\"3\"><c r='D3'/></row>", (3, 4)),  # single quotes: the exact scan reads them
    ('<row r="9"><c s="2" r="E9"/></row>', (9, 5)),  # r not the first attribute: likewise
    ('<row r="2"><c r="B2"/><c><v>1</v></c></row>', (2, 3)),
])
def test_anything_else_falls_back_to_the_exact_scan(cells, extent):
    archive = _archive(cells)
    assert _referenced_extent(archive, PART) is None
    assert sheet_extent(archive, PART) == extent


def test_a_reference_split_across_read_chunks_is_still_counted(monkeypatch):
    import pipelines.ingest.xlsx_extent as module

    monkeypatch.setattr(module, "_CHUNK", 7)  # every tag straddles a chunk boundary
    archive = _archive('<row r="1"><c r="A1"/></row><row r="40"><c r="Z40"/></row>')
    assert _referenced_extent(archive, PART) == (40, 26)
