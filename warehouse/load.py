"""Loading one source-period: staging replaced, facts rebuilt, in one transaction.

A period of a source is replaced as a whole: a re-sent file replaces what the period
held, re-running the same files changes nothing (the ledger notes the re-run), and a
failure leaves the warehouse as it was. The same transaction rebuilds the marts that read
the source, or (``rebuild=False``, what a run does) notes them in ``mart_pending`` for
one rebuild after all of the run's loads (:mod:`warehouse.mart_pending`).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import polars as pl
import sqlalchemy as sa

from schemas.rules import Split
from warehouse.bulk import bulk_insert
from warehouse.derive import refresh_after_load
from warehouse.engine import refresh_statistics
from warehouse.mart_pending import lock_marts, note_pending
from warehouse.marts import rebuild_marts
from warehouse.stages import stage
from warehouse.tables import (
    held_row,
    ingest_ledger,
    stg_electricity,
    stg_project,
    stg_published_indicator,
    stg_registry,
    stg_statistics,
    stg_target,
    stg_tax,
)

STAGING: Mapping[str, sa.Table] = {
    "registry": stg_registry,
    "electricity": stg_electricity,
    "tax": stg_tax,
    "statistics": stg_statistics,
    "indicators": stg_published_indicator,
    "projects": stg_project,
    "targets": stg_target,  # period = the year, YYYY
}


@dataclass(frozen=True)
class DeliveredFile:
    """One file of a period as delivered: its identity and what reading it cost."""

    file_name: str
    sha256: str
    encoding: str | None = None
    control_total: float | None = None
    read_seconds: float | None = None


@dataclass(frozen=True)
class FileOutcome:
    """What became of one file: the reconciliation rows_read = rows_loaded + rows_held."""

    file_name: str
    sha256: str
    rows_read: int
    rows_loaded: int
    rows_held: int
    status: str
    message: str | None = None
    unresolved: int | None = None


@dataclass(frozen=True)
class PeriodLoad:
    """The outcome of loading one source for one period."""

    source: str
    period: str
    status: str  # loaded / unchanged / refused
    load_id: str
    files: tuple[FileOutcome, ...] = field(default=())
    #: With ``rebuild=False``: the first period whose marts this load left to rebuild
    #: (noted in ``mart_pending``).
    marts_from: str | None = None

    @property
    def rows_held(self) -> int:
        """Rows held back over every file of the period."""
        return sum(f.rows_held for f in self.files)


def _now() -> datetime:
    return datetime.now(UTC)


def latest_load_id(source: str, period: str) -> sa.ScalarSelect[str]:
    """The load id of the latest successful load of a source-period, as a subquery."""
    return (
        sa.select(ingest_ledger.c.load_id)
        .where(
            ingest_ledger.c.source == source,
            ingest_ledger.c.period == period,
            ingest_ledger.c.status == "loaded",
        )
        .order_by(ingest_ledger.c.finished_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def last_loaded_files(
    connection: sa.Connection, source: str, period: str
) -> dict[str, FileOutcome]:
    """The files of the latest successful load of a source-period, by file name."""
    latest = latest_load_id(source, period)
    rows = connection.execute(
        sa.select(
            ingest_ledger.c.file_name,
            ingest_ledger.c.sha256,
            ingest_ledger.c.rows_read,
            ingest_ledger.c.rows_loaded,
            ingest_ledger.c.rows_held,
        ).where(ingest_ledger.c.load_id == latest)
    )
    return {
        r.file_name: FileOutcome(
            r.file_name, r.sha256, r.rows_read, r.rows_loaded, r.rows_held, status="loaded"
        )
        for r in rows
    }


def ledger_files(
    connection: sa.Connection, source: str, period: str, load_id: str | None = None
) -> list[tuple[str, str]]:
    """(file name, SHA-256) of one load of a source-period, in name order.

    By default the latest successful load (what the warehouse holds); with ``load_id``,
    that load whatever its outcome. Empty when there is no such load.
    """
    chosen = sa.literal(load_id) if load_id is not None else latest_load_id(source, period)
    rows = connection.execute(
        sa.select(ingest_ledger.c.file_name, ingest_ledger.c.sha256)
        .where(
            ingest_ledger.c.load_id == chosen,
            ingest_ledger.c.source == source,
            ingest_ledger.c.period == period,
        )
        .order_by(ingest_ledger.c.file_name)
    )
    return [(row.file_name, row.sha256) for row in rows]


def _rows_per_file(frame: pl.DataFrame) -> dict[str, int]:
    return {name: count for name, count in frame.group_by("file_name").len().iter_rows()}


def _unresolved(connection: sa.Connection, source: str, period: str) -> dict[str, int]:
    if source != "electricity":
        return {}
    rows = connection.execute(
        sa.text(
            "SELECT file_name, COUNT(*) FROM fact_electricity WHERE period = :p "
            "AND resolution = 'unresolved' GROUP BY file_name"
        ),
        {"p": period},
    )
    return {name: count for name, count in rows}


def _ledger_rows(
    load_id: str,
    source: str,
    period: str,
    files: Sequence[DeliveredFile],
    outcomes: Sequence[FileOutcome],
    started: datetime,
    load_seconds: float | None,
) -> list[dict]:
    finished = _now()
    by_name = {f.file_name: f for f in files}
    return [
        {
            "load_id": load_id,
            "file_name": o.file_name,
            "source": source,
            "period": period,
            "sha256": o.sha256,
            "encoding": by_name[o.file_name].encoding,
            "rows_read": o.rows_read,
            "rows_loaded": o.rows_loaded,
            "rows_held": o.rows_held,
            "control_total": by_name[o.file_name].control_total,
            "status": o.status,
            "message": o.message,
            "started_at": started,
            "finished_at": finished,
            "read_seconds": by_name[o.file_name].read_seconds,
            "load_seconds": load_seconds,
        }
        for o in outcomes
    ]


def load_period(
    engine: sa.Engine,
    source: str,
    period: str,
    files: Sequence[DeliveredFile],
    split: Split,
    *,
    force: bool = False,
    rebuild: bool = True,
) -> PeriodLoad:
    """Replace one source-period with ``split`` in a single transaction.

    Files identical (by name and SHA-256) to the last successful load of the period
    are not loaded again unless ``force``; the ledger notes the re-run as ``unchanged``.
    By default the marts that read the source are rebuilt in the same transaction, so a
    direct call is self-contained. With ``rebuild=False`` (what a run does) the
    transaction instead notes them in ``mart_pending`` (``marts_from`` says from when),
    and :func:`warehouse.mart_pending.rebuild_pending_marts` rebuilds each mart once for
    all of a run's loads (a month's four sources rebuild ``mart_enterprise_month`` four
    times otherwise).
    """
    load_id, started = str(uuid.uuid4()), _now()
    with engine.begin() as connection:
        lock_marts(connection)
        previous = last_loaded_files(connection, source, period)
        delivered = {f.file_name: f.sha256 for f in files}
        if not force and previous and delivered == {k: v.sha256 for k, v in previous.items()}:
            outcomes = [replace(previous[f.file_name], status="unchanged") for f in files]
            connection.execute(
                ingest_ledger.insert(),
                _ledger_rows(load_id, source, period, files, outcomes, started, None),
            )
            return PeriodLoad(source, period, "unchanged", load_id, tuple(outcomes))

        clock = time.perf_counter()
        with stage("load"):
            staging = STAGING[source]
            connection.execute(staging.delete().where(staging.c.period == period))
            bulk_insert(connection, staging, split.valid)
            connection.execute(
                held_row.delete().where(held_row.c.source == source, held_row.c.period == period)
            )
            bulk_insert(
                connection,
                held_row,
                split.held.with_columns(source=pl.lit(source), period=pl.lit(period)),
            )
            refresh_statistics(connection, staging.name)
        with stage("resolve"):
            from_period = refresh_after_load(connection, source, period)
        if rebuild:
            with stage("marts"):
                rebuild_marts(connection, source, from_period)
        else:
            note_pending(connection, source, from_period, load_id)
        unresolved = _unresolved(connection, source, period)
        loaded, held = _rows_per_file(split.valid), _rows_per_file(split.held)
        outcomes = [
            FileOutcome(
                f.file_name,
                f.sha256,
                loaded.get(f.file_name, 0) + held.get(f.file_name, 0),
                loaded.get(f.file_name, 0),
                held.get(f.file_name, 0),
                status="loaded",
                unresolved=unresolved.get(f.file_name, 0) if source == "electricity" else None,
            )
            for f in files
        ]
        connection.execute(
            ingest_ledger.insert(),
            _ledger_rows(
                load_id, source, period, files, outcomes, started, time.perf_counter() - clock
            ),
        )
    return PeriodLoad(
        source,
        period,
        "loaded",
        load_id,
        tuple(outcomes),
        marts_from=None if rebuild else from_period,
    )


def record_refusal(
    engine: sa.Engine,
    source: str,
    period: str,
    files: Sequence[DeliveredFile],
    refused: Mapping[str, str],
) -> PeriodLoad:
    """Note in the ledger that a period was refused; the warehouse's data is untouched.

    ``refused`` maps each refused file to its message; the period's other files are
    recorded as ``not_loaded``, since a period loads whole or not at all.
    """
    load_id, started = str(uuid.uuid4()), _now()
    outcomes = [
        FileOutcome(
            f.file_name,
            f.sha256,
            0,
            0,
            0,
            status="refused" if f.file_name in refused else "not_loaded",
            message=refused.get(f.file_name, "another file of this period was refused"),
        )
        for f in files
    ]
    with engine.begin() as connection:
        connection.execute(
            ingest_ledger.insert(),
            _ledger_rows(load_id, source, period, files, outcomes, started, None),
        )
    return PeriodLoad(source, period, "refused", load_id, tuple(outcomes))


def record_unchanged(
    engine: sa.Engine, source: str, period: str, files: Sequence[DeliveredFile]
) -> PeriodLoad:
    """Note in the ledger that a source-period was delivered again unchanged, without reading it.

    ``files`` must be exactly the last successful load's files (by name and SHA-256);
    their row counts are carried over from that load.
    """
    load_id, started = str(uuid.uuid4()), _now()
    with engine.begin() as connection:
        previous = last_loaded_files(connection, source, period)
        outcomes = [replace(previous[f.file_name], status="unchanged") for f in files]
        connection.execute(
            ingest_ledger.insert(),
            _ledger_rows(load_id, source, period, files, outcomes, started, None),
        )
    return PeriodLoad(source, period, "unchanged", load_id, tuple(outcomes))
