"""`uw feedback` and the feedback asset: one packet per enterprise with something to correct.

The packets and `feedback_summary.csv` are built in a hidden folder beside the target and
then replace the previous set, so an enterprise whose findings were all resolved gets no
stale packet, and a reader never sees half a set. Only packet files and the summary are
replaced; anything else the office keeps in the folder is left alone.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipelines.lib.cell_text import csv_safe
from pipelines.outreach.feedback_rows import OFFICE, FeedbackLine, packets
from pipelines.outreach.feedback_writer import write_packet
from pipelines.outreach.templates import readable_name
from pipelines.outreach.warehouse_read import connect, open_findings, registered_names

SUMMARY_CSV = "feedback_summary.csv"
PACKET_SUFFIX = "_phieu_phan_hoi.xlsx"
OFFICE_FILE = "00_van_phong_du_lieu" + PACKET_SUFFIX
OFFICE_NAME = ("Văn phòng dữ liệu (phát hiện không gắn với doanh nghiệp nào)",
               "data office (findings about no registered enterprise)")
SUMMARY_FIELDS = ("tax_code", "enterprise_name", "error", "warning", "file_name")


@dataclass(frozen=True)
class FeedbackRun:
    folder: Path
    enterprise_packets: int
    office_packet: bool
    findings: int
    summary_csv: Path


def packet_file_name(tax_code: str, name: str) -> str:
    return OFFICE_FILE if tax_code == OFFICE else f"{tax_code}_{readable_name(name)}{PACKET_SUFFIX}"


def write_feedback(warehouse_db: Path, out_dir: Path, prepared_on: date | None = None) -> FeedbackRun:
    with connect(warehouse_db) as con:
        names = registered_names(con)
        findings = open_findings(con)
    grouped = packets(findings, set(names))
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".feedback-", dir=out_dir))
    try:
        summary = []
        for tax_code in sorted(grouped):
            summary.append(_write_one(staging, tax_code, names.get(tax_code, ""), grouped[tax_code],
                                      prepared_on or date.today()))
        _write_summary(staging / SUMMARY_CSV, summary)
        _replace(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return FeedbackRun(out_dir, sum(1 for k in grouped if k != OFFICE), OFFICE in grouped,
                       sum(len(lines) for lines in grouped.values()), out_dir / SUMMARY_CSV)


def _write_one(folder: Path, tax_code: str, name: str, lines: list[FeedbackLine], prepared_on: date) -> dict:
    file_name = packet_file_name(tax_code, name)
    if tax_code == OFFICE:
        recipient_vi, recipient_en, shown_name = *OFFICE_NAME, OFFICE_NAME[0]
    else:
        recipient_vi, recipient_en, shown_name = f"Công đoàn cơ sở {name}", f"the union of {name}", name
    write_packet(folder / file_name, lines, recipient_vi, recipient_en, tax_code, prepared_on)
    errors = sum(1 for line in lines if line.severity == "error")
    return {"tax_code": tax_code, "enterprise_name": shown_name, "error": errors, "warning": len(lines) - errors,
            "file_name": file_name}


def _write_summary(target: Path, rows: list[dict]) -> None:
    """UTF-8 with BOM so Excel shows the Vietnamese; text cells made safe to open in Excel."""
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=SUMMARY_FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: csv_safe(v) if isinstance(v, str) else v for k, v in row.items()})


def _replace(staging: Path, out_dir: Path) -> None:
    for old in [*out_dir.glob(f"*{PACKET_SUFFIX}"), out_dir / SUMMARY_CSV]:
        old.unlink(missing_ok=True)
    for new in staging.iterdir():
        new.replace(out_dir / new.name)
