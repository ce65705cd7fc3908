"""A tiny hand-made `raw` schema (docs/raw-layer.md) for testing the dbt project.

Every row is written here by hand so the expected figures in test_dbt_build.py can
be checked with pencil and paper (the arithmetic is in comments there).
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb

LINEAGE_DDL = """
    source_file VARCHAR, source_row INTEGER, sha256 VARCHAR, run_id VARCHAR,
    loaded_at TIMESTAMP, extra_columns VARCHAR
"""

DDL = {
    "enterprises": """
        snapshot_as_of DATE, tax_code VARCHAR, enterprise_name VARCHAR, zone_code VARCHAR,
        ownership VARCHAR, investor_country VARCHAR, established_on DATE,
        operating_status VARCHAR, union_eligible BOOLEAN, union_founded_on DATE, updated_on DATE
    """,
    "union_reports": """
        period VARCHAR, tax_code VARCHAR, enterprise_name VARCHAR,
        workers_total INTEGER, workers_female INTEGER, members_total INTEGER,
        members_female INTEGER, members_joined INTEGER, members_left INTEGER,
        party_members INTEGER, candidates_introduced INTEGER, candidates_admitted INTEGER,
        admitted_via_core_cell INTEGER, submitted_on DATE, revision INTEGER,
        reporter_name VARCHAR, reporter_phone VARCHAR
    """,
    "party_orgs": """
        org_code VARCHAR, org_name VARCHAR, org_type VARCHAR, tax_code VARCHAR,
        established_on DATE, dissolved_on DATE, members_at_founding INTEGER,
        via_core_cell_transfer BOOLEAN, transferred_members INTEGER
    """,
    "candidates": """
        citizen_id VARCHAR, full_name VARCHAR, birth_date DATE, gender VARCHAR,
        tax_code VARCHAR, introduced_on DATE, trained_on DATE, admitted_on DATE,
        admitting_org_code VARCHAR, candidate_key VARCHAR, birth_year INTEGER
    """,
    "control_totals": """
        metric VARCHAR, as_of DATE, window_start DATE, value DOUBLE,
        value_decimals INTEGER, source VARCHAR
    """,
}

# written by ingest (pipelines/ingest/store.py), no lineage columns of its own
FILE_VERSIONS_DDL = """
    source_file VARCHAR, sha256 VARCHAR, kind VARCHAR, status VARCHAR, run_id VARCHAR,
    recorded_at TIMESTAMP
