"""Replay: the files of a past load, read again from the archive by their ledger hashes."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from indmon.landing.archive import archive_path
from indmon.landing.fetch import LandedFile
from sources.landing import landing_period
from sources.tabular import ROWS_SUFFIX
from warehouse.load import ledger_files


class ArchiveMissing(FileNotFoundError):
    """The ledger names a file the archive does not hold."""


def archived_files(
    engine: sa.Engine,
    archive_dir: Path,
    source: str,
    period: str,
    load_id: str | None = None,
) -> list[LandedFile]:
    """The archive copies of a load's files, ready for :func:`indmon.steps.prepare_period`.

    By default the latest successful load of the source-period; ``load_id`` picks any
    load in the ledger. Empty when there is no such load; raises :class:`ArchiveMissing`
    when the archive lacks a file the ledger names.
    """
    with engine.connect() as connection:
        files = ledger_files(connection, source, landing_period(source, period), load_id)
    landed = []
    for name, sha256 in files:
        suffix = ROWS_SUFFIX if name.startswith("sql:") else Path(name).suffix
        path = archive_path(archive_dir, sha256, suffix)
        if not path.is_file():
            raise ArchiveMissing(
                f"the archive {archive_dir} has no copy of {name} (sha256 {sha256})"
                f" loaded for {source} {period}"
            )
        landed.append(LandedFile(name, path, sha256, path.stat().st_size))
    return landed
