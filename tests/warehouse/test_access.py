"""`indmon db grant`: who may read what, shown by logging in as a member of each role."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from typer.testing import CliRunner

from indmon.cli import app
from tests.conftest import fresh_warehouse
from tests.files import code, registry_row, tax_row, write_registry_csv, write_tax_xlsx
from tests.warehouse.helpers import load_month
from warehouse.access import ANALYST, READER, grant_roles
from warehouse.engine import create_warehouse_engine


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_warehouse("postgresql", tmp_path, request) as url:
        yield url


@contextmanager
def member_of(admin: sa.Engine, role: str, url: str) -> Iterator[sa.Engine]:
    """An engine logged in as a new user that is a member of ``role`` only; dropped after."""
    user = f"indmon_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE ROLE {user} LOGIN IN ROLE {role}")
    engine = sa.create_engine(make_url(url).set(username=user, password=None))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP ROLE IF EXISTS {user}")


def can_read(engine: sa.Engine, table: str) -> bool:
    """Whether the login may SELECT from ``table`` (any other error fails the test)."""
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(f"SELECT * FROM {table} LIMIT 1").fetchall()
    except ProgrammingError as error:
        assert "permission denied" in str(error.orig)
        return False
    return True


def _load_something(engine: sa.Engine, landing: Path) -> None:
    a = code(1)
    write_registry_csv(landing / "registry" / "2022-03" / "名录.csv", [registry_row(a, "甲公司")])
    write_tax_xlsx(landing / "tax" / "2022-03" / "税收.xlsx", [tax_row(a, "甲公司", 100.0)])
    load_month(engine, landing, "2022-03")


@pytest.mark.postgres
def test_reader_reads_marts_and_dimensions_analyst_also_facts(
    postgres_url: str, postgres_admin: sa.Engine, landing: Path
) -> None:
    result = CliRunner().invoke(app, ["db", "grant", "--warehouse", postgres_url])
    assert result.exit_code == 0, result.output
    assert "indmon_reader" in result.output and "indmon_analyst" in result.output
    engine = create_warehouse_engine(postgres_url)
    _load_something(engine, landing)
    # Running it again (as after every upgrade) changes nothing and does not fail.
    granted = grant_roles(engine)
    engine.dispose()
    assert "fact_tax" not in granted[READER] and "mart_indicator_month" in granted[READER]
    assert "fact_tax" in granted[ANALYST]

    with member_of(postgres_admin, READER, postgres_url) as reader:
        for table in ("mart_indicator_month", "mart_per_mu_evaluation", "dim_region", "cfg_rule"):
            assert can_read(reader, table), table
        for table in (
            "fact_tax",
            "fact_electricity",
            "stg_tax",
            "held_row",
            "ingest_ledger",
            "mart_pending",  # bookkeeping, despite its prefix
        ):
            assert not can_read(reader, table), table
        with reader.connect() as connection:
            total = connection.exec_driver_sql(
                "SELECT enterprise_count FROM mart_indicator_month "
                "WHERE indicator = 'total_tax_yuan' AND region_code = '340621000000'"
            ).scalar()
        assert total == 1

    with member_of(postgres_admin, ANALYST, postgres_url) as analyst:
        for table in ("mart_indicator_month", "dim_enterprise", "fact_tax", "stg_tax", "held_row"):
            assert can_read(analyst, table), table
        with analyst.connect() as connection:
            paid = connection.exec_driver_sql("SELECT total_tax_yuan FROM fact_tax").scalar()
        assert paid == 100.0
        with pytest.raises(ProgrammingError, match="permission denied"), analyst.begin() as c:
            c.exec_driver_sql("DELETE FROM fact_tax")


def test_grant_on_sqlite_says_roles_do_not_apply(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'warehouse.db'}"
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["db", "grant", "--warehouse", url])
    assert result.exit_code == 0, result.output
    assert "roles do not apply to SQLite" in result.output
