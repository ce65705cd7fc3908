"""The same project on PostgreSQL (outputs.md §6), opt-in.

Runs only when UW_DBT_PG_TEST_DATABASE names a throwaway database (its raw, staging,
intermediate, marts and reference schemas are replaced); the server and credentials come
from UW_PG_HOST, UW_PG_PORT, UW_PG_USER, UW_PG_PASSWORD like the `postgres` target.
"""

from __future__ import annotations

import os

import pytest

from .conftest import run_dbt
from .raw_fixture import EXPECTED_HEADLINE_2022_Q3, create_raw_postgres

TEST_DATABASE = os.environ.get("UW_DBT_PG_TEST_DATABASE")

pytestmark = pytest.mark.skipif(not TEST_DATABASE, reason="UW_DBT_PG_TEST_DATABASE not set")


def test_build_on_postgres_gives_the_same_figures(tmp_path, monkeypatch):
    psycopg2 = pytest.importorskip("psycopg2")
    monkeypatch.setenv("UW_PG_DATABASE", TEST_DATABASE)
    connection = psycopg2.connect(
        host=os.environ.get("UW_PG_HOST", "localhost"),
        port=int(os.environ.get("UW_PG_PORT", "5432")),
        user=os.environ.get("UW_PG_USER", "union_warehouse"),
        password=os.environ.get("UW_PG_PASSWORD", ""),
        dbname=TEST_DATABASE,
    )
    try:
        create_raw_postgres(connection)
        result = run_dbt(["build"], None, tmp_path, target="postgres")
        assert result.returncode == 0, result.stdout[-6000:]
        with connection.cursor() as cur:
            cur.execute("select metric, value from marts.headline_figures where as_of = date '2022-09-30'")
            figures = dict(cur.fetchall())
    finally:
        connection.close()
    assert figures == pytest.approx(EXPECTED_HEADLINE_2022_Q3, rel=0, abs=1e-12)
