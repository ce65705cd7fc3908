"""Seeded generator of a realistic sample inbox (`uw sample`).

With the defaults the inbox reproduces the seed article's figures exactly through
the pipeline; `scale` multiplies the world, `seed` moves only the details.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from pipelines.sample.inbox import SampleSummary

__all__ = ["SampleSummary", "write_sample_inbox"]

FORMATS = ("xlsx", "csv", "mixed")


def write_sample_inbox(out_dir: Path, scale: int = 1, seed: int = 20220910, fmt: str = "mixed") -> SampleSummary:
    from pipelines.sample import inbox, model, other_files

    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    if scale < 1:
        raise ValueError("scale must be at least 1")
    out_dir = Path(out_dir)
    for kind in ("enterprises", "union_reports", "party_orgs", "candidates", "control_totals"):
        if (out_dir / kind).exists():
            shutil.rmtree(out_dir / kind)
    out_dir.mkdir(parents=True, exist_ok=True)
    world = model.build_world(seed, scale)
    figures = model.compute_figures(world)
    box = inbox._Inbox(out_dir, fmt, random.Random(f"{seed}/files/{fmt}"), seed)
    taken = {e.tax_code for e in world.enterprises}
    inbox._write_reports(box, world, taken)
    other_files.write_registry(box, world)
    other_files.write_party_orgs(box, world)
    other_files.write_rosters(box, world)
    other_files.write_control_totals(box, figures)
    return SampleSummary(files_written=box.files, enterprises=len(world.enterprises),
                         expected_figures=figures, injected_defects=box.defects, out_dir=out_dir)
