"""Bulk inserts of Polars frames: COPY on PostgreSQL, one executemany on SQLite.

Both run on the caller's connection, inside the caller's transaction, so a load
commits whole or not at all. Never row-by-row ORM inserts. Rows go in primary-key order:
each index page is then filled once, in turn, instead of being revisited at random.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import polars as pl
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from warehouse.engine import is_postgresql


def bulk_insert(connection: sa.Connection, table: sa.Table, frame: pl.DataFrame) -> int:
    """Insert every row of ``frame`` (columns named as the table's) and return the count."""
    if frame.is_empty():
        return 0
    columns = [c for c in frame.columns if c in table.c]
    frame = in_key_order(frame.select(columns), table)
    if is_postgresql(connection):
        _copy_postgresql(connection, table, frame)
    else:
        _executemany_sqlite(connection, table, frame)
    return frame.height


def in_key_order(frame: pl.DataFrame, table: sa.Table) -> pl.DataFrame:
    """``frame`` sorted on ``table``'s primary key, when it has every key column."""
    key = [column.name for column in table.primary_key.columns]
    if key and all(name in frame.columns for name in key):
        return frame.sort(key)
    return frame


def _copy_postgresql(connection: sa.Connection, table: sa.Table, frame: pl.DataFrame) -> None:
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, null_value="", quote_style="necessary")
    names = ", ".join(f'"{c}"' for c in frame.columns)
    raw = connection.connection.driver_connection
    assert raw is not None
    with (
        raw.cursor() as cursor,
        cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN WITH (FORMAT csv)') as copy,
    ):
        copy.write(buffer.getvalue())


def _executemany_sqlite(connection: sa.Connection, table: sa.Table, frame: pl.DataFrame) -> None:
    # SQLAlchemy stores dates on SQLite as ISO text; keep that storage format.
    frame = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
    names = ", ".join(f'"{c}"' for c in frame.columns)
    marks = ", ".join("?" for _ in frame.columns)
    connection.exec_driver_sql(
        f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', frame.rows()
    )


def insert_absent(
    connection: sa.Connection, table: sa.Table, rows: list[dict], keys: Sequence[str]
) -> set[tuple[object, ...]]:
    """Insert the rows whose ``keys`` (a unique index or primary key) are not there yet.

    Concurrent writers of the same key store it once (``ON CONFLICT DO NOTHING`` on
    both backends); the key values this call inserted are returned.
    """
    if not rows:
        return set()
    insert = (
        postgresql.insert(table) if is_postgresql(connection) else sqlite.insert(table)
    ).on_conflict_do_nothing(index_elements=list(keys))
    returned = connection.execute(insert.returning(*(table.c[k] for k in keys)), rows)
    return {tuple(row) for row in returned}
