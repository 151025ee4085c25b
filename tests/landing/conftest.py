"""Fixtures of the landing tests: an SFTP server on loopback, its environment, comparisons."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.landing.sftp_server import LoopbackSFTPServer
from warehouse.tables import metadata

USER = "bureau"

#: Tables whose rows carry the time they were written: left out of before/after comparisons.
TIMESTAMPED = {
    "alert",
    "dq_result",
    "ingest_ledger",
    "account_map",
    "cfg_version",
    "load_lease",
    "awaited_source",
}


@pytest.fixture
def sftp_root(tmp_path: Path) -> Path:
    """The folder the SFTP server serves as its root."""
    root = tmp_path / "sftp-root"
    root.mkdir()
    return root


@pytest.fixture
def sftp_server(sftp_root: Path) -> Iterator[LoopbackSFTPServer]:
    """A real SFTP server on 127.0.0.1 with a random password, for one test."""
    server = LoopbackSFTPServer(sftp_root, USER, secrets.token_urlsafe(18)).start()
    yield server
    server.stop()


@pytest.fixture
def sftp_url(sftp_server: LoopbackSFTPServer) -> str:
    """The landing URL on the server (``/landing`` under its root), without credentials."""
    return f"sftp://127.0.0.1:{sftp_server.port}/landing"


@pytest.fixture
def archive_dir(tmp_path: Path) -> Path:
    """Where this test's fetched files are archived."""
    return tmp_path / "archive"


@pytest.fixture
def sftp_env(
    monkeypatch: pytest.MonkeyPatch,
    sftp_server: LoopbackSFTPServer,
    sftp_url: str,
    archive_dir: Path,
) -> str:
    """The environment of a bureau whose extracts land on the SFTP server."""
    monkeypatch.setenv("INDMON_LANDING", sftp_url)
    monkeypatch.setenv(
        "INDMON_LANDING_OPTIONS", json.dumps({"username": USER, "password": sftp_server.password})
    )
    monkeypatch.setenv("INDMON_ARCHIVE_DIR", str(archive_dir))
    return sftp_url


def content(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that holds no write time, sorted."""
    with engine.connect() as connection:
        return {
            table.name: sorted(
                (tuple(row) for row in connection.execute(sa.select(table))), key=repr
            )
            for table in metadata.sorted_tables
            if table.name not in TIMESTAMPED
        }


def ledger(engine: sa.Engine) -> list[tuple[str, str, str, str]]:
    """(source, file name, sha256, status) of every ledger row, sorted."""
    with engine.connect() as connection:
        return sorted(
            tuple(row)
            for row in connection.execute(
                sa.text("SELECT source, file_name, sha256, status FROM ingest_ledger")
            )
        )


def archived(archive_dir: Path) -> dict[str, int]:
    """Every file in the archive (relative path) with its modification time in ns."""
    return {
        p.relative_to(archive_dir).as_posix(): p.stat().st_mtime_ns
        for p in archive_dir.rglob("*")
        if p.is_file()
    }
