"""What is in the inbox, and what each file is: a kind's file to read, or one to list as skipped.

Also the file identity (SHA-256) and the content-addressed archive, because both are
about the file as bytes rather than as a table.

The inbox never reaches outside itself (docs/reliability.md): a symbolic link whose target
lies outside the inbox, or anything that is not a regular file (a FIFO, a device such as
`/dev/zero`, a socket, a dangling link) is *refused*: listed with an F001 finding and never
opened, hashed or archived. A link to a regular file inside the inbox is read like that
file (its bytes are the target's, so it is F006 beside it); a link to a folder is not
followed (the folder itself is walked where it really is).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
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
    refusal: str | None = None  # why the file must not even be opened (an F001, not a skip)

    @property
    def readable(self) -> bool:
        return self.skip_reason is None and self.refusal is None


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


def refusal_of(path: Path, root: Path) -> str | None:
    """Why `path` must not be opened at all, or None for a regular file inside the inbox.

    `root` is the inbox, resolved. Only `lstat`/`stat` are used: opening a FIFO blocks and
    reading `/dev/zero` never ends, so nothing here reads a byte.
    """
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return "broken symbolic link"
        if not target.is_relative_to(root):
            return "symbolic link pointing outside the inbox"
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot stat: {exc.strerror or exc}"
    if not stat.S_ISREG(mode):
        return "not a regular file (FIFO, device, socket or folder)"
    return None


def _entries(inbox: Path) -> list[Path]:
    """Every non-folder entry, plus links to folders (listed, never descended into)."""
    found: list[Path] = []
    for folder, subfolders, names in os.walk(inbox, followlinks=False):
        base = Path(folder)
        found.extend(base / name for name in subfolders if (base / name).is_symlink())
        found.extend(base / name for name in names)
    return found


def walk_inbox(inbox: Path) -> Iterator[InboxFile]:
    """Sorted, so that which of two identical files counts as the original is reproducible."""
    inbox = Path(inbox)
    root = inbox.resolve()
    for path in sorted(_entries(inbox)):
        relative = path.relative_to(inbox)
        kind, reason = classify(relative)
        refusal = refusal_of(path, root)
        if refusal and path.is_symlink() and path.is_dir() and refusal.startswith("not a regular"):
            refusal, reason = None, "symbolic link to a folder inside the inbox (not followed)"
        yield InboxFile(path, relative.as_posix(), kind, path.suffix.lower().lstrip("."), reason, refusal)


def open_regular(path: Path):
    """Open for reading only if it is (still) a regular file; never blocks on a FIFO."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"not a regular file: {path.name}")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as handle:
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
