"""Read access on PostgreSQL: two roles, granted idempotently.

- ``indmon_reader`` reads the marts (``mart_*``), the dimensions (``dim_*``) and the
  bureau's rules (``cfg_*``), nothing else.
- ``indmon_analyst`` is a member of ``indmon_reader`` and also reads every other table:
  the enterprise-level facts (``fact_*``), staging (``stg_*``, the rows as delivered),
  held rows (with their raw values) and the bookkeeping (ledger, account map, quality
  results, alerts, ``mart_pending``). Tables created later by a migration are readable by
  the analyst through default privileges; run ``indmon db grant`` again after an upgrade
  so the reader sees new marts.

Roles belong to the cluster, grants to each database: creating a role tolerates another
session creating it at the same moment, and every statement may be run again.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from warehouse.engine import is_postgresql

READER = "indmon_reader"
ANALYST = "indmon_analyst"
READER_PREFIXES = ("mart_", "dim_", "cfg_")
#: Bookkeeping whose name has a reader's prefix: the marts loads left to rebuild.
NOT_FOR_READER = ("mart_pending",)

_CREATE_ROLE = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
        CREATE ROLE {role} NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;  -- another session created it meanwhile
END
$$"""

_GRANT_MEMBERSHIP = f"""
DO $$
BEGIN
    IF NOT pg_has_role('{ANALYST}', '{READER}', 'MEMBER') THEN
        GRANT {READER} TO {ANALYST};
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$"""


class RolesNotSupported(RuntimeError):
    """Roles and grants exist only on PostgreSQL."""


def _run_with_retry(engine: sa.Engine, statements: list[str], attempts: int = 5) -> None:
    """Run statements in one transaction, again when a concurrent catalogue update collides."""
    for attempt in range(attempts):
        try:
            with engine.begin() as connection:
                for statement in statements:
                    connection.exec_driver_sql(statement)
            return
        except DBAPIError as error:
            if "concurrently" not in str(error.orig) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def reader_tables(connection: sa.Connection) -> list[str]:
    """The tables of the warehouse's schema the reader may read."""
    names = sa.inspect(connection).get_table_names()
    return sorted(n for n in names if n.startswith(READER_PREFIXES) and n not in NOT_FOR_READER)


def grant_roles(engine: sa.Engine) -> dict[str, list[str]]:
    """Create both roles if missing and grant them read access; return tables per role."""
    if not is_postgresql(engine):
        raise RolesNotSupported("roles and grants apply to PostgreSQL warehouses only")
    _run_with_retry(engine, [_CREATE_ROLE.format(role=READER), _CREATE_ROLE.format(role=ANALYST)])
    _run_with_retry(engine, [_GRANT_MEMBERSHIP])
    with engine.connect() as connection:
        schema = connection.execute(sa.text("SELECT current_schema()")).scalar_one()
        database = connection.execute(sa.text("SELECT current_database()")).scalar_one()
        every = sorted(sa.inspect(connection).get_table_names())
        readable = reader_tables(connection)
    quoted_schema = f'"{schema}"'
    analyst_only = [t for t in every if t not in readable and t != "alembic_version"]
    statements = [
        f'GRANT CONNECT ON DATABASE "{database}" TO {READER}, {ANALYST}',
        f"GRANT USAGE ON SCHEMA {quoted_schema} TO {READER}, {ANALYST}",
        *(f'GRANT SELECT ON {quoted_schema}."{t}" TO {READER}' for t in readable),
        *(f'GRANT SELECT ON {quoted_schema}."{t}" TO {ANALYST}' for t in analyst_only),
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {quoted_schema} GRANT SELECT ON TABLES TO {ANALYST}",
    ]
    _run_with_retry(engine, statements)
    return {READER: readable, ANALYST: readable + analyst_only}