"""

A, B, C, D, E = "0200000001", "0200000002", "0200000003", "0200000004", "0200000005"
UNKNOWN = "0209999999"
DP = "domestic_private"
d = date.fromisoformat


def _registry(snapshot: str, rows: list[tuple]) -> list[tuple]:
    return [(d(snapshot), *row) for row in rows]


# tax_code, name, zone, ownership, country, established, status, eligible, union_founded, updated
S1 = _registry("2022-01-01", [
    (A, "Công ty A", "DV", "fdi", "Hàn Quốc", d("2010-01-01"), "stable", True, d("2019-01-01"), None),
    (B, "Công ty B", "VSIP", DP, None, d("2021-06-01"), "new", True, d("2022-05-01"), None),
    (C, "Công ty C", "DV", "state", None, d("2000-01-01"), "stable", True, d("2015-01-01"), None),
    (D, "Công ty D", "TD", "fdi", "Nhật Bản", d("2015-01-01"), "stable", False, None, None),
])
# B becomes stable, C is dissolved, E appears
S2 = _registry("2022-08-15", [
    (A, "Công ty A", "DV", "fdi", "Hàn Quốc", d("2010-01-01"), "stable", True, d("2019-01-01"), None),
    (B, "Công ty B", "VSIP", DP, None, d("2021-06-01"), "stable", True, d("2022-05-01"), None),
    (C, "Công ty C", "DV", "state", None, d("2000-01-01"), "dissolved", True, d("2015-01-01"), None),
    (D, "Công ty D", "TD", "fdi", "Nhật Bản", d("2015-01-01"), "stable", False, None, None),
    (E, "Công ty E", "DV", "fdi", "Hàn Quốc", d("2022-03-01"), "stable", True, d("2022-07-01"), None),
])
# taken after the last quarter end: not in force for any figure (A dissolved here)
S3 = _registry("2022-10-15", [
    (A, "Công ty A", "DV", "fdi", "Hàn Quốc", d("2010-01-01"), "dissolved", True, d("2019-01-01"), None),
    (B, "Công ty B", "VSIP", DP, None, d("2021-06-01"), "stable", True, d("2022-05-01"), None),
    (D, "Công ty D", "TD", "fdi", "Nhật Bản", d("2015-01-01"), "stable", False, None, None),
    (E, "Công ty E", "DV", "fdi", "Hàn Quốc", d("2022-03-01"), "stable", True, d("2022-07-01"), None),
])
ENTERPRISES = {"enterprises/2022-01.xlsx": S1, "enterprises/2022-08.xlsx": S2, "enterprises/2022-10.xlsx": S3}


def _report(period, tax, workers, members, intro=0, adm=0, via=0, submitted=None, revision=1, party=0):
    return (period, tax, None, workers, 0, members, 0, 0, 0, party, intro, adm, via,
            d(submitted) if submitted else None, revision, "Nguyễn Văn Lập", "0912345678")


REPORTS = {
    "union_reports/2022/q1.xlsx": [
        _report("2022-Q1", A, 100, 90, 5, 2, 1, "2022-04-05"),
    ],
    "union_reports/2022/q2.xlsx": [
        _report("2022-Q2", A, 110, 95, 3, 1, 0, "2022-07-05"),           # superseded by revision 2
        _report("2022-Q2", B, 50, 40, 1, 0, 0, "2022-07-06"),
        _report("2022-Q2", C, 200, 150, 0, 0, 0, "2022-07-07"),
    ],
    "union_reports/2022/q2_a_rev2.xlsx": [
        _report("2022-Q2", A, 120, 100, 4, 2, 1, "2022-07-20", revision=2),
    ],
    "union_reports/2022/q3.xlsx": [
        _report("2022-Q3", A, 130, 120, 2, 1, 1, "2022-10-05", party=3),
        _report("2022-Q3", B, 60, 50, 0, 0, 0, "2022-10-03"),            # E004 with the next file
        _report("2022-Q3", C, 210, 160, 10, 5, 2, "2022-10-04"),          # C dissolved: not counted
        _report("2022-Q3", D, 40, 10, 0, 0, 0, "2022-10-04"),             # no union: not counted (E007)
        _report("2022-Q3", E, 70, 65, 0, 0, 0, "2022-10-04"),
        _report("2022-Q3", UNKNOWN, 999, 999, 9, 9, 9, "2022-10-04"),    # E002
    ],
    "union_reports/2022/q3_again.xlsx": [
        _report("2022-Q3", A, 130, 120, 2, 1, 1, "2022-10-05", party=3),   # identical duplicate
        _report("2022-Q3", B, 61, 50, 0, 0, 0, "2022-10-03"),              # E004
    ],
}

# org_code, name, type, tax_code, established, dissolved, members, via_transfer, transferred
P1 = ("P1", "Chi bộ Công ty A", "cell", A, d("2020-03-01"), None, 3, False, 0)
P2 = ("P2", "Đảng bộ Công ty C", "committee", C, d("2022-02-10"), d("2022-08-01"), 5, True, 3)
P3 = ("P3", "Chi bộ Công ty E", "cell", E, d("2022-07-15"), None, 6, True, 4)
P4a = ("P4", "Chi bộ Công ty D", "cell", D, d("2022-05-05"), None, 3, False, 0)
P4b = ("P4", "Chi bộ Công ty D", "cell", D, d("2022-05-06"), None, 3, False, 0)   # E010
CC1 = ("CC1", "Chi bộ nòng cốt CĐ-DN", "core_cell", None, d("2019-01-01"), None, 10, False, 0)
P5 = ("P5", "Chi bộ lạ", "cell", UNKNOWN, d("2022-01-15"), None, 3, False, 0)   # E002
PARTY_ORGS = {
    "party_orgs/2022-06.xlsx": [P1, P2, P3, P4a, CC1, P5],
    "party_orgs/2022-09.xlsx": [P3, P4b],
}


def _cand(cid, key, born, gender, tax, intro, admitted=None, org=None):
    return (cid, "Trần Thị Bí Mật", d(born), gender, tax, d(intro), None,
            d(admitted) if admitted else None, org, key, int(born[:4]))


CANDIDATES = {
    "candidates/2022-mid.xlsx": [
        _cand("031192000001", "k1", "1992-05-01", "female", A, "2022-02-01"),
        _cand("031092000002", "k2", "1992-01-01", "male", A, "2022-03-01"),
        _cand("031090000003", "k3", "1990-01-01", "male", E, "2022-04-01", "2022-09-01", "ZZZ9"),
    ],
    "candidates/2022-end.xlsx": [
        _cand("031192000001", "k1", "1992-05-01", "female", A, "2022-02-01", "2022-08-01", "CC1"),
        _cand("031092000002", "k2", "1992-01-01", "male", A, "2022-03-05"),   # E009
    ],
}

CONTROL_TOTALS = {
    "control_totals/2022.csv": [
        ("union_enterprises", d("2022-09-30"), None, 3.0, 0, "test"),
        ("union_coverage_pct", d("2022-09-30"), None, 100.0, 1, "test"),
    ],
}

# headline_figures as of 2022-09-30 on these rows (worked out in test_dbt_build.py)
EXPECTED_HEADLINE_2022_Q3 = {
    "registered_enterprises": 4, "stable_enterprises": 4, "union_eligible_enterprises": 3,
    "union_enterprises": 3, "union_coverage_pct": 100.0, "workers": 200, "members": 185,
    "enterprise_party_orgs": 2, "party_org_coverage_pct": 50.0,
    "candidates_introduced": 22, "candidates_admitted": 10,
    "admission_rate_pct": 100.0 * 10 / 22, "admitted_via_core_cell": 5,
    "party_orgs_established": 2, "party_orgs_established_via_transfer": 2,
    "party_members_transferred": 7,
}


def raw_rows() -> dict[str, list[tuple]]:
    """Rows of every raw table, lineage columns included, in insertion order."""
    loaded_at = datetime(2022, 11, 1, 8, 0, 0)
    tables = {
        "enterprises": ENTERPRISES, "union_reports": REPORTS, "party_orgs": PARTY_ORGS,
        "candidates": CANDIDATES, "control_totals": CONTROL_TOTALS,
    }
    out: dict[str, list[tuple]] = {}
    for table, files in tables.items():
        out[table] = []
        for file_no, (source_file, rows) in enumerate(files.items()):
            sha = f"{file_no:02d}{table}".ljust(64, "0")
            for row_no, row in enumerate(rows, start=2):
                out[table].append((*row, source_file, row_no, sha, "run-test", loaded_at, "{}"))
    return out


def file_version_rows() -> list[tuple]:
    """One version per fixture file, as ingest records a path's first bytes: all current."""
    seen: dict[str, tuple] = {}
    for table, rows in raw_rows().items():
        for row in rows:
            source_file, sha, run_id, loaded_at = row[-6], row[-4], row[-3], row[-2]
            seen.setdefault(source_file, (source_file, sha, table, "loaded", run_id, loaded_at))
    return list(seen.values())


