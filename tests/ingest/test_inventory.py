"""Inbox classification, file identity and the content-addressed archive."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipelines.ingest.inventory import archive_file, classify, sha256_of, walk_inbox


@pytest.mark.parametrize(("path", "kind", "reason"), [
    ("union_reports/2022/Q3/bc.xlsx", "union_reports", None),
    ("enterprises/dm.CSV", "enterprises", None),
    ("party_orgs/old.xls", "party_orgs", None),
    ("control_totals/ct.yaml", "control_totals", None),
    ("control_totals/ct.yml", "control_totals", None),
    ("union_reports/ct.yaml", "union_reports", "unsupported format .yaml"),
    ("candidates/~$ds.xlsx", "candidates", "lock file"),
    ("candidates/.hidden.csv", "candidates", "hidden file"),
    ("candidates/.tmp/ds.csv", "candidates", "hidden file"),
    ("union_reports/huong_dan.pdf", "union_reports", "unsupported format .pdf"),
    ("union_reports/cv.docx", "union_reports", "unsupported format .docx"),
    ("other/x.csv", None, "outside the kind folders"),
    ("x.xlsx", None, "outside the kind folders"),
])
def test_classify(path, kind, reason):
    assert classify(Path(path)) == (kind, reason)


def test_walk_is_sorted_and_posix(tmp_path):
    (tmp_path / "enterprises" / "b").mkdir(parents=True)
    (tmp_path / "enterprises" / "b" / "z.csv").write_text("x")
    (tmp_path / "enterprises" / "a.csv").write_text("x")
    assert [f.source_file for f in walk_inbox(tmp_path)] == ["enterprises/a.csv", "enterprises/b/z.csv"]


def test_sha_and_archive_never_rewrites(tmp_path):
    source = tmp_path / "f.XLSX"
    source.write_bytes(b"abc" * 1000)
    sha = sha256_of(source)
    assert sha == hashlib.sha256(b"abc" * 1000).hexdigest()
    target = archive_file(source, tmp_path / "archive", sha)
    assert target == tmp_path / "archive" / sha[:2] / f"{sha}.xlsx"
    assert target.read_bytes() == source.read_bytes()
    target.chmod(0o444)
    assert archive_file(source, tmp_path / "archive", sha) == target
