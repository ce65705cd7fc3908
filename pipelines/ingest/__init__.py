"""Ingest layer: inbox files → the `raw` schema and the ingest-side `audit` tables.

Deliberately free of Dagster and Great Expectations imports so it loads fast; the
orchestration layer wraps `ingest_inbox` in an asset.
"""

from pipelines.ingest.ingest import IngestSummary, ingest_inbox

__all__ = ["IngestSummary", "ingest_inbox"]
