#!/bin/sh
# dbt as the pipeline runs it: started inside the warehouse folder, with the database
# named relative to that folder. The profile then renders the same `path` for every
# warehouse, so dbt's profile hash (part of its partial-parsing state) never changes and
# the project is parsed once per code version, not once per invocation
# (docs/performance.md). UW_DBT_CWD is set by pipelines/warehouse/project.py.
cd "${UW_DBT_CWD:?UW_DBT_CWD names the warehouse folder dbt runs in}" || exit 2
UW_WAREHOUSE_DB=warehouse.duckdb exec dbt "$@"
