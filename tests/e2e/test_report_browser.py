"""The auditor report of a real sample run, in headless Chromium at 1,366 × 768, network off.

Chromium is driven over the DevTools protocol (`chromium.py`): the tests measure the page
as laid out, change the filters as a reader would, and record every request the page
makes. Screenshots are kept as test artefacts in `tests/artifacts/` (ignored by git):
the first screen, the whole page, and the validation page that replaces GX's Data Docs.

The page-height bound is explained in docs/report.md: the sample's page is about
4,700 px; 6,000 px leaves room for a trend of 12 runs and a few more findings, and fails
as soon as info findings or input files are laid out row by row again (the old page was
148,679 px).
"""

import struct
import zlib

import duckdb
import openpyxl
import pytest

from pipelines.lib.labels import GATE, RECONCILIATION
from pipelines.quality.gx_suites import load_suites
from pipelines.report.view import INFO_ROWS_SHOWN
from tests.conftest import REPO_ROOT
from tests.e2e.chromium import CHROMIUM, Chromium

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("sample_run")]

WIDTH, HEIGHT = 1366, 768
MAX_PAGE_HEIGHT = 6000
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"


def _png_size_and_colours(path) -> tuple[tuple[int, int], int]:
    """Width, height and how many distinct byte values the pixels use: a blank page has very few."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    size = struct.unpack(">II", data[16:24])
    chunks, offset = [], 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if kind == b"IDAT":
            chunks.append(data[offset + 8:offset + 8 + length])
        offset += 12 + length
    pixels = zlib.decompress(b"".join(chunks))
    return size, len(set(pixels[: 4 * 1024 * 1024]))


@pytest.fixture(scope="module")
def sample_warehouse(sample_run):
    warehouse, result = sample_run
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return warehouse


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (make test installs it: scripts/install-test-deps.sh)")
    with Chromium(tmp_path_factory.mktemp("chromium-profile"), WIDTH, HEIGHT) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def report(sample_warehouse, browser):
    browser.open((sample_warehouse / "reports" / "dq_report.html").as_uri())
    browser.screenshot(ARTIFACTS / "report_first_screen.png")
    browser.screenshot(ARTIFACTS / "report_full_page.png", full_page=True)
    return browser


def _rect(browser, selector: str) -> dict:
    return browser.evaluate(f"JSON.parse(JSON.stringify(document.querySelector('{selector}').getBoundingClientRect()))")


def test_the_first_screen_shows_the_gate_verdict_and_the_whole_reconciliation(report):
    assert report.evaluate("window.innerWidth") == WIDTH and report.evaluate("window.innerHeight") == HEIGHT
    for selector in ("#gate-verdict", "#reconciliation"):
        box = _rect(report, selector)
        assert box["height"] > 0 and box["top"] >= 0 and box["bottom"] <= HEIGHT, (selector, box)
    assert GATE["passed"].vi in report.evaluate("document.getElementById('gate-verdict').textContent")
    rows = report.evaluate("Array.from(document.querySelectorAll('#reconciliation tbody tr'))"
                           ".map(r => [r.dataset.match, r.textContent])")
    assert len(rows) == 13  # every control total of the sample (seed/metrics.md)
    assert all(match == "true" and RECONCILIATION[True].vi in text for match, text in rows)
    size, colours = _png_size_and_colours(ARTIFACTS / "report_first_screen.png")
    assert size == (WIDTH, HEIGHT) and colours > 50


def test_nothing_scrolls_sideways_and_the_page_is_bounded(report):
    width, visible, height = report.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth, "
        "document.documentElement.scrollHeight]")
    assert width <= visible == WIDTH
    assert height < MAX_PAGE_HEIGHT
    wider = report.evaluate(f"Array.from(document.querySelectorAll('body *')).filter("
                            f"e => e.getBoundingClientRect().right > {WIDTH} + 1).map(e => e.tagName + '#' + e.id)")
    assert wider == []


def test_the_filters_still_work(report, sample_warehouse):
    with duckdb.connect(str(sample_warehouse / "warehouse.duckdb"), read_only=True) as con:
        current = dict(con.execute("select severity, count(*) from audit.dq_findings_current group by all").fetchall())
        f007 = con.execute("select count(*) from audit.dq_findings_current where rule_id = 'F007'").fetchone()[0]
    choose = ("(function(id, value){var s=document.getElementById(id); s.value=value; "
              "s.dispatchEvent(new Event('change')); return [Number(document.getElementById('shown').textContent), "
              "document.querySelectorAll('#findings-section tr.finding:not([style*=\"none\"])').length, "
              "Array.from(document.querySelectorAll('details.info-group[open]')).map(d => d.dataset.rule)];})")
    shown, visible, opened = report.evaluate(f"{choose}('sev', 'error')")
    assert shown == visible == current["error"] and opened == []
    report.evaluate(f"{choose}('sev', '')")
    shown, visible, opened = report.evaluate(f"{choose}('rule', 'F007')")
    assert shown == visible == min(f007, INFO_ROWS_SHOWN) and opened == ["F007"]
    report.evaluate("document.getElementById('findings-h').scrollIntoView()")
    report.screenshot(ARTIFACTS / "report_filtered_F007.png")
    report.evaluate("window.scrollTo(0, 0)")
    shown, _, opened = report.evaluate(f"{choose}('rule', '')")
    assert shown == report.evaluate("document.querySelectorAll('#findings-section tr.finding').length")
    assert opened == []


def test_the_charts_were_laid_out_and_nothing_was_fetched(report):
    laid_out = report.evaluate("Array.from(document.querySelectorAll('svg.chart')).filter("
                               "c => { var b = c.getBBox(); return b.width > 0 && b.height > 0; }).length")
    # coverage by quarter and by zone, two zone × quarter heat maps, two target charts, three trend charts
    assert laid_out >= 9
    assert report.requests and all(url.startswith("file://") for url in report.requests), report.requests


def test_the_validation_page_renders_offline(sample_warehouse, browser):
    """GX's Data Docs are replaced by our own page: every expectation of every suite, with its result."""
    page = sample_warehouse / "reports" / "data_docs" / "index.html"
    browser.requests.clear()
    browser.open(page.as_uri())
    browser.screenshot(ARTIFACTS / "data_docs_first_screen.png")
    suites = load_suites()
    tables = browser.evaluate("Array.from(document.querySelectorAll('table.validation')).map(t => "
                              "[t.dataset.suite, t.querySelectorAll('tr.gx-result').length, "
                              "t.getBoundingClientRect().height])")
    assert [(name, rows) for name, rows, _ in tables] == [(s.name, len(s.expectations)) for s in suites]
    assert all(height > 50 for _, _, height in tables)  # laid out, not an empty list
    results = browser.evaluate("Array.from(document.querySelectorAll('tr.gx-result td:nth-child(4)'))"
                               ".map(td => td.textContent.trim())")
    assert results and all(r.startswith(("Đạt", "Không đạt")) for r in results)
    assert all(url.startswith("file://") for url in browser.requests), browser.requests


def test_the_findings_spreadsheet_of_the_run(sample_warehouse):
    with duckdb.connect(str(sample_warehouse / "warehouse.duckdb"), read_only=True) as con:
        current = dict(con.execute("select severity, count(*) from audit.dq_findings_current group by all").fetchall())
    book = openpyxl.load_workbook(sample_warehouse / "reports" / "dq_findings.xlsx")
    assert [sheet.max_row - 1 for sheet in book.worksheets] == [current.get(s, 0) for s in ("error", "warning", "info")]
    assert [sheet.max_row - 1 for sheet in book.worksheets] == [4, 2, 1298]
    assert not any(cell.data_type == "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)
    header = [cell.value for cell in book.worksheets[0][1]]
    assert any(h and h.startswith("Ý nghĩa quy tắc") for h in header)
