"""`uw sample`: write the seeded sample inbox."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.cli import EXIT_OK, EXIT_USAGE


def sample_command(args: argparse.Namespace) -> int:
    if args.scale < 1:
        print("uw sample: --scale must be 1 or more")
        return EXIT_USAGE
    from pipelines.sample import write_sample_inbox

    out = Path(args.out)
    summary = write_sample_inbox(out, scale=args.scale, seed=args.seed, fmt=args.fmt)
    print(f"Wrote {summary.files_written} files for {summary.enterprises} enterprises to {out.resolve()}")
    return EXIT_OK
