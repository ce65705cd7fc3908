"""What is in the inbox, and what each file is: a kind's file to read, or one to list as skipped.

Also the file identity (SHA-256) and the content-addressed archive, because both are
about the file as bytes rather than as a table.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipelines.ingest.columns import KINDS

SPREADSHEET_EXTENSIONS = frozenset({".xlsx", ".xls", ".csv"})
YAML_EXTENSIONS = frozenset({".yaml", ".yml"})


@dataclass(frozen=True)
class InboxFile:
    path: Path
    source_file: str
    kind: str | None
    file_format: str
    skip_reason: str | None

    @property
    def readable(self) -> bool:
        return self.skip_reason is None


def classify(relative: Path) -> tuple[str | None, str | None]:
    """(kind, skip reason) from the path relative to the inbox."""
    parts = relative.parts
    kind = parts[0] if len(parts) > 1 and parts[0] in KINDS else None
    name = relative.name
    suffix = relative.suffix.lower()
    if name.startswith("~$"):
        return kind, "lock file"
    if any(part.startswith(".") for part in parts):
        return kind, "hidden file"
    if kind is None:
        return None, "outside the kind folders"
    allowed = SPREADSHEET_EXTENSIONS | (YAML_EXTENSIONS if kind == "control_totals" else frozenset())
    if suffix not in allowed:
        return kind, f"unsupported format {suffix or '(none)'}"
    return kind, None


def walk_inbox(inbox: Path) -> Iterator[InboxFile]:
    """Sorted, so that which of two identical files counts as the original is reproducible."""
    for path in sorted(p for p in inbox.rglob("*") if p.is_file() or p.is_symlink()):
        relative = path.relative_to(inbox)
        kind, reason = classify(relative)
        yield InboxFile(path, relative.as_posix(), kind, path.suffix.lower().lstrip("."), reason)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def archive_path(archive_dir: Path, sha256: str, suffix: str) -> Path:
    return archive_dir / sha256[:2] / f"{sha256}{suffix.lower()}"


def archive_file(path: Path, archive_dir: Path, sha256: str) -> Path:
    """Copy once; an existing archive copy is never rewritten (same name = same bytes)."""
    target = archive_path(archive_dir, sha256, path.suffix)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        shutil.copyfile(path, partial)
        partial.replace(target)
    return target
