"""Import a heavy library on a side thread while the run waits on work that frees the interpreter.

Great Expectations costs ~5 s to import on a quiet machine (10 s under load), and a run used
to pay it at the start of validation, after the dbt steps. Those steps mostly wait on DuckDB,
which releases the GIL while a query runs, so an import started when they begin is usually
done by the time validation asks for it. The validation step still imports the module itself:
if the warm-up is under way it waits for it (Python's per-module import lock), and if the
warm-up failed the real import raises the error as it would have.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading

log = logging.getLogger(__name__)

_STARTED: set[str] = set()


def warm_import(module: str) -> bool:
    """Start importing `module` on a daemon thread; False when it is loaded or already warming."""
    if module in sys.modules or module in _STARTED:
        return False
    _STARTED.add(module)

    def load() -> None:
        try:
            importlib.import_module(module)
        except Exception as exc:  # the step that needs it will import it again and say why
            log.info("warm-up import of %s failed: %s", module, exc)
            _STARTED.discard(module)

    threading.Thread(target=load, name=f"warm-import-{module}", daemon=True).start()
    return True
