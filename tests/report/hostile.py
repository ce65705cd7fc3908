"""A tiny warehouse whose texts try to break out: formulas for Excel, tags for the browser.

Enterprise names, file names and cell values reach the report from hand-filled
spreadsheets, so the tests plant the worst of them everywhere a text can travel.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import duckdb

from pipelines.lib.audit import ensure_audit_schema
from pipelines.lib.findings import Finding
from pipelines.quality.current_findings import seen_row
from pipelines.quality.lifecycle import record_findings

FORMULA = '=HYPERLINK("http://evil.example/x","bấm vào đây")'
SCRIPT = "<script>alert('xss')</script>"
HOSTILE_NAME = f"{FORMULA} {SCRIPT} Công ty TNHH <b>Bóng</b> & Co"
HOSTILE_TEXTS = (FORMULA, "+SUM(A1:A9)", "-2+3", "@cmd", SCRIPT, '"><img src=x onerror=alert(1)>')
RUN_ID = "run-hostile"

# The tags the report itself writes; anything else in the page came from the data.
REPORT_TAGS = {
    "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "span", "br", "table", "thead", "tbody",
    "tr", "th", "td", "code", "div", "input", "select", "option", "a", "script", "svg", "text", "rect", "line",
    "polyline", "circle", "header", "section", "details", "summary", "abbr", "ul", "li", "strong",
}


def build_hostile_warehouse(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        ensure_audit_schema(con)
        con.execute("create schema raw; create schema marts")
        con.execute("create table marts.dim_enterprise as select * from (values "
                    "('0200000001', ?, true), ('0200000001', 'Old name', false), ('0200000002', ?, true)) "
                    "t(tax_code, enterprise_name, is_current)", [HOSTILE_NAME, FORMULA])
        con.execute("create table marts.dim_industrial_zone as "
                    "select * from (values ('DV', ?)) t(zone_code, zone_name)", [SCRIPT])
        con.execute("create table marts.headline_figures as select * from (values "
                    "(date '2022-09-30', date '2022-07-01', 'union_coverage_pct', 95.16::double), "
                    "(date '2022-09-30', date '2022-07-01', 'party_org_coverage_pct', 15.4::double)) "
                    "t(as_of, window_start, metric, value)")
        con.execute("create table marts.headline_by_zone as "
                    "select as_of, window_start, 'DV' as zone_code, metric, value from marts.headline_figures")
        con.execute("create schema intermediate")
        con.execute("create table intermediate.int_control_total_checks as select 'union_coverage_pct' as metric, "
                    "date '2022-09-30' as as_of, null::date as control_window_start, 95.2::double as control_value, "
                    "1 as value_decimals, 95.16::double as warehouse_value, ? as source, "
                    "'control_totals/c.csv' as source_file, 2 as source_row, 0.0::double as difference, "
                    "true as matches", [SCRIPT + FORMULA])
        for source_file, status in ((f"union_reports/{SCRIPT}.xlsx", "loaded"), ("a.xlsx", "loaded"),
                                    ("@dup.xlsx", "duplicate")):
            con.execute("insert into audit.file_manifest (run_id, source_file, sha256, kind, file_format, size_bytes, "
                        "status, rows_read, rows_loaded, rows_quarantined, detail, ingested_at) "
                        "values (?, ?, ?, 'union_reports', 'xlsx', 10, ?, "
                        "3, 2, 1, null, now()::timestamp)", [RUN_ID, source_file, "ab" * 32, status])
        findings = [
            Finding("E003", "Tên khác / name differs", "name differs", tax_code="0200000001", period="2022-Q3",
                    source_file=f"union_reports/{SCRIPT}.xlsx", source_row=7, observed=text, expected=FORMULA,
                    subject=str(index))
            for index, text in enumerate(HOSTILE_TEXTS)
        ] + [
            Finding("L001", SCRIPT, FORMULA, tax_code="0200000002", period="2022-Q3", source_file="a.xlsx",
                    source_row=3, observed="members_total=5 > workers_total=4", expected="-1"),
            Finding("F006", "Trùng tệp", "duplicate", source_file="@dup.xlsx", observed="+1", expected="=1+1"),
        ]
        record_findings(con, RUN_ID, [seen_row(f) for f in findings])


class TagCollector(HTMLParser):
    """Every start tag and every text node, as a browser's tokenizer would split them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.texts: list[str] = []
        self.script_bodies: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        (self.script_bodies if self._in_script else self.texts).append(data)


def parse(html: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(html)
    collector.close()
    return collector
