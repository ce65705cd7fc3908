"""Named moments where the crash tests kill a run, deterministically.

`UW_CRASH_AT=<name>` makes the process SIGKILL itself when it reaches `crash_point(name)`:
the same death as `kill -9` or a power cut at that moment, with no cleanup, no `finally`,
no Dagster event. Unset (always, outside tests/reliability/test_crash.py) it costs one
environment lookup. Names: `ingest` (after the first file's transaction committed),
`publish` (new serving copy built and flushed, not yet swapped in).
"""

from __future__ import annotations

import os
import signal

CRASH_ENV = "UW_CRASH_AT"


def crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
