"""Writes the sample inbox: the model's world, spelled as the zones really send it.

Files are laid out as in inbound-reports.md §1; the injected defects are placed on
rows that never feed the published figures (rejected rows, superseded revisions,
duplicate files), so the defaults reproduce the seed figures through the pipeline.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.sample import form_layouts, ids, model, report_sheets, writers
from pipelines.sample.periods import LAST_Q, iso, q_end, year_q
from pipelines.sample.world import ZONE_LABEL

CSV_DIALECTS = (("utf-8", ","), ("utf-8-sig", ";"), ("cp1258", ","), ("utf-16", ","), ("utf-8", ";"))
SPECIAL_REPORTS = {("AD", 5): ("cp1258", ","), ("NCK", 10): ("utf-8-sig", ";"), ("TT", 13): ("utf-16", ","),
                   ("DS", 3): "xls"}
NFD_REPORT = ("VSIP", 16)
SOURCE = ("Cổng TTĐT TP Hải Phòng, 10/09/2022: Hội thảo 'Nâng cao vai trò, trách nhiệm của tổ chức "
          "công đoàn trong công tác phát triển Đảng tại doanh nghiệp' (Công đoàn Khu kinh tế Hải Phòng)")
POINT_IN_TIME = ("enterprise_party_orgs", "party_org_coverage_pct", "union_enterprises", "union_coverage_pct",
                 "workers", "members")
CUMULATIVE = ("candidates_introduced", "candidates_admitted", "admission_rate_pct", "admitted_via_core_cell",
              "party_orgs_established", "party_orgs_established_via_transfer", "party_members_transferred")


@dataclass
class SampleSummary:
    files_written: int
    enterprises: int
    expected_figures: dict[str, float]
    injected_defects: list[dict] = field(default_factory=list)
    out_dir: Path | None = None


class _Inbox:
    def __init__(self, out_dir: Path, fmt: str, rng: random.Random, seed: int = 0):
        self.out, self.fmt, self.rng, self.files, self.csv_turn = out_dir, fmt, rng, 0, 0
        self.defects: list[dict] = []
        self.layouts = form_layouts.layout_rng(seed)  # which files are hand-drawn forms (own stream)

    def emit(self, rel: str, cells: list[list], special=None, nfd: bool = False, merges=()) -> str:
        """Write one sheet in the format the mode asks for; returns the path used."""
        if self.fmt == "xlsx" or (self.fmt == "mixed" and special is None):
            kind = "xlsx"
        elif special == "xls" and self.fmt == "mixed":
            kind = "xls"
        else:
            kind = special if isinstance(special, tuple) else CSV_DIALECTS[self.csv_turn % len(CSV_DIALECTS)]
            self.csv_turn += special is None or special == "xls"
        cells = writers.nfd_rows(cells) if nfd else cells
        path = self.out / (rel + "." + ("csv" if isinstance(kind, tuple) else kind))
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "xlsx":
            writers.write_xlsx(path, cells, merges=merges)
        elif kind == "xls":
            writers.write_xls(path, cells)
        else:
            writers.write_csv(path, cells, *kind)
        self.files += 1
        return path.relative_to(self.out).as_posix()

    def defect(self, rule: str, file: str, row: int | None, tax: str | None, q: int | None, note: str) -> None:
        self.defects.append({"rule_id": rule, "source_file": file, "source_row": row, "tax_code": tax,
                             "period": iso(q) if q is not None else None, "note": note})

    def is_csv(self, special) -> bool:
        return self.fmt == "csv" or isinstance(special, tuple)


def _row(rep, name: str) -> dict:
    return {"tax_code": rep.tax_code, "enterprise_name": name, "workers_total": rep.workers,
            "workers_female": rep.workers_female, "members_total": rep.members,
            "members_female": rep.members_female, "members_joined": rep.joined, "members_left": rep.left,
            "party_members": rep.party_members, "candidates_introduced": rep.introduced,
            "candidates_admitted": rep.admitted, "admitted_via_core_cell": rep.via_core,
            "submitted_on": rep.submitted_on, "revision": 1, "reporter_name": rep.reporter_name,
            "reporter_phone": rep.reporter_phone}


def _write_reports(box: _Inbox, w: model.World, counters_tax: set[str]) -> None:
    rng = box.rng
    ent = {e.tax_code: e for e in w.enterprises}
    by_q: dict[int, list] = {}
    for rep in w.reports:
        by_q.setdefault(rep.q, []).append(rep)
    giants = [e.tax_code for e in w.enterprises if e.kind == "giant"]
    pick = lambda q: rng.choice(sorted(r.tax_code for r in by_q[q] if r.tax_code not in giants))  # noqa: E731
    resub_a, resub_b, e003 = pick(LAST_Q), pick(13), pick(10)
    e002_zone, f008_zone = ent[pick(15)].zone, ent[pick(6)].zone
    dup_source = None
    for q in range(LAST_Q + 1):
        year, n = year_q(q)
        folder = f"union_reports/{year}/Q{n}"
        reps = sorted(by_q[q], key=lambda r: r.tax_code)
        busy = {resub_a, resub_b, e003}
        singles = {giants[q % len(giants)]} | set(rng.sample([r.tax_code for r in reps if r.tax_code not in busy
                                                               and r.tax_code not in giants], 2))
        for zone in ZONE_LABEL:
            rows = [_row(r, ent[r.tax_code].name) for r in reps if ent[r.tax_code].zone == zone
                    and r.tax_code not in singles]
            if not rows:
                continue
            marks: dict[str, tuple[str, str]] = {}
            for row in rows:
                if q == LAST_Q and row["tax_code"] == resub_a:
                    row["workers_total"] += 37
                    row["members_total"] += 25
                    marks[row["tax_code"]] = ("E005", "revision 1 with wrong figures; revision 2 sent as its own file")
                if q == 13 and row["tax_code"] == resub_b:
                    row["members_total"] = row["workers_total"] + 12
                    marks[row["tax_code"]] = ("L001", "members_total > workers_total in revision 1 (also E005)")
                if q == 10 and row["tax_code"] == e003:
                    name = row["enterprise_name"]
                    row["enterprise_name"] = name.replace("Việt Nam", "VN") if "Việt Nam" in name else name + " VN"
                    marks[row["tax_code"]] = ("E003", "enterprise name differs from the registry")
            if q == 15 and zone == e002_zone:
                stray = dict(rows[0], tax_code=ids.new_tax_code(rng, counters_tax),
                             enterprise_name="Công ty TNHH Cơ khí Chính xác Tân Hải")
                rows.append(stray)
                marks[stray["tax_code"]] = ("E002", "valid check digit, but in no registry snapshot")
            special = SPECIAL_REPORTS.get((zone, q))
            style = report_sheets.draw_style(rng, text_only=box.is_csv(special))
            offset = 1000 if (q == 6 and zone == f008_zone) else 0
            cells, pos = report_sheets.report_table(rows, q, style, unit=f"Cụm Công đoàn KCN {ZONE_LABEL[zone]}",
                                                    single=False, totals_offset=offset)
            merges = ()
            if not marks and not offset and box.layouts.random() < form_layouts.TWO_ROW_SHARE:
                keys = [k for k, _ in report_sheets.COLUMNS if k != "revision"]
                cells, pos, merges = form_layouts.two_row_header(cells, pos, keys, box.layouts)
            rel = box.emit(f"{folder}/BC_CDCS_KCN_{zone}_Q{n}_{year}", cells, special,
                           nfd=(zone, q) == NFD_REPORT or rng.random() < 0.06, merges=merges)
            for row, p in zip(rows, pos, strict=True):
                if row["tax_code"] in marks:
                    rule, note = marks[row["tax_code"]]
                    box.defect(rule, rel, p + 1, row["tax_code"], q, note)
                    if rule == "L001":
                        box.defect("E005", rel, p + 1, row["tax_code"], q, "superseded by revision 2")
            if offset:
                box.defect("F008", rel, pos[-1] + 2, None, q,
                           "totals row: workers_total 1000 more than the sum of the rows")
            if q == 16 and dup_source is None:
                dup_source = rel
        extra = [(t, 1) for t in sorted(singles)] + [(t, 2) for t in (resub_a,) if q == LAST_Q] \
            + [(t, 2) for t in (resub_b,) if q == 13]
        for tax, revision in extra:
            rep = next(r for r in reps if r.tax_code == tax)
            row = _row(rep, ent[tax].name)
            special = ("utf-8", ",") if (revision == 1 and rng.random() < 0.2) else None
            style = report_sheets.draw_style(rng, text_only=box.is_csv(special))
            if revision == 2:
                row.update(revision=2, submitted_on=q_end(q) + dt.timedelta(days=12))
            cells, _ = report_sheets.report_table([row], q, style, unit=f"CĐCS {ent[tax].name}", single=True,
                                                  with_revision=revision == 2, place_date=row["submitted_on"])
            if revision == 1 and box.layouts.random() < form_layouts.VERTICAL_SHARE:
                cells = form_layouts.vertical_form(row, q, style, box.layouts)
            suffix = "_lan2" if revision == 2 else ""
            rel = box.emit(f"{folder}/CDCS_{tax}_Q{n}{year}{suffix}", cells, special)
            if revision == 2 and q == LAST_Q:
                broken = box.out / f"{folder}/BC_gui_lai_{tax}_loi.xlsx"
                data = (box.out / rel).read_bytes() if rel.endswith(".xlsx") else b"PK\x03\x04" + b"\x00" * 64
                broken.write_bytes(data[: len(data) // 2])
                box.files += 1
                box.defect("F001", broken.relative_to(box.out).as_posix(), None, None, q,
                           "truncated .xlsx (an interrupted e-mail download)")
    copy = box.out / "union_reports/email_2022-04-12/Fwd_bao_cao_quy" / Path(dup_source).name
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(box.out / dup_source, copy)
    box.files += 1
    box.defect("F006", copy.relative_to(box.out).as_posix(), None, None, 16, f"byte copy of {dup_source}")
    (box.out / "union_reports/2022/Q3/~$BC_CDCS_KCN_DV_Q3_2022.xlsx").write_bytes(b"\x0bCDKKT\x00" * 20)
    (box.out / "union_reports/Cong_van_huong_dan_bao_cao_quy.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    box.files += 2
