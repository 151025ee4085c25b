"""The local archive of fetched files, content-addressed by SHA-256.

Every file is kept once, at ``<archive>/sha256/<first two hex digits>/<sha256><suffix>``
(the suffix of the delivered name: ``.csv``, ``.xlsx``, or ``.jsonl`` for a query's
rows). Files are written atomically (a temporary file in the same folder, then renamed),
never changed and never removed, so any load can be read again from the archive.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


@dataclass(frozen=True)
class Archived:
    """One file in the archive: where it is, its SHA-256 and size, and whether it is new."""

    path: Path
    sha256: str
    size: int
    added: bool


def archive_path(archive_dir: Path, sha256: str, suffix: str) -> Path:
    """Where the file with ``sha256`` and ``suffix`` (``.xlsx``) is kept."""
    return archive_dir / "sha256" / sha256[:2] / f"{sha256}{suffix.lower()}"


def archive_stream(archive_dir: Path, stream: BinaryIO, suffix: str) -> Archived:
    """Copy ``stream`` into the archive; a file already there (same hash) is kept as it is."""
    staging = archive_dir / "sha256" / "incoming"
    staging.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    handle, temporary = tempfile.mkstemp(dir=staging, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            for block in iter(lambda: stream.read(CHUNK), b""):
                digest.update(block)
                size += len(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        sha256 = digest.hexdigest()
        target = archive_path(archive_dir, sha256, suffix)
        if target.exists():
            return Archived(target, sha256, size, added=False)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, target)
        return Archived(target, sha256, size, added=True)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def archive_bytes(archive_dir: Path, data: bytes, suffix: str) -> Archived:
    """Put ``data`` into the archive (see :func:`archive_stream`)."""
    return archive_stream(archive_dir, io.BytesIO(data), suffix)
