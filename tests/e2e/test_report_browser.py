"""The auditor report of a real sample run, opened in headless Chromium with the network off.

Chromium gets a dead proxy and a resolver that fails every name, so any request to the
outside would fail; the report must still render its reconciliation table and its
charts. The report's own load handler writes what the browser laid out (charts with a
real size, reconciliation rows and their height) into `<body data-…>`, which
`--dump-dom` gives back. The screenshot is kept under the run's `reports/` folder and
copied to the repository's `data/warehouse/reports/` for people to look at.
"""

import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser

import openpyxl
import pytest

from tests.conftest import REPO_ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("sample_run")]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WINDOW = (1320, 2600)
NETWORK_OFF = ["--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND", "--disable-quic",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", "--no-default-browser-check"]


def _chromium(profile, *args: str) -> subprocess.CompletedProcess:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--hide-scrollbars", f"--user-data-dir={profile}", *NETWORK_OFF, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


class _Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.body: dict = {}
        self.stack: list[str] = []
        self.reconciliation_rows: list[str] = []
        self.svg_shapes = 0
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "body":
            self.body = attrs
        if tag == "table":
            self.stack.append(attrs.get("id") or "")
        if tag == "tr" and self.stack and self.stack[-1] == "reconciliation" and "data-match" in attrs:
            self._row = [attrs["data-match"]]
        if tag in ("rect", "polyline", "circle"):
            self.svg_shapes += 1

    def handle_endtag(self, tag):
        if tag == "table" and self.stack:
            self.stack.pop()
        if tag == "tr" and self._row is not None:
            self.reconciliation_rows.append(" ".join(self._row))
            self._row = None

    def handle_data(self, data):
        if self._row is not None:
            self._row.append(data)


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
def rendered(sample_warehouse, tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (make test installs it: scripts/install-test-deps.sh)")
    report = sample_warehouse / "reports" / "dq_report.html"
    profile = tmp_path_factory.mktemp("chromium-profile")
    dom = _chromium(profile, "--virtual-time-budget=5000", "--dump-dom", report.as_uri())
    assert dom.returncode == 0 and "</html>" in dom.stdout, dom.stderr[-2000:]
    screenshot = sample_warehouse / "reports" / "dq_report_screenshot.png"
    shot = _chromium(profile, f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--screenshot={screenshot}",
                     report.as_uri())
    assert shot.returncode == 0 and screenshot.is_file(), shot.stderr[-2000:]
    kept = REPO_ROOT / "data" / "warehouse" / "reports"
    kept.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(screenshot, kept / screenshot.name)
    parsed = _Dom()
    parsed.feed(dom.stdout)
    return parsed, screenshot


def test_the_reconciliation_table_rendered_with_every_control_total(rendered):
    dom, _ = rendered
    assert len(dom.reconciliation_rows) == 13, dom.reconciliation_rows
    assert all(row.startswith("true") and "khớp / match" in row for row in dom.reconciliation_rows)
    assert dom.body.get("data-reconciliation-rows") == "13"
    assert float(dom.body.get("data-reconciliation-height", "0")) > 100


def test_the_charts_were_laid_out_by_the_browser(rendered):
    dom, _ = rendered
    # coverage by quarter and by zone, two zone × quarter heat maps, two target charts, three trend charts
    assert int(dom.body.get("data-charts-rendered", "0")) >= 9
    assert dom.svg_shapes > 400


def test_the_screenshot_shows_a_page(rendered):
    _, screenshot = rendered
    size, colours = _png_size_and_colours(screenshot)
    assert size == WINDOW
    assert colours > 50
    assert (REPO_ROOT / "data" / "warehouse" / "reports" / screenshot.name).is_file()


def test_the_findings_spreadsheet_of_the_run(sample_warehouse):
    book = openpyxl.load_workbook(sample_warehouse / "reports" / "dq_findings.xlsx")
    assert [sheet.max_row - 1 for sheet in book.worksheets] == [4, 2, 1298]
    assert not any(cell.data_type == "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)
