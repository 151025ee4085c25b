"""Fetching a source-period: its files copied from the landing location into the archive.

:func:`fetch_period` lists ``<landing>/<source>/<YYYY-MM>/`` (a local folder or any fsspec
URL), copies each delivered file into the local archive (content-addressed, see
:mod:`indmon.landing.archive`) and returns what landed; a source configured as a SQL query
is fetched by running the query instead (:mod:`indmon.landing.query`). Files are read from
the archive copy, never from the landing location, and keep their delivered name in every
message, in the ledger and on held rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import polars as pl

from indmon.landing.archive import archive_stream
from indmon.landing.location import LandingLocation, LandingUnavailable, open_landing
from indmon.settings import Settings
from sources.extract import Extract
from sources.landing import is_delivered_name
from sources.tabular import ExtractRefused

if TYPE_CHECKING:
    from indmon.catalogue import SourceDef


@dataclass(frozen=True)
class LandedFile:
    """One delivered file as kept in the archive.

    ``file_name`` is the name it was delivered under (``sql:<source>`` for a query's
    rows), ``archive_path`` the copy that is read, ``modified`` the landing location's
    modification time (None for a query).
    """

    file_name: str
    archive_path: Path
    sha256: str
    size: int
    modified: datetime | None = None


def _modified(entry: dict[str, Any]) -> datetime | None:
    value = entry.get("mtime", entry.get("LastModified", entry.get("last_modified")))
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC)
    return None


def _delivered_entries(landing: LandingLocation, source: str, period: str) -> list[dict]:
    """The listing entries of the period's delivered files, in name order."""
    folder = landing.folder(source, period)
    try:
        entries = landing.fs.ls(folder, detail=True)
    except FileNotFoundError:
        return []
    except Exception as error:
        raise LandingUnavailable(
            f"cannot list {source}/{period} at {landing.shown}: {landing.describe(error)}"
        ) from None
    delivered = [
        entry
        for entry in entries
        if is_delivered_name(PurePosixPath(entry["name"]).name)
        and (
            entry.get("type") == "file"
            or (entry.get("type") == "link" and landing.fs.isfile(entry["name"]))
        )
    ]
    return sorted(delivered, key=lambda entry: PurePosixPath(entry["name"]).name)


def list_period(settings: Settings, source: str, period: str) -> list[str]:
    """The names of the files delivered for a source-period, without archiving them.

    For a SQL source: ``["sql:<source>"]`` when its query has rows for the period, else [].
    """
    if source in settings.sql_sources:
        from indmon.landing.query import query_name, run_query, source_url

        config, name = settings.sql_sources[source], query_name(source)
        frame = run_query(name, source_url(name, config), config.query, period)
        return [name] if frame.height else []
    with open_landing(settings) as landing:
        return [PurePosixPath(e["name"]).name for e in _delivered_entries(landing, source, period)]


def fetch_period(settings: Settings, source: str, period: str) -> list[LandedFile]:
    """Copy a source-period's delivered files into the archive; what landed, in name order.

    A file already archived (same SHA-256) is not stored again; a changed file gets a new
    archive entry and the old one is kept. An empty list means nothing was delivered.
    Raises :class:`~indmon.landing.location.LandingUnavailable` when the location cannot
    be read (the message names the location with its password masked).
    """
    if source in settings.sql_sources:
        from indmon.landing.query import fetch_query

        return fetch_query(settings, source, period)
    archive_dir = settings.resolved_archive_dir
    landed: list[LandedFile] = []
    with open_landing(settings) as landing:
        for entry in _delivered_entries(landing, source, period):
            name = PurePosixPath(entry["name"]).name
            try:
                with landing.fs.open(entry["name"], "rb") as stream:
                    archived = archive_stream(archive_dir, stream, PurePosixPath(name).suffix)
            except OSError as error:
                raise LandingUnavailable(
                    f"cannot copy {source}/{period}/{name} from {landing.shown}:"
                    f" {landing.describe(error)}"
                ) from None
            landed.append(
                LandedFile(name, archived.path, archived.sha256, archived.size, _modified(entry))
            )
    return landed


def read_landed(source: SourceDef, landed: LandedFile) -> Extract:
    """Read a landed file's archive copy with ``source``'s reader, under its delivered name.

    Raises :class:`~sources.tabular.ExtractRefused` naming the delivered file.
    """
    if not landed.archive_path.is_file():
        raise ExtractRefused(
            Path(landed.file_name),
            f"the archive has no copy of it (sha256 {landed.sha256}, {landed.archive_path})",
        )
    try:
        extract = source.read(landed.archive_path)
    except ExtractRefused as refusal:
        raise ExtractRefused(Path(landed.file_name), refusal.reason) from None
    return replace(
        extract,
        path=Path(landed.file_name),
        rows=extract.rows.with_columns(file_name=pl.lit(landed.file_name)),
    )
