"""raw.file_versions: ingest records each change of the bytes at an inbox path.

dbt keeps only the rows of a path's latest version (macro current_file_rows), so these
tests pin what ingest records: first bytes, a correction under the same path, a return to
earlier bytes — and nothing for a rerun, a removed file or a quarantined re-send.
"""

from __future__ import annotations

import hashlib

from tests.ingest.cp1258 import encode_cp1258
from tests.ingest.test_end_to_end import ENTERPRISE_CSV, query, run

PATH, OTHER = "enterprises/danh_muc.csv", "enterprises/khac.csv"
CORRECTED_CSV = ENTERPRISE_CSV.replace("Công ty TNHH A", "Công ty TNHH A (sửa)")

VERSIONS = "SELECT source_file, sha256, status, run_id FROM raw.file_versions ORDER BY recorded_at, source_file"


def _write(inbox, path: str, text: str) -> str:
    data = encode_cp1258(text)
    (inbox / path).write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def _current(tmp_path) -> dict[str, str]:
    """The current version per path, as dbt's stg_file_versions derives it."""
    rows = query(tmp_path, "SELECT source_file, sha256 FROM raw.file_versions ORDER BY recorded_at, sha256")
    return dict(rows)


def test_a_correction_under_the_same_path_supersedes_and_a_return_restores(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "enterprises").mkdir(parents=True)
    first = _write(inbox, PATH, ENTERPRISE_CSV)
    other = _write(inbox, OTHER, ENTERPRISE_CSV.replace("30/09/2022", "31/12/2022"))
    run(inbox, tmp_path, "run-1")
    assert sorted(query(tmp_path, VERSIONS)) == [(PATH, first, "loaded", "run-1"), (OTHER, other, "loaded", "run-1")]

    run(inbox, tmp_path, "run-2")  # unchanged inbox: nothing new
    assert len(query(tmp_path, VERSIONS)) == 2

    corrected = _write(inbox, PATH, CORRECTED_CSV)
    summary = run(inbox, tmp_path, "run-3")
    assert summary.files_loaded == 1
    assert query(tmp_path, VERSIONS)[-1] == (PATH, corrected, "loaded", "run-3")
    assert _current(tmp_path) == {PATH: corrected, OTHER: other}
    # both versions' rows stay in raw: nothing is deleted, staging filters
    assert dict(query(tmp_path, "SELECT sha256, count(*) FROM raw.enterprises WHERE source_file = "
                                f"'{PATH}' GROUP BY sha256")) == {first: 1, corrected: 1}

    _write(inbox, PATH, ENTERPRISE_CSV)  # back to the first bytes: known, not parsed again
    summary = run(inbox, tmp_path, "run-4")
    assert (summary.files_loaded, summary.files_duplicate) == (0, 2)
    assert query(tmp_path, VERSIONS)[-1] == (PATH, first, "duplicate", "run-4")
    assert _current(tmp_path) == {PATH: first, OTHER: other}


def test_a_removed_file_keeps_its_version_and_a_quarantined_resend_does_not_supersede(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "enterprises").mkdir(parents=True)
    first = _write(inbox, PATH, ENTERPRISE_CSV)
    other = _write(inbox, OTHER, ENTERPRISE_CSV.replace("30/09/2022", "31/12/2022"))
    run(inbox, tmp_path, "run-1")

    (inbox / OTHER).unlink()  # an inbox clean-up retires nothing
    (inbox / PATH).write_bytes(b"not;a\nregister")
    summary = run(inbox, tmp_path, "run-2")
    assert summary.files_quarantined == 1
    assert query(tmp_path, VERSIONS)[-1][3] == "run-1"  # nothing recorded for the unreadable bytes
    assert _current(tmp_path) == {PATH: first, OTHER: other}
    assert first in {sha for (sha,) in query(tmp_path, "SELECT sha256 FROM raw.enterprises")}  # still in raw
