#!/bin/sh
# dbt's parse, as project.py prepares it once per code version: started inside a scratch
# folder with the database named by the relative `warehouse.duckdb`. The profile then renders
# the same `path` whatever the warehouse, so dbt's profile hash (part of its partial-parsing
# state) never changes, and the in-process parse of each run (dbt_in_process.py, which
# renders the profile the same way) is a partial one (docs/performance.md).
cd "${UW_DBT_CWD:?UW_DBT_CWD names the warehouse folder dbt runs in}" || exit 2
UW_WAREHOUSE_DB=warehouse.duckdb exec dbt "$@"
