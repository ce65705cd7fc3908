"""Both outreach commands are discoverable (help, operations page, README) and refuse bad
usage with exit status 2 before touching anything."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipelines.cli import EXIT_OK, EXIT_USAGE, main
from tests.outreach.warehouse_stub import make_warehouse

REPO = Path(__file__).resolve().parents[2]


def test_help_lists_both_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "template" in out and "feedback" in out


@pytest.mark.parametrize("page", ["docs/operations.md", "README.md"])
def test_docs_name_both_commands(page):
    text = (REPO / page).read_text(encoding="utf-8")
    assert "uw template" in text and "uw feedback" in text
    assert "data-office.md" in text


def test_bad_period_and_missing_warehouse_are_usage_errors(tmp_path, capsys):
    assert main(["template", "--out", str(tmp_path / "o"), "--period", "2023-Q5",
                 "--warehouse", str(tmp_path)]) == EXIT_USAGE
    assert main(["feedback", "--out", str(tmp_path / "o"), "--warehouse", str(tmp_path / "none")]) == EXIT_USAGE
    assert "uw run" in capsys.readouterr().out
    assert not (tmp_path / "o").exists()


def test_template_command_writes_forms(tmp_path, capsys):
    make_warehouse(tmp_path / "warehouse.duckdb", [
        {"tax_code": "0201000017", "enterprise_name": "Công ty An", "union_founded_on": date(2015, 1, 1)}])
    assert main(["template", "--out", str(tmp_path / "o"), "--period", "Quý IV/2023",
                 "--warehouse", str(tmp_path)]) == EXIT_OK
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["0201000017_Cong_ty_An_2023-Q4.xlsx"]
    assert "Wrote 1 form(s) for 2023-Q4" in capsys.readouterr().out
