"""Moved to `pipelines/lib/findings.py` (a leaf every layer imports); kept so open branches merge."""
from pipelines.lib.findings import FINDING_COLUMNS, Finding, finding_key  # noqa: F401
