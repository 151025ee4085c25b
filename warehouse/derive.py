"""Dimensions and facts derived from staging with set-based SQL (SQLite and PostgreSQL).

- ``dim_enterprise``: versions from the register snapshots (gaps and islands).
- ``fact_electricity``: each account-month with its resolved enterprise.
- ``fact_tax``, ``fact_statistics``, ``fact_project``: facts naming an enterprise, marked
  registered or not (a project's investor may be unknown: NULL, not registered).
- ``fact_target``: the county's targets by year.
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.engine import refresh_statistics

_ATTRIBUTES = (
    "name, name_key, industry_code, region_code, land_mu, established_on, above_scale, "
    "key_enterprise, cultivation_pool, specialised, green_factory, operating_status"
)

# A version starts where the enterprise was absent from the previous snapshot or its
# attributes changed; it ends (exclusive) at the next snapshot after its last one.
# Only the snapshots from :since on are walked; a version already open at :since keeps
# the start it has in ``open_at_since`` (the versions in force then, before the rebuild).
REBUILD_DIM_ENTERPRISE = f"""
INSERT INTO dim_enterprise (credit_code, valid_from, valid_to, is_current, {_ATTRIBUTES})
WITH snapshot AS (
    SELECT period, ROW_NUMBER() OVER (ORDER BY period) AS seq
    FROM (SELECT DISTINCT period FROM stg_registry WHERE period >= :since) AS periods
),
marked AS (
    SELECT r.credit_code, r.period, s.seq, r.attributes_key,
           CASE WHEN LAG(s.seq) OVER w = s.seq - 1
                 AND LAG(r.attributes_key) OVER w = r.attributes_key
                THEN 0 ELSE 1 END AS starts
    FROM stg_registry AS r JOIN snapshot AS s ON s.period = r.period
    WINDOW w AS (PARTITION BY r.credit_code ORDER BY s.seq)
),
numbered AS (
    SELECT credit_code, period, seq,
           SUM(starts) OVER (PARTITION BY credit_code ORDER BY seq
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS version_no
    FROM marked
),
versions AS (
    SELECT credit_code, version_no, MIN(seq) AS first_seq, MAX(seq) AS last_seq
    FROM numbered GROUP BY credit_code, version_no
)
SELECT v.credit_code,
       COALESCE(o.valid_from, opening.period) AS valid_from,
       following.period AS valid_to,
       following.period IS NULL AS is_current,
       {", ".join("r." + a.strip() for a in _ATTRIBUTES.split(","))}
FROM versions AS v
JOIN snapshot AS opening ON opening.seq = v.first_seq
LEFT JOIN snapshot AS following ON following.seq = v.last_seq + 1
JOIN stg_registry AS r ON r.credit_code = v.credit_code AND r.period = opening.period
LEFT JOIN open_at_since AS o ON o.credit_code = v.credit_code AND v.first_seq = 1
"""

# Resolution order: a hand-made map; the row's own valid code; the code the account
# carried in the latest earlier month that had one; a unique exact registered name.
RESOLVE_ELECTRICITY = """
INSERT INTO fact_electricity (period, account_no, account_name, credit_code, resolution,
                              is_registered, usage_category, kwh, kwh_prior_year,
                              file_name, row_number)
WITH unique_names AS (
    SELECT name_key, MIN(credit_code) AS credit_code
    FROM dim_enterprise
    GROUP BY name_key
    HAVING COUNT(DISTINCT credit_code) = 1
),
candidates AS (
    SELECT s.*,
           m.credit_code AS mapped_code,
           -- Looked up only for the rows that need it (no map, no valid code of their own).
           CASE WHEN m.credit_code IS NULL AND s.credit_code IS NULL THEN
           (SELECT h.credit_code FROM stg_electricity AS h
             WHERE h.account_no = s.account_no AND h.period < s.period
               AND h.credit_code IS NOT NULL
             ORDER BY h.period DESC LIMIT 1) END AS history_code,
           n.credit_code AS name_code
    FROM stg_electricity AS s
    LEFT JOIN account_map AS m ON m.account_no = s.account_no
    LEFT JOIN unique_names AS n ON n.name_key = s.name_key
    WHERE s.period >= :from_period
),
resolved AS (
    SELECT c.*,
           COALESCE(mapped_code, credit_code, history_code, name_code) AS resolved_code,
           CASE WHEN mapped_code IS NOT NULL THEN 'manual'
                WHEN credit_code IS NOT NULL THEN 'own_code'
                WHEN history_code IS NOT NULL THEN 'history'
                WHEN name_code IS NOT NULL THEN 'name_match'
                ELSE 'unresolved' END AS resolution
    FROM candidates AS c
)
SELECT period, account_no, account_name, resolved_code, resolution,
       EXISTS (SELECT 1 FROM dim_enterprise AS e WHERE e.credit_code = resolved_code),
       usage_category, kwh, kwh_prior_year, file_name, row_number
FROM resolved
"""


def rebuild_dim_enterprise(connection: sa.Connection, period: str | None = None) -> None:
    """Rebuild the enterprise versions that a register snapshot of ``period`` can change.

    Versions that ended before the snapshot preceding ``period`` cannot change; the others
    are rebuilt from that snapshot on (a monthly load walks two snapshots, not the whole
    history). Without ``period``, every version is rebuilt from every snapshot.
    """
    run = connection.exec_driver_sql
    since = None
    if period is not None:
        since = connection.execute(
            sa.text("SELECT MAX(period) FROM stg_registry WHERE period < :p"), {"p": period}
        ).scalar()
    run("CREATE TEMPORARY TABLE open_at_since (credit_code VARCHAR(18), valid_from VARCHAR(7))")
    if since is None:
        connection.execute(sa.text("DELETE FROM dim_enterprise"))
    else:
        parameters = {"since": since}
        connection.execute(
            sa.text(
                "INSERT INTO open_at_since SELECT credit_code, valid_from FROM dim_enterprise"
                " WHERE valid_from <= :since AND (valid_to IS NULL OR :since < valid_to)"
            ),
            parameters,
        )
        refresh_statistics(connection, "open_at_since")
        connection.execute(
            sa.text("DELETE FROM dim_enterprise WHERE valid_to IS NULL OR valid_to > :since"),
            parameters,
        )
    connection.execute(sa.text(REBUILD_DIM_ENTERPRISE), {"since": since or "0000-00"})
    run("DROP TABLE open_at_since")
    refresh_statistics(connection, "dim_enterprise")


def resolve_electricity(connection: sa.Connection, from_period: str) -> None:
    """Re-resolve every account-month from ``from_period`` on into ``fact_electricity``."""
    connection.execute(
        sa.text("DELETE FROM fact_electricity WHERE period >= :from_period"),
        {"from_period": from_period},
    )
    connection.execute(sa.text(RESOLVE_ELECTRICITY), {"from_period": from_period})
    refresh_statistics(connection, "fact_electricity")


_REGISTERED = "EXISTS (SELECT 1 FROM dim_enterprise AS e WHERE e.credit_code = s.credit_code)"
_TAX = "vat_yuan, cit_yuan, other_tax_yuan, total_tax_yuan, vat_refund_yuan, taxable_sales_yuan"
_STATISTICS = (
    "name, industry_code, region_code, output_ytd_yuan, output_prior_ytd_yuan, "
    "revenue_ytd_yuan, revenue_prior_ytd_yuan, profit_ytd_yuan, profit_prior_ytd_yuan, "
    "employees, energy_ytd_tce, energy_prior_ytd_tce"
)
_PROJECT = (
    "project_code, project_name, credit_code_delivered, nature, region_code, status, "
    "total_investment_yuan, planned_year_yuan, completed_ytd_yuan, started_on, "
    "planned_operation_on"
)
ENTERPRISE_FACTS = {
    "fact_tax": ("stg_tax", f"taxpayer_name, {_TAX}"),
    "fact_statistics": ("stg_statistics", _STATISTICS),
    "fact_project": ("stg_project", _PROJECT),
}


def refresh_enterprise_facts(connection: sa.Connection, fact: str, from_period: str) -> None:
    """Rebuild an enterprise fact table from its staging, from ``from_period`` on."""
    staging, columns = ENTERPRISE_FACTS[fact]
    parameters = {"from_period": from_period}
    connection.execute(sa.text(f"DELETE FROM {fact} WHERE period >= :from_period"), parameters)
    connection.execute(
        sa.text(
            f"INSERT INTO {fact} (period, credit_code, is_registered, {columns}) "
            f"SELECT period, credit_code, {_REGISTERED}, {columns} FROM {staging} AS s "
            "WHERE period >= :from_period"
        ),
        parameters,
    )
    refresh_statistics(connection, fact)


_UNIQUE_NAMES = """
SELECT name_key, MIN(credit_code) AS credit_code FROM dim_enterprise
GROUP BY name_key HAVING COUNT(DISTINCT credit_code) = 1"""

# The first period of any fact that names an enterprise whose registration changed, or
# an account whose name now matches differently: the register's reach into the past.
_FIRST_AFFECTED = """
WITH codes AS (
    SELECT credit_code FROM dim_enterprise
     WHERE credit_code NOT IN (SELECT credit_code FROM prev_registered)
    UNION
    SELECT credit_code FROM prev_registered
     WHERE credit_code NOT IN (SELECT credit_code FROM dim_enterprise)
),
names AS (
    SELECT c.name_key FROM current_names AS c
    LEFT JOIN prev_names AS p ON p.name_key = c.name_key
    WHERE p.credit_code IS NULL OR p.credit_code <> c.credit_code
    UNION
    SELECT p.name_key FROM prev_names AS p
    LEFT JOIN current_names AS c ON c.name_key = p.name_key
    WHERE c.credit_code IS NULL OR c.credit_code <> p.credit_code
)
SELECT MIN(period) FROM (
    SELECT MIN(period) AS period FROM stg_electricity
     WHERE credit_code IN (SELECT credit_code FROM codes)
        OR name_key IN (SELECT name_key FROM names)
    UNION ALL
    SELECT MIN(period) FROM fact_electricity WHERE credit_code IN (SELECT credit_code FROM codes)
    UNION ALL
    SELECT MIN(period) FROM stg_tax WHERE credit_code IN (SELECT credit_code FROM codes)
    UNION ALL
    SELECT MIN(period) FROM stg_statistics WHERE credit_code IN (SELECT credit_code FROM codes)
    UNION ALL
    SELECT MIN(period) FROM stg_project WHERE credit_code IN (SELECT credit_code FROM codes)
) AS firsts
"""


def _refresh_register(connection: sa.Connection, period: str) -> str:
    """Rebuild enterprise versions; return the first period whose facts may have changed.

    A snapshot decides the versions in force from its own period on. It reaches
    further back only through who is registered at all and which names match an
    account, and only for the facts that name those enterprises or accounts.
    """
    run = connection.exec_driver_sql
    run("CREATE TEMPORARY TABLE prev_registered AS SELECT DISTINCT credit_code FROM dim_enterprise")
    run(f"CREATE TEMPORARY TABLE prev_names AS {_UNIQUE_NAMES}")
    rebuild_dim_enterprise(connection, period)
    run(f"CREATE TEMPORARY TABLE current_names AS {_UNIQUE_NAMES}")
    first = connection.execute(sa.text(_FIRST_AFFECTED)).scalar()
    for table in ("prev_registered", "prev_names", "current_names"):
        run(f"DROP TABLE {table}")
    return min(period, first) if first else period


REFRESH_TARGETS = """
INSERT INTO fact_target (year, region_code, indicator, target_name, measure, unit,
                         floor_value, stretch_value)
SELECT year, region_code, indicator, target_name, measure, unit, floor_value, stretch_value
FROM stg_target WHERE period = :period
"""


def refresh_targets(connection: sa.Connection, year: str) -> None:
    """Replace one year's targets in ``fact_target`` with the year's staged rows."""
    connection.execute(sa.text("DELETE FROM fact_target WHERE year = :year"), {"year": int(year)})
    connection.execute(sa.text(REFRESH_TARGETS), {"period": year})


def refresh_after_load(connection: sa.Connection, source: str, period: str) -> str:
    """Rebuild the facts that depend on a replaced source-period; return the first period
    whose marts must be rebuilt."""
    if source == "registry":
        start = _refresh_register(connection, period)
        resolve_electricity(connection, start)
        for fact in ENTERPRISE_FACTS:
            refresh_enterprise_facts(connection, fact, start)
        return start
    if source == "electricity":
        resolve_electricity(connection, period)
    elif source == "tax":
        refresh_enterprise_facts(connection, "fact_tax", period)
    elif source == "statistics":
        refresh_enterprise_facts(connection, "fact_statistics", period)
    elif source == "projects":
        refresh_enterprise_facts(connection, "fact_project", period)
    elif source == "targets":
        refresh_targets(connection, period)
    return period
