"""`uw template` and the template asset: one form per enterprise whose union is active.

The set of enterprises and the reference figures come from the warehouse (registry in
force at the quarter's end, last accepted reports), so the forms go to exactly the unions
the coverage figures count, each already knowing what it reported last time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipelines.outreach.quarter import Quarter
from pipelines.outreach.template_writer import write_template
from pipelines.outreach.warehouse_read import active_unions, connect, last_accepted

NAME_LIMIT = 60


@dataclass(frozen=True)
class TemplateRun:
    quarter: str
    folder: Path
    files: list[Path]
    with_reference: int


def readable_name(text: str) -> str:
    """ASCII words joined by `_`: survives every mail client, zip tool and file system."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch)).encode("ascii", "ignore").decode()
    words = re.sub(r"[^A-Za-z0-9]+", "_", ascii_only).strip("_")
    return words[:NAME_LIMIT].rstrip("_") or "doanh_nghiep"


def template_file_name(tax_code: str, name: str, quarter: Quarter) -> str:
    return f"{tax_code}_{readable_name(name)}_{quarter.key}.xlsx"


def write_templates(warehouse_db: Path, out_dir: Path, quarter: Quarter) -> TemplateRun:
    with connect(warehouse_db) as con:
        enterprises = active_unions(con, quarter)
        accepted = last_accepted(con, quarter)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    for enterprise in enterprises:
        target = out_dir / template_file_name(enterprise.tax_code, enterprise.name, quarter)
        write_template(target, enterprise, quarter, accepted.get(enterprise.tax_code))
        files.append(target)
    return TemplateRun(quarter.key, out_dir, files, sum(1 for e in enterprises if e.tax_code in accepted))
