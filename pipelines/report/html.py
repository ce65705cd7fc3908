"""Render the auditor report as one self-contained HTML file, from Jinja2 templates.

The page is laid out in `templates/*.html.j2` (a designer can read and change them), with
its CSS and script inline. Autoescape is on for every template, so any value from the
data — enterprise names, file names, cell values from hundreds of hand-filled
spreadsheets — is escaped wherever a new section puts it; only the charts, drawn and
escaped in `svg.py`, arrive as `Markup`. Numbers and dates go through Babel filters
(`formatting.py`). A Content-Security-Policy forbids the browser to fetch anything, so
the report renders the same on an air-gapped laptop and cannot leak.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from markupsafe import Markup

from pipelines.lib.labels import SEVERITY, words
from pipelines.report import charts, formatting
from pipelines.report.data import ReportData
from pipelines.report.validations import SuiteView
from pipelines.report.view import build_view, metric_words, rule_words
from pipelines.version import pipeline_version

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
       "font-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'")


def _compiled_templates_cache() -> FileSystemBytecodeCache | None:
    """Compiling the report's templates is ~0.1 s of every run (a tenth of a no-op's own work);
    Jinja keeps the compiled code in a private per-user temporary folder, keyed by each
    template's checksum, so an edited template is compiled afresh. No cache if that folder
    cannot be made safely."""
    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("pipelines.report", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      bytecode_cache=_compiled_templates_cache())
    env.filters.update(num=formatting.number, pct=formatting.percent, signed=formatting.signed,
                       day=formatting.day, moment=formatting.moment, val=formatting.any_value)
    env.globals.update(
        csp=Markup(CSP), severities=list(SEVERITY.items()), metric=metric_words, figure=formatting.figure,
        reconciled=lambda matches: words("reconciliation", bool(matches)),
        target_status=lambda code: words("target_status", code),
        check_result=lambda success: words("check_result", bool(success)), rule=rule_words,
    )
    return env


def render_report(data: ReportData, inbox: str, validations: list[SuiteView] | None = None) -> str:
    view = build_view(data, inbox, pipeline_version())
    return environment().get_template("report.html.j2").render(
        v=view, validations=validations or [], collapse_passing=True, coverage_charts=charts.coverage_charts(data),
        target_charts=charts.target_charts(data), trend_charts=charts.trend_charts(data))


def render_validations(validations: list[SuiteView], run_id: str, generated_at) -> str:
    """The validation results alone, where GX's Data Docs used to be (`reports/data_docs/index.html`)."""
    return environment().get_template("validations.html.j2").render(
        validations=validations, collapse_passing=False, run_id=run_id, generated_at=generated_at)
