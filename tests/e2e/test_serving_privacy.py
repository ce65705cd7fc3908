"""Nothing published identifies a person (outputs.md §5), and BI tools can read the marts.

The session's one `uw run` of the sample inbox (`sample_run`). Then:
- a second process opens serving.duckdb read-only (while this one also has it open, as two
  BI tools would) and reads every mart;
- the sample's citizen ids, full names, reporter names and phone numbers are collected from
  the working warehouse's `raw` schema (and the personal cells of quarantined rows), and
  every text column of every table of serving.duckdb, the auditor report and the findings
  spreadsheet are scanned for them: none may appear;
- fct_party_candidate has no personal column, and its candidate_key is the HMAC-SHA256 of
  the citizen id keyed by UW_PSEUDONYM_KEY (the labelled development key when unset, as in
  this run unless the environment sets it), computed at ingest (docs/raw-layer.md).
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.loader import DEVELOPMENT_KEY, PSEUDONYM_ENV, pseudonym_key
from pipelines.ingest.raw_rows import candidate_key
from tests.conftest import REPO_ROOT

# shares the session's sample run (tests/conftest.py `sample_run`) and so its xdist group
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("sample_run")]
PERSONAL_COLUMNS = {"citizen_id", "full_name", "birth_date", "reporter_name", "reporter_phone"}
REDACTED = "<redacted>"

READ_EVERY_MART = """
import json, sys
import duckdb
with duckdb.connect(sys.argv[1], read_only=True) as con:
    tables = [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
    counts = {t: len(con.execute(f'select * from marts."{t}"').fetchall()) for t in tables}
print(json.dumps(counts))
"""


@pytest.fixture(scope="module")
def published(sample_run) -> Path:
    """The warehouse folder of the session's one `uw run` of the sample (tests/conftest.py)."""
    warehouse, result = sample_run
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (warehouse / "serving.duckdb").is_file()
    return warehouse


def _words(text: str) -> list[str]:
    """Words of a text, NFC, case-folded, without punctuation (so 'AN,' matches 'an')."""
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold())


def _normal(text: str) -> str:
    return " ".join(_words(text))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


class PersonalData:
    """The identifiers to look for: names (matched as whole word sequences, any case) and
    numbers (citizen ids and phones, matched on their digits whatever the separators)."""

    def __init__(self, names: set[str], numbers: set[str]) -> None:
        self.names = {_normal(n) for n in names if n and len(_normal(n).split()) >= 2}
        self.numbers = {_digits(n) for n in numbers if n and len(_digits(n)) >= 9}
        self.name_lengths = sorted({len(n.split()) for n in self.names})
        self.number_lengths = sorted({len(n) for n in self.numbers})

    def found_in(self, text: str) -> list[str]:
        found = []
        words = _words(text)
        for size in self.name_lengths:
            for start in range(len(words) - size + 1):
                gram = " ".join(words[start:start + size])
                if gram in self.names:
                    found.append(gram)
        # digit runs, letting spaces, dots and dashes separate groups as phones are written
        for run in re.findall(r"\d(?:[\d .\-]*\d)?", text):
            digits = _digits(run)
            for size in self.number_lengths:
                for start in range(len(digits) - size + 1):
                    if digits[start:start + size] in self.numbers:
                        found.append(digits[start:start + size])
        return found


@pytest.fixture(scope="module")
def personal_data(published) -> PersonalData:
    names: set[str] = set()
    numbers: set[str] = set()
    with duckdb.connect(str(published / "warehouse.duckdb"), read_only=True) as con:
        for citizen_id, full_name in con.execute("select citizen_id, full_name from raw.candidates").fetchall():
            numbers.add(citizen_id)
            names.add(full_name)
        for name, phone in con.execute(
                "select reporter_name, reporter_phone from raw.union_reports").fetchall():
            names.add(name)
            numbers.add(phone)
        # The allow-list also withholds unknown columns that are not personal (a roster's
        # "Nơi làm việc" holds the employer's name): registered enterprise names are public.
        public_names = {n for (n,) in con.execute("select distinct enterprise_name from raw.enterprises").fetchall()}
        quarantined = con.execute("""
            select q.raw_values, p.raw_values
            from audit.quarantine as q
            inner join raw.quarantine_personal as p using (run_id, source_file, source_row)
        """).fetchall()
    for redacted_json, personal_json in quarantined:
        redacted, personal = json.loads(redacted_json), json.loads(personal_json)
        for header, value in redacted.items():
            if value == REDACTED and personal.get(header):
                text = str(personal[header])
                if re.fullmatch(r"[\d .\-]+", text):
                    numbers.add(text)
                elif text in public_names:
                    continue
                elif not re.fullmatch(r"[\d/\-. ]+", text):  # birth dates are not scanned as text
                    names.add(text)
    data = PersonalData(names, numbers)
    assert len(data.names) > 100 and len(data.numbers) > 100  # the sample's people were found
    # the scanner finds them however they are cased, spaced or punctuated
    name, number = sorted(data.names)[0], sorted(data.numbers)[0]
    assert data.found_in(f"ghi chú: {name.upper()}, xem thêm")
    assert data.found_in(f"tel. {number[:4]}.{number[4:7]}.{number[7:]} ")
    assert not data.found_in("Công ty TNHH Điện tử 2022-Q3 0200000001")
    return data


