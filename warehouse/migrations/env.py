"""Alembic environment: runs on the connection handed in by ``warehouse.schema.upgrade``."""

from __future__ import annotations

from alembic import context

from warehouse.tables import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only used by `alembic` run by hand
    from sqlalchemy import create_engine

    url = config.get_main_option("sqlalchemy.url")
    assert url, "set sqlalchemy.url or use `indmon db upgrade`"
    with create_engine(url).begin() as own_connection:
        context.configure(
            connection=own_connection,
            target_metadata=metadata,
            render_as_batch=own_connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
