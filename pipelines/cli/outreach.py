"""`uw template` and `uw feedback`: the forms that go out to the enterprises and the packets
that come back to them. Both only read the warehouse (`--warehouse`, else $UW_WAREHOUSE_DIR,
else data/warehouse), so they can run while BI tools read `serving.duckdb`."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE

COMMANDS = ("template", "feedback")
WAREHOUSE_HELP = "warehouse folder to read (default $UW_WAREHOUSE_DIR or data/warehouse)"


def add_outreach_commands(commands) -> None:
    template = commands.add_parser("template", help="write one validated .xlsx form per enterprise with an "
                                                    "active union, for a quarter")
    template.add_argument("--out", required=True, help="folder to write the forms into")
    template.add_argument("--period", required=True, help="the quarter, e.g. 2023-Q4 (or Quý IV/2023)")
    template.add_argument("--warehouse", help=WAREHOUSE_HELP)

    feedback = commands.add_parser("feedback", help="write one feedback packet (.xlsx) per enterprise with open "
                                                    "error/warning findings, and feedback_summary.csv")
    feedback.add_argument("--out", required=True, help="folder to write the packets into")
    feedback.add_argument("--warehouse", help=WAREHOUSE_HELP)


def outreach_command(args: argparse.Namespace) -> int:
    from pipelines.config import resolve_paths
    from pipelines.outreach.warehouse_read import WarehouseMissing

    warehouse_db = resolve_paths(None, args.warehouse).warehouse_db
    try:
        if args.command == "template":
            return _template(args, warehouse_db)
        return _feedback(args, warehouse_db)
    except WarehouseMissing as exc:
        print(f"uw {args.command}: {exc}")
        return EXIT_USAGE
    except OSError as exc:
        print(f"uw {args.command}: cannot write to {args.out}: {exc}")
        return EXIT_FAILED


def _template(args: argparse.Namespace, warehouse_db: Path) -> int:
    from pipelines.outreach.quarter import Quarter
    from pipelines.outreach.templates import write_templates

    try:
        quarter = Quarter.parse(args.period)
    except ValueError as exc:
        print(f"uw template: {exc}")
        return EXIT_USAGE
    run = write_templates(warehouse_db, Path(args.out), quarter)
    print(f"Wrote {len(run.files)} form(s) for {quarter.key} ({quarter.label}, due {quarter.deadline:%d/%m/%Y}) "
          f"to {run.folder.resolve()}; {run.with_reference} show last accepted figures.")
    if not run.files:
        print("  No enterprise has an active union at that quarter's end in the registry: is the registry loaded?")
    return EXIT_OK


def _feedback(args: argparse.Namespace, warehouse_db: Path) -> int:
    from pipelines.outreach.feedback import write_feedback

    run = write_feedback(warehouse_db, Path(args.out))
    office = " (and one for the data office)" if run.office_packet else ""
    print(f"Wrote {run.enterprise_packets} feedback packet(s){office} with {run.findings} findings to "
          f"{run.folder.resolve()}; summary: {run.summary_csv.name}")
    return EXIT_OK
