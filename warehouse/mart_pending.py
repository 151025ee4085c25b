"""Marts rebuilt once per run: the loads note what they leave, one transaction rebuilds it.

A month's four source loads would each rebuild the marts that read them (the enterprise
month four times). A load with ``rebuild=False`` commits its facts together with a row of
``mart_pending`` (its source and first period) instead, so a committed load has always
either rebuilt its marts or left a note saying so. :func:`rebuild_pending_marts` then
takes every note in one transaction, rebuilds each mart once from the earliest period any
note asks for, and deletes the notes with the same commit. If the rebuild fails, the notes
stay and the next run (or ``indmon marts rebuild``) does it: the marts are never left stale
without a note.

Loads and rebuilds are serialised by :func:`lock_marts` (PostgreSQL) or by SQLite's single
writer: the rebuild claims the notes with its first statement (a ``DELETE … RETURNING``,
which on SQLite takes the write lock), so a note a concurrent load commits later is not
touched, and the load's facts are not half seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from warehouse.engine import is_postgresql
from warehouse.marts import planned_rebuilds, run_rebuilds
from warehouse.stages import stage
from warehouse.tables import mart_pending


def lock_marts(connection: sa.Connection) -> None:
    """Serialise the transactions that write facts or marts (PostgreSQL; SQLite serialises
    writers itself).

    Loads of different sources or periods rewrite the same mart rows, and a mart rebuild
    must see every load's facts whole, so they all take one transaction-scoped lock.
    """
    if is_postgresql(connection):
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('indmon-load'))"))


def note_pending(connection: sa.Connection, source: str, from_period: str, load_id: str) -> None:
    """Note, in the load's own transaction, that ``source``'s marts need rebuilding from
    ``from_period`` on (replacing an older note of the same source and period)."""
    key = (mart_pending.c.source == source) & (mart_pending.c.from_period == from_period)
    connection.execute(mart_pending.delete().where(key))
    connection.execute(
        mart_pending.insert().values(
            source=source, from_period=from_period, load_id=load_id, noted_at=datetime.now(UTC)
        )
    )


@dataclass(frozen=True)
class MartsRebuilt:
    """What one pending rebuild did: the notes it took and each mart it rebuilt."""

    #: (source, first period) of each note taken, sorted.
    pending: tuple[tuple[str, str], ...]
    #: (mart rebuild, first period), in the order they ran.
    marts: tuple[tuple[str, str], ...]


def rebuild_pending_marts(engine: sa.Engine, *, every_mart_from: str | None = None) -> MartsRebuilt:
    """Rebuild, in one transaction, every mart the committed loads left; delete their notes.

    Each mart is rebuilt once, from the earliest period any note asks for, after the marts
    it reads. ``every_mart_from`` also rebuilds every mart from that period (a repair).
    Nothing pending costs one lock and one statement. A failure rolls everything back,
    notes included.
    """
    with engine.begin() as connection:
        lock_marts(connection)
        taken = connection.execute(
            mart_pending.delete().returning(mart_pending.c.source, mart_pending.c.from_period)
        )
        pending = tuple(sorted((row.source, row.from_period) for row in taken))
        plan = planned_rebuilds(pending, every_mart_from)
        if plan:
            with stage("marts"):
                run_rebuilds(connection, plan)
    return MartsRebuilt(
        pending, tuple((rebuild.__name__.removeprefix("rebuild_"), p) for rebuild, p in plan)
    )


def pending_marts(engine: sa.Engine) -> list[tuple[str, str]]:
    """The (source, first period) notes of marts still to rebuild, sorted."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(mart_pending.c.source, mart_pending.c.from_period).order_by(
                mart_pending.c.source, mart_pending.c.from_period
            )
        )
        return [(row.source, row.from_period) for row in rows]
