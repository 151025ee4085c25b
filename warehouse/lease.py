"""Leases on source-periods: two runs never work on the same source and period at once.

A lease is a row of ``load_lease`` (owner, acquired, expires). It guards a whole run of
a source-period — read, load, quality checks, alerts — whether or not a Prefect server
coordinates the runs; different periods lease different rows and run side by side.
A run that dies leaves its lease to expire, after which another run may take it over.
Leases are taken in sorted order, so two runs wanting overlapping sets cannot deadlock.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from warehouse.bulk import insert_absent
from warehouse.tables import load_lease

SourcePeriod = tuple[str, str]


class LeaseTimeout(RuntimeError):
    """Another run held a source-period's lease for longer than we were willing to wait."""


def try_acquire(engine: sa.Engine, source: str, period: str, owner: str, *, ttl: timedelta) -> bool:
    """Take the lease of one source-period for ``owner`` if free, expired or already ours."""
    now = datetime.now(UTC)
    key = (load_lease.c.source == source) & (load_lease.c.period == period)
    with engine.begin() as connection:
        connection.execute(load_lease.delete().where(key & (load_lease.c.expires_at < now)))
        row = {
            "source": source,
            "period": period,
            "owner": owner,
            "acquired_at": now,
            "expires_at": now + ttl,
        }
        if insert_absent(connection, load_lease, [row], ["source", "period"]):
            return True
        renewed = connection.execute(
            load_lease.update()
            .where(key & (load_lease.c.owner == owner))
            .values(expires_at=now + ttl)
        )
        return renewed.rowcount == 1


def holder(engine: sa.Engine, source: str, period: str) -> str | None:
    """Who holds the lease of a source-period (None when nobody does)."""
    with engine.connect() as connection:
        return connection.execute(
            sa.select(load_lease.c.owner).where(
                load_lease.c.source == source, load_lease.c.period == period
            )
        ).scalar()


def release(engine: sa.Engine, keys: Sequence[SourcePeriod], owner: str) -> None:
    """Give back ``owner``'s leases of ``keys`` (leases taken over by others are left)."""
    if not keys:
        return
    with engine.begin() as connection:
        for source, period in keys:
            connection.execute(
                load_lease.delete().where(
                    load_lease.c.source == source,
                    load_lease.c.period == period,
                    load_lease.c.owner == owner,
                )
            )


@contextmanager
def leased(
    engine: sa.Engine,
    keys: Sequence[SourcePeriod],
    owner: str,
    *,
    ttl: timedelta,
    wait: timedelta,
    poll_seconds: float = 0.5,
) -> Iterator[list[SourcePeriod]]:
    """Hold the leases of ``keys`` for the block, waiting up to ``wait`` for each.

    Raises :class:`LeaseTimeout` naming the holder when one stays taken too long.
    """
    taken: list[SourcePeriod] = []
    try:
        for source, period in sorted(set(keys)):
            deadline = time.monotonic() + wait.total_seconds()
            while not try_acquire(engine, source, period, owner, ttl=ttl):
                if time.monotonic() >= deadline:
                    raise LeaseTimeout(
                        f"{source} {period} is being loaded by {holder(engine, source, period)}"
                        f"; gave up after {wait}"
                    )
                time.sleep(poll_seconds)
            taken.append((source, period))
        yield taken
    finally:
        release(engine, taken, owner)
