"""Metering accounts that could not be resolved to an enterprise, and fixing them by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from schemas.credit_code import is_valid_credit_code
from warehouse.derive import resolve_electricity
from warehouse.marts import rebuild_marts
from warehouse.tables import account_map

UNRESOLVED = """
SELECT account_no, MIN(account_name) AS account_name, COUNT(*) AS months,
       MIN(period) AS first_period, MAX(period) AS last_period, SUM(kwh) AS kwh
FROM fact_electricity
WHERE resolution = 'unresolved'
GROUP BY account_no
ORDER BY SUM(kwh) DESC, account_no
"""


def unresolved_accounts(engine: sa.Engine) -> list[sa.Row]:
    """Every account with at least one unresolved month, largest consumers first."""
    with engine.connect() as connection:
        return list(connection.execute(sa.text(UNRESOLVED)))


def map_account(engine: sa.Engine, account_no: str, credit_code: str) -> None:
    """Map ``account_no`` to ``credit_code`` for all months and rebuild what depends on it."""
    if not is_valid_credit_code(credit_code):
        raise ValueError(f"{credit_code!r} is not a valid unified social credit code")
    with engine.begin() as connection:
        connection.execute(account_map.delete().where(account_map.c.account_no == account_no))
        connection.execute(
            account_map.insert().values(
                account_no=account_no, credit_code=credit_code, mapped_at=datetime.now(UTC)
            )
        )
        first = connection.execute(
            sa.text("SELECT MIN(period) FROM stg_electricity WHERE account_no = :a"),
            {"a": account_no},
        ).scalar()
        if first is not None:
            resolve_electricity(connection, first)
            rebuild_marts(connection, "electricity", first)
