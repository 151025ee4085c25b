"""Sources a scheduled run expected but found no file for, until a later run loads them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

import sqlalchemy as sa

from warehouse.bulk import insert_absent
from warehouse.tables import awaited_source


def record_awaited(engine: sa.Engine, source: str, period: str, due_on: date | None) -> None:
    """Note that ``source`` has no file for ``period`` yet (again, if already noted)."""
    now = datetime.now(UTC)
    row = {
        "source": source,
        "period": period,
        "due_on": due_on,
        "first_checked_at": now,
        "last_checked_at": now,
        "arrived_at": None,
    }
    with engine.begin() as connection:
        if not insert_absent(connection, awaited_source, [row], ["source", "period"]):
            connection.execute(
                awaited_source.update()
                .where(awaited_source.c.source == source, awaited_source.c.period == period)
                .values(last_checked_at=now, arrived_at=None)
            )


def still_awaited(engine: sa.Engine, sources: Sequence[str]) -> list[tuple[str, str]]:
    """The (source, period) pairs of ``sources`` awaited and not arrived, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(awaited_source.c.source, awaited_source.c.period)
            .where(
                awaited_source.c.source.in_(list(sources)),
                awaited_source.c.arrived_at.is_(None),
            )
            .order_by(awaited_source.c.period, awaited_source.c.source)
        )
        return [(r.source, r.period) for r in rows]


def mark_arrived(engine: sa.Engine, keys: Sequence[tuple[str, str]]) -> None:
    """Note that the awaited source-periods ``keys`` have arrived and been loaded."""
    now = datetime.now(UTC)
    with engine.begin() as connection:
        for source, period in keys:
            connection.execute(
                awaited_source.update()
                .where(
                    awaited_source.c.source == source,
                    awaited_source.c.period == period,
                    awaited_source.c.arrived_at.is_(None),
                )
                .values(arrived_at=now)
            )
