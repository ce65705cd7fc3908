"""Which layer makes which finding, so the views know which findings are re-made each run.

Ingest parses a file once (by SHA-256), so its findings are recorded once and stay true
while that file is in the inbox. Warehouse and control-total findings are recomputed on
every run over the whole warehouse, so only the latest run's set is current.
"""

INGEST_RULES = frozenset({
    "F001", "F002", "F003", "F004", "F005", "F006", "F007", "F008", "F009", "F010",
    "E001", "E008", "L001", "L002", "L003", "L006", "L007", "L008",
})

BLOCKING_RULES = frozenset({"C001"})
