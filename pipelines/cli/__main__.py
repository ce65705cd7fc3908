"""`python -m pipelines.cli` is `uw`, for environments where the script is not on PATH.

Guarded: ingest's worker processes start by importing the parent's main module
(`multiprocessing`'s spawn), and must not run `uw` again when they do.
"""

from pipelines.cli import console_main

if __name__ == "__main__":
    console_main()
