"""The Alembic migrations build exactly the warehouse ``warehouse/tables.py`` declares."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from warehouse.tables import metadata


def test_the_migrations_build_the_tables_and_indexes_the_code_declares(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_the_latest_migration_goes_down_and_up_again(engine: sa.Engine) -> None:
    from alembic import command

    from warehouse.schema import alembic_config, current_revision, head_revision, upgrade

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")
    assert current_revision(engine) != head_revision()
    with engine.connect() as connection:
        indexes = {i["name"] for i in sa.inspect(connection).get_indexes("fact_electricity")}
    assert "ix_fact_electricity_credit_code_period" in indexes
    assert upgrade(engine) == head_revision()
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