def test_a_second_process_reads_every_mart_read_only(published):
    serving = published / "serving.duckdb"
    with duckdb.connect(str(serving), read_only=True) as con:  # another reader already has it open
        expected = {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}
        result = subprocess.run([sys.executable, "-c", READ_EVERY_MART, str(serving)], cwd=REPO_ROOT,
                                capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(counts) == expected
    for table in ("dim_enterprise", "dim_industrial_zone", "dim_period", "fct_union_report", "fct_party_org",
                  "fct_party_candidate", "headline_figures", "target_tracking"):
        assert counts.get(table, 0) > 0, table


def test_no_text_column_of_serving_holds_personal_data(published, personal_data):
    leaks = []
    with duckdb.connect(str(published / "serving.duckdb"), read_only=True) as con:
        columns = con.execute("""
            select table_schema, table_name, column_name, data_type from information_schema.columns
            order by 1, 2, ordinal_position
        """).fetchall()
        assert not [c for c in columns if c[2].lower() in PERSONAL_COLUMNS]
        text_columns = [c[:3] for c in columns if c[3] in ("VARCHAR", "JSON") or c[3].startswith("VARCHAR")]
        assert len(text_columns) > 20
        for schema, table, column in text_columns:
            values = con.execute(
                f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null').fetchall()
            for (value,) in values:
                found = personal_data.found_in(value)
                if found:
                    leaks.append((f"{schema}.{table}.{column}", found[:3], value[:200]))
    assert not leaks, f"personal data in serving.duckdb: {leaks[:10]}"


def test_auditor_report_and_spreadsheet_hold_no_personal_data(published, personal_data):
    report = (published / "reports" / "dq_report.html").read_text(encoding="utf-8")
    text = re.sub(r"[<>\"'=]", " ", html.unescape(report))
    found = personal_data.found_in(text)
    assert not found, f"personal data in dq_report.html: {found[:10]}"

    workbook_path = published / "reports" / "dq_findings.xlsx"
    if workbook_path.exists():
        openpyxl = pytest.importorskip("openpyxl")
        workbook = openpyxl.load_workbook(workbook_path, read_only=True)
        cells = [str(v) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
                 for v in row if v is not None]
        workbook.close()
        found = personal_data.found_in("\n".join(cells))
        assert not found, f"personal data in dq_findings.xlsx: {found[:10]}"


def test_candidates_are_pseudonymised_with_the_keyed_hmac(published):
    with duckdb.connect(str(published / "serving.duckdb"), read_only=True) as con:
        columns = {r[0] for r in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'fct_party_candidate'").fetchall()}
        published_keys = {r[0] for r in con.execute("select candidate_key from marts.fct_party_candidate").fetchall()}
        bands = {r[0] for r in con.execute("select distinct birth_year_band from marts.fct_party_candidate").fetchall()}
    assert not columns & PERSONAL_COLUMNS
    assert "candidate_key" in columns and "birth_year_band" in columns
    assert all(re.fullmatch(r"\d{4}-\d{4}", band) for band in bands if band is not None)
    with duckdb.connect(str(published / "warehouse.duckdb"), read_only=True) as con:
        citizen_ids = {r[0] for r in con.execute("select citizen_id from raw.candidates").fetchall()}
    key = (os.environ.get(PSEUDONYM_ENV) or DEVELOPMENT_KEY).encode()  # what the run's ingest used
    expected = {hmac.new(key, cid.encode(), hashlib.sha256).hexdigest() for cid in citizen_ids}
    assert published_keys and published_keys <= expected
    assert not published_keys & citizen_ids


def test_the_pseudonym_key_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(PSEUDONYM_ENV, "privacy-test-key-7f3a")
    key = pseudonym_key()
    assert key == b"privacy-test-key-7f3a"
    assert candidate_key("031192000001", key) == hmac.new(
        b"privacy-test-key-7f3a", b"031192000001", hashlib.sha256).hexdigest()
    monkeypatch.delenv(PSEUDONYM_ENV)
    assert pseudonym_key() == DEVELOPMENT_KEY.encode()
