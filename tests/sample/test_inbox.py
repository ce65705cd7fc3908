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


GROUPS = {"workers": {"lao động", "số lao động", "cnlđ", "tổng số cnlđ"},
          "members": {"đoàn viên", "đoàn viên công đoàn", "số đoàn viên"}}
TOTAL_SUBS = {"tổng số", "tổng", "cộng"}


def _cell(frame: pd.DataFrame, i: int, j: int) -> str:
    value = frame.iat[i, j]
    return "" if value is None or str(value).strip() in ("", "nan") else str(value).strip()


def _vertical(frame: pd.DataFrame):
    """(period, tax code, 1, workers, members) of a vertical form (§2.2), or None."""
    for h in range(min(20, len(frame))):
        cols = {_norm(v): j for j, v in enumerate(frame.iloc[h])}
        if "nội dung" in cols and "số lượng" in cols:
            break
    else:
        return None
    title = " | ".join(_cell(frame, i, j) for i in range(h) for j in range(frame.shape[1]))
    tax = re.search(r"Mã số thuế:\s*(?:\|\s*)?([\d.]+)", title).group(1).split(".")[0].zfill(10)
    year_roman = re.search(r"QUÝ (IV|III|II|I)/(\d{4})", title)
    figures = {}
    for i in range(h + 1, len(frame)):
        label = re.sub(r"^[\d.\s-]+", "", _norm(_cell(frame, i, cols["nội dung"])))
        if label in ("tổng số lao động", "tổng số đoàn viên công đoàn"):
            figures.setdefault(label, _count(frame.iat[i, cols["số lượng"]]))
    period = f"{year_roman.group(2)}-Q{ROMAN[year_roman.group(1)]}"
    return period, tax, 1, figures["tổng số lao động"], figures["tổng số đoàn viên công đoàn"]


def _column_names(frame: pd.DataFrame, h: int) -> dict[str, int]:
    """Header names → column; a two-row header (§2.1) names `workers` / `members` from its groups."""
    cols = {_norm(v): i for i, v in enumerate(frame.iloc[h])}
    below = [_norm(_cell(frame, h + 1, j)) for j in range(frame.shape[1])] if h + 1 < len(frame) else []
    if any(b in TOTAL_SUBS for b in below):
        group = ""
        for j, sub in enumerate(below):
            group = _norm(_cell(frame, h, j)) or group
            for name, spellings in GROUPS.items():
                if group in spellings and sub in TOTAL_SUBS:
                    cols[name] = j
    return cols


def _rows(path: Path):
    frame = _read(path)
    vertical = _vertical(frame)
    if vertical is not None:
        yield vertical
        return
    for h in range(15):
        names = [_norm(v) for v in frame.iloc[h] if str(v).strip() not in ("", "nan")]
        if any(n in TAX_HEADERS for n in names):
            break
    else:
        raise AssertionError(f"no header in {path}")
    cols = _column_names(frame, h)
    tax = next(cols[c] for c in cols if c in TAX_HEADERS)
    wk = cols.get("workers", next((cols[c] for c in cols if c in WORKER_HEADERS), None))
    mb = cols.get("members", next((cols[c] for c in cols if c in MEMBER_HEADERS), None))
    per = next(cols[c] for c in cols if c in PERIOD_HEADERS)
    rev = next((cols[c] for c in cols if c in ("lần nộp", "lần báo cáo")), None)
    for i in range(h + 1, len(frame)):
        key = str(frame.iat[i, tax]).strip()
        if key in ("", "nan") or key.startswith("("):
            continue
        code = key.split(".")[0].zfill(10)
        revision = _count(frame.iat[i, rev]) if rev is not None else 1
        yield _period(frame.iat[i, per]), code, revision, _count(frame.iat[i, wk]), _count(frame.iat[i, mb])


def test_both_hand_drawn_layouts_are_in_the_sample(inbox):
    """A share of the consolidated sheets has a two-row header and a share of the single-enterprise
    files is a vertical form (docs/sample-data.md); the reader above reads them independently."""
    out, _ = inbox
    two_row = vertical = 0
    for path in sorted((out / "union_reports").rglob("*")):
        if path.suffix not in (".xlsx", ".xls", ".csv") or path.name.startswith("~$") or "loi" in path.name:
            continue
        frame = _read(path)
        if _vertical(frame) is not None:
            vertical += path.name.startswith("CDCS_")
            continue
        h = next(h for h in range(15) if any(_norm(v) in TAX_HEADERS for v in frame.iloc[h]))
        two_row += "workers" in _column_names(frame, h) and path.name.startswith("BC_CDCS_KCN_")
    assert two_row >= 10 and vertical >= 10


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