def create_raw(db_path: str) -> None:
    """Create the raw schema in a new DuckDB file and fill it with the rows above."""
    with duckdb.connect(db_path) as con:
        con.execute("create schema if not exists raw")
        for table, rows in raw_rows().items():
            con.execute(f"create table raw.{table} ({DDL[table]}, {LINEAGE_DDL})")
            placeholders = ", ".join(["?"] * len(rows[0]))
            con.executemany(f"insert into raw.{table} values ({placeholders})", rows)
        con.execute(f"create table raw.file_versions ({FILE_VERSIONS_DDL})")
        con.executemany("insert into raw.file_versions values (?, ?, ?, ?, ?, ?)", file_version_rows())


def create_raw_postgres(connection) -> None:
    """The same raw schema in PostgreSQL (psycopg2 connection), replacing any previous one."""
    with connection.cursor() as cur:
        cur.execute("drop schema if exists raw cascade")
        cur.execute("create schema raw")
        for table, rows in raw_rows().items():
            ddl = f"{DDL[table]}, {LINEAGE_DDL}".replace("DOUBLE", "DOUBLE PRECISION")
            cur.execute(f"create table raw.{table} ({ddl})")
            placeholders = ", ".join(["%s"] * len(rows[0]))
            cur.executemany(f"insert into raw.{table} values ({placeholders})", rows)
        cur.execute(f"create table raw.file_versions ({FILE_VERSIONS_DDL})")
        cur.executemany("insert into raw.file_versions values (%s, %s, %s, %s, %s, %s)", file_version_rows())
    connection.commit()
