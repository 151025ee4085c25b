"""The Alembic migrations build exactly the warehouse ``warehouse/tables.py`` declares."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.warehouse.helpers import load_month, rows
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
        columns = {c["name"] for c in sa.inspect(connection).get_columns("mart_enterprise_month")}
    assert "electricity_kwh_comparable" not in columns
    assert upgrade(engine) == head_revision()
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []


def test_upgrading_fills_the_comparable_kwh_of_existing_enterprise_months(
    engine: sa.Engine, sample_landing: Path
) -> None:
    """0009 adds ``electricity_kwh_comparable`` and fills it as a mart rebuild would."""
    from alembic import command

    from warehouse.schema import alembic_config, upgrade

    load_month(engine, sample_landing, "2022-03")
    query = (
        "SELECT credit_code, electricity_kwh_comparable FROM mart_enterprise_month "
        "WHERE electricity_accounts > 0 ORDER BY credit_code"
    )
    rebuilt = [tuple(r) for r in rows(engine, query)]
    assert rebuilt and all(kwh is not None and kwh > 0 for _, kwh in rebuilt)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
    upgrade(engine)
    assert [tuple(r) for r in rows(engine, query)] == rebuilt
