"""Bytes that could never be read stay out of a path's history (issue 13, items 1 and 11).

A truncated re-send is quarantined and the path keeps its last readable version. A plain
rerun then sees the same broken bytes again: they must not become the path's current
version (that would retire the enterprise's report), and nothing new may be recorded. A
second copy of unreadable bytes under another path gets its own F001, not F006 ("the same
report as …"), because there is no report to be a copy of.
"""

from __future__ import annotations

from tests.ingest.cp1258 import encode_cp1258
from tests.ingest.test_end_to_end import ENTERPRISE_CSV, query, run

PATH = "enterprises/danh_muc.csv"
VERSIONS = "SELECT source_file, sha256, status FROM raw.file_versions ORDER BY recorded_at, sha256"


def _current(tmp_path) -> dict[str, str]:
    return dict(query(tmp_path, "SELECT source_file, sha256 FROM raw.file_versions ORDER BY recorded_at, sha256"))


def test_quarantined_resend_never_becomes_the_current_version_on_reruns(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "enterprises").mkdir(parents=True)
    good = encode_cp1258(ENTERPRISE_CSV)
    (inbox / PATH).write_bytes(good)
    run(inbox, tmp_path, "run-1")
    versions_after_load = query(tmp_path, VERSIONS)
    readable_sha = _current(tmp_path)[PATH]

    (inbox / PATH).write_bytes(good[: len(good) // 3] + b"\x00")  # truncated, and binary: F001
    assert run(inbox, tmp_path, "run-2").files_quarantined == 1
    for rerun in ("run-3", "run-4"):  # plain reruns, nothing changed
        summary = run(inbox, tmp_path, rerun)
        assert (summary.files_duplicate, summary.files_loaded, summary.files_quarantined) == (1, 0, 0)
        assert query(tmp_path, VERSIONS) == versions_after_load
        assert _current(tmp_path) == {PATH: readable_sha}
    assert query(tmp_path, "SELECT count(*) FROM audit.ingest_findings WHERE rule_id = 'F006'") == [(0,)]

    (inbox / PATH).write_bytes(good)  # the readable bytes come back: still the current version
    run(inbox, tmp_path, "run-5")
    assert query(tmp_path, VERSIONS) == versions_after_load


def test_a_second_empty_file_is_f001_not_a_duplicate(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "union_reports").mkdir(parents=True)
    for name in ("a_rong.xlsx", "b_rong.xlsx", "c_rong.csv"):
        (inbox / "union_reports" / name).write_bytes(b"")
    summary = run(inbox, tmp_path, "run-1")
    assert (summary.files_quarantined, summary.files_duplicate) == (3, 0)
    findings = query(tmp_path, "SELECT source_file, rule_id FROM audit.ingest_findings ORDER BY source_file")
    assert findings == [("union_reports/a_rong.xlsx", "F001"), ("union_reports/b_rong.xlsx", "F001"),
                        ("union_reports/c_rong.csv", "F001")]
    rerun = run(inbox, tmp_path, "run-2")  # an unchanged rerun stays quiet
    assert (rerun.files_duplicate, rerun.files_quarantined) == (3, 0)
    assert query(tmp_path, "SELECT count(*) FROM audit.ingest_findings") == [(3,)]
    assert query(tmp_path, VERSIONS) == []
