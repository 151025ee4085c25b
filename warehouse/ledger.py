"""What the ingestion ledger says was loaded: to decide, by content hash, what to load again."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from warehouse.tables import ingest_ledger

SourcePeriod = tuple[str, str]


def latest_loaded_hashes(
    engine: sa.Engine, sources: Sequence[str], first: str, last: str
) -> dict[SourcePeriod, dict[str, str]]:
    """For each source-period of ``sources`` from ``first`` to ``last`` ever loaded: the
    files of its latest successful load, file name -> SHA-256 (one query)."""
    loads = (
        sa.select(
            ingest_ledger.c.source,
            ingest_ledger.c.period,
            ingest_ledger.c.load_id,
            sa.func.row_number()
            .over(
                partition_by=(ingest_ledger.c.source, ingest_ledger.c.period),
                order_by=ingest_ledger.c.finished_at.desc(),
            )
            .label("recency"),
        )
        .where(
            ingest_ledger.c.status == "loaded",
            ingest_ledger.c.source.in_(list(sources)),
            ingest_ledger.c.period.between(first, last),
        )
        .subquery()
    )
    latest = sa.select(loads.c.load_id).where(loads.c.recency == 1)
    query = sa.select(
        ingest_ledger.c.source,
        ingest_ledger.c.period,
        ingest_ledger.c.file_name,
        ingest_ledger.c.sha256,
    ).where(ingest_ledger.c.load_id.in_(latest))
    found: dict[SourcePeriod, dict[str, str]] = {}
    with engine.connect() as connection:
        for row in connection.execute(query):
            found.setdefault((row.source, row.period), {})[row.file_name] = row.sha256
    return found
