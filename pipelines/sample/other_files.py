"""Registry snapshots, Party-organisation register, rosters and control totals on disk."""

from __future__ import annotations

import csv
import datetime as dt
import io

from pipelines.sample import other_sheets
from pipelines.sample.inbox import CUMULATIVE, POINT_IN_TIME, SOURCE, _Inbox
from pipelines.sample.model import World
from pipelines.sample.periods import AS_OF, WINDOW_START, q_end

REGISTRY_CSV = {3: ("utf-8-sig", ","), 9: ("cp1258", ",")}


def write_registry(box: _Inbox, w: World) -> None:
    """One snapshot per quarter end, so the registry in force is exact at every quarter."""
    for q in range(-1, 19):
        as_of = q_end(q)
        rng = box.rng
        cells = other_sheets.registry_snapshot(rng, w.enterprises, as_of, updated_col=q % 3 == 0,
                                               tax_numeric=q == 5, text_dates=q in REGISTRY_CSV or box.fmt == "csv")
        box.emit(f"enterprises/{as_of.year}/DanhMucDN_{as_of:%d-%m-%Y}", cells, REGISTRY_CSV.get(q))


def write_party_orgs(box: _Inbox, w: World) -> None:
    enterprise_orgs = [o for o in w.orgs if o.org_type != "core_cell"]
    core = [o for o in w.orgs if o.org_type == "core_cell"]
    box.emit("party_orgs/DS_to_chuc_Dang_trong_DN_30.09.2022", other_sheets.party_org_sheet(
        box.rng, enterprise_orgs, title="DANH SÁCH CHI BỘ, ĐẢNG BỘ CƠ SỞ TRONG DOANH NGHIỆP", aliases=0))
    box.emit("party_orgs/DS_chi_bo_nong_cot_CD-DN", other_sheets.party_org_sheet(
        box.rng, core, title="DANH SÁCH CHI BỘ NÒNG CỐT CÔNG ĐOÀN - DOANH NGHIỆP", aliases=1), ("utf-8-sig", ";"))


def write_rosters(box: _Inbox, w: World) -> None:
    """Year rosters list who was introduced or admitted that year; persons recur across files."""
    names = {e.tax_code: e.name for e in w.enterprises}
    rosters = [(f"NĂM {y}", dt.date(y, 12, 31), dt.date(y, 1, 1)) for y in range(2018, 2022)]
    rosters.insert(3, ("6 THÁNG ĐẦU NĂM 2021", dt.date(2021, 6, 30), dt.date(2021, 1, 1)))
    rosters.append(("NĂM 2022 (ĐẾN 30/9/2022)", AS_OF, dt.date(2022, 1, 1)))
    for label, until, since in rosters:
        people = [p for p in w.candidates if since <= p.introduced_on <= until
                  or (p.admitted_on and since <= p.admitted_on <= until)]
        people.sort(key=lambda p: (p.introduced_on, p.citizen_id))
        title = f"DANH SÁCH QUẦN CHÚNG ƯU TÚ ĐƯỢC GIỚI THIỆU HỌC LỚP BỒI DƯỠNG NHẬN THỨC VỀ ĐẢNG {label}"
        cells = other_sheets.roster_sheet(box.rng, people, until, title, names, text_dates=box.fmt == "csv")
        bad_at = None
        if since == dt.date(2021, 1, 1) and until.month == 12:
            twin = next(p for p in people if p.admitted_on and p.admitted_on.year == 2021)
            bad_at = len(cells)
            row = list(cells[4 + people.index(twin)])
            cid = twin.citizen_id
            row[0], row[4] = len(people) + 1, cid[:3] + str((int(cid[3]) + 1) % 4) + cid[4:]
            cells.append(row)
        rel = box.emit(f"candidates/DS_QCUT_{until:%Y_%m}", cells, ("utf-8", ",") if until.year == 2019 else None)
        if bad_at is not None:
            box.defect("E008", rel, bad_at + 1, twin.tax_code, None,
                       "duplicate roster row of a person listed correctly above, sex/century digit mistyped")


def write_control_totals(box: _Inbox, figures: dict[str, float]) -> None:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(["metric", "as_of", "value", "window_start", "source"])
    for metric in POINT_IN_TIME + CUMULATIVE:
        value = figures[metric]
        text = f"{value:.1f}" if metric.endswith("_pct") else str(int(value))
        out.writerow([metric, AS_OF.isoformat(), text, WINDOW_START.isoformat() if metric in CUMULATIVE else "",
                      SOURCE])
    path = box.out / "control_totals/control_totals.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    box.files += 1
