"""The inbox on disk: determinism, readability and the 2022-Q3 totals read back."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from pipelines.sample import write_sample_inbox

TAX_HEADERS = {"mã số thuế", "mst", "mã số dn"}
WORKER_HEADERS = {"tổng số lao động", "tổng số cnlđ", "tổng số cnvclđ", "số lao động"}
MEMBER_HEADERS = {"tổng số đoàn viên", "số đoàn viên", "đoàn viên"}
PERIOD_HEADERS = {"kỳ báo cáo", "quý", "kỳ"}
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    out = tmp_path_factory.mktemp("inbox")
    return out, write_sample_inbox(out)


def _norm(value) -> str:
    text = unicodedata.normalize("NFC", str(value)).strip().lower()
    text = re.sub(r"\s*\((\*|người)\)$", "", re.sub(r"\s+", " ", text))
    return text


def _count(value) -> int:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return 0
    text = str(value).strip()
    if text in ("", "-"):
        return 0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    assert re.fullmatch(r"\d+|\d{1,3}([. ]\d{3})+", text), text
    return int(re.sub(r"[. ]", "", text))


def _period(value) -> str:
    text = _norm(value)
    m = re.search(r"(\d{4})-q([1-4])", text) or re.search(r"q([1-4])[/-](\d{4})", text)
    if m and m.group(1).isdigit() and len(m.group(1)) == 4:
        return f"{m.group(1)}-Q{m.group(2)}"
    if m:
        return f"{m.group(2)}-Q{m.group(1)}"
    m = re.search(r"(?:quý )?([1-4]|iv|iii|ii|i)(?:/| năm )(\d{4})", text)
    n = m.group(1)
    return f"{m.group(2)}-Q{int(n) if n.isdigit() else ROMAN[n.upper()]}"


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        raw = path.read_bytes()
        for enc in ("utf-16", "utf-8-sig", "cp1258"):
            try:
                text = raw.decode(enc)
                if enc == "utf-16" and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                    continue
                break
            except UnicodeDecodeError:
                continue
        first = text.splitlines()[4]
        sep = max((",", ";", "\t"), key=first.count)
        import io
        return pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str, keep_default_na=False)
    if path.suffix == ".xls":
        return pd.read_excel(path, header=None)
    return pd.read_excel(path, engine="calamine", header=None)


def _rows(path: Path):
    frame = _read(path)
    for h in range(15):
        names = [_norm(v) for v in frame.iloc[h] if str(v).strip() not in ("", "nan")]
        if any(n in TAX_HEADERS for n in names) and any(n in WORKER_HEADERS for n in names):
            break
    else:
        raise AssertionError(f"no header in {path}")
    cols = {_norm(v): i for i, v in enumerate(frame.iloc[h])}
    tax = next(cols[c] for c in cols if c in TAX_HEADERS)
    wk = next(cols[c] for c in cols if c in WORKER_HEADERS)
    mb = next(cols[c] for c in cols if c in MEMBER_HEADERS)
    per = next(cols[c] for c in cols if c in PERIOD_HEADERS)
    rev = next((cols[c] for c in cols if c in ("lần nộp", "lần báo cáo")), None)
    for i in range(h + 1, len(frame)):
        key = str(frame.iat[i, tax]).strip()
        if key in ("", "nan") or key.startswith("("):
            continue
        code = key.split(".")[0].zfill(10)
        revision = _count(frame.iat[i, rev]) if rev is not None else 1
        yield _period(frame.iat[i, per]), code, revision, _count(frame.iat[i, wk]), _count(frame.iat[i, mb])


def test_reports_reproduce_q3_2022(inbox):
    out, summary = inbox
    latest: dict[str, tuple[int, int, int]] = {}
    registry = _read(out / "enterprises/2022/DanhMucDN_30-09-2022.xlsx")
    known = {str(v).strip() for v in registry.iloc[:, 1]}
    for path in sorted((out / "union_reports").rglob("*")):
        if path.suffix not in (".xlsx", ".xls", ".csv") or path.name.startswith("~$") or "loi" in path.name:
            continue
        for period, code, revision, workers, members in _rows(path):
            if period == "2022-Q3" and code in known and (code not in latest or latest[code][0] < revision):
                latest[code] = (revision, workers, members)
    assert len(latest) == 275
    assert sum(v[1] for v in latest.values()) == 156915 == summary.expected_figures["workers"]
    assert sum(v[2] for v in latest.values()) == 148630 == summary.expected_figures["members"]


def test_header_found_under_title(inbox):
    out, _ = inbox
    frame = pd.read_excel(out / "enterprises/2022/DanhMucDN_30-09-2022.xlsx", engine="calamine", header=None)
    assert str(frame.iat[0, 0]).startswith("DANH MỤC DOANH NGHIỆP")
    assert "30/09/2022" in str(frame.iat[1, 0])
    assert _norm(frame.iat[3, 0]) == "stt" and len(frame) - 4 == 364


def test_defects_and_kinds(inbox):
    out, summary = inbox
    rules = {d["rule_id"] for d in summary.injected_defects}
    assert {"F001", "F006", "F008", "E002", "E003", "E005", "L001", "E008"} <= rules
    for d in summary.injected_defects:
        assert (out / d["source_file"]).exists()
    dup = next(d for d in summary.injected_defects if d["rule_id"] == "F006")
    original = out / dup["note"].split("byte copy of ")[1]
    assert (out / dup["source_file"]).read_bytes() == original.read_bytes()
    assert {p.name for p in out.iterdir()} >= {"enterprises", "union_reports", "party_orgs", "candidates",
                                                "control_totals"}
    assert any(p.suffix == ".xls" for p in out.rglob("*"))
    totals = pd.read_csv(out / "control_totals/control_totals.csv")
    assert len(totals) == 13 and totals.set_index("metric").at["workers", "value"] == 156915


def _digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_deterministic(tmp_path):
    write_sample_inbox(tmp_path / "a", seed=11)
    write_sample_inbox(tmp_path / "b", seed=11)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_csv_format_seed_figures(tmp_path):
    summary = write_sample_inbox(tmp_path, seed=5, fmt="csv")
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(p.suffix in (".csv", ".pdf") or p.name.startswith("~$") or "loi" in p.name for p in files)
    assert summary.expected_figures["workers"] == 156915
