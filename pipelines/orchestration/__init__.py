"""Orchestration: when and for which reporting quarter the asset graph runs, and who hears of it.

Kept apart from the domain packages so that ingest, warehouse, quality and report stay
plain Python that knows nothing about sensors, schedules or partitions; this package
only decides *what to run*, the domains decide *how*.
"""
