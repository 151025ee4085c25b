"""Engines for the warehouse: SQLite (embedded default) or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

#: Session settings for every warehouse connection on PostgreSQL. JIT compilation costs
#: about a second per mart statement on freshly loaded tables (whose row estimates are far
#: off) and never pays back. The default 4 MB of sort and hash memory sends a province
#: month's sorts and hashes to disk; a load runs a handful of statements at a time.
POSTGRESQL_SESSION_OPTIONS = "-c jit=off -c work_mem=128MB"


#: Page cache per SQLite connection, KiB (memory is only taken as pages are read).
SQLITE_CACHE_KIB = 256 * 1024


def create_warehouse_engine(url: str) -> sa.Engine:
    """An engine for ``url``; a SQLite file's folder is created, WAL and a busy timeout set."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(parsed, connect_args={"timeout": 60})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return sa.create_engine(
        parsed, pool_pre_ping=True, connect_args={"options": POSTGRESQL_SESSION_OPTIONS}
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # SQLite's default page cache is 2 MB: a province month's index inserts and lookups
    # then read the same pages from the OS again and again (cost grew ~30x for 10x rows).
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()


@contextmanager
def warehouse_engine(url: str) -> Iterator[sa.Engine]:
    """An engine for one step's work, disposed (its connections closed) afterwards."""
    engine = create_warehouse_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def is_postgresql(engine: sa.Engine | sa.Connection) -> bool:
    """Whether the warehouse behind ``engine`` is PostgreSQL."""
    return engine.dialect.name == "postgresql"


def refresh_statistics(connection: sa.Connection, *tables: str) -> None:
    """Let PostgreSQL's planner see what a load just wrote (``ANALYZE``, in the transaction).

    Freshly filled tables otherwise look empty to the planner, which then nests loops over
    them: resolving a province month's accounts took minutes instead of a second. ANALYZE
    samples the rows the transaction itself inserted. SQLite plans well without statistics
    (it builds automatic indexes), so nothing is done there.
    """
    if is_postgresql(connection):
        for table in tables:
            connection.exec_driver_sql(f'ANALYZE "{table}"')
