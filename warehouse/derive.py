"""Dimensions and facts derived from staging with set-based SQL (SQLite and PostgreSQL).

- ``dim_enterprise``: versions from the register snapshots (gaps and islands).
- ``fact_electricity``: each account-month with its resolved enterprise.
"""

from __future__ import annotations

import sqlalchemy as sa

_ATTRIBUTES = (
    "name, name_key, industry_code, region_code, land_mu, established_on, above_scale, "
    "key_enterprise, cultivation_pool, specialised, green_factory, operating_status"
)

# A version starts where the enterprise was absent from the previous snapshot or its
# attributes changed; it ends (exclusive) at the next snapshot after its last one.
REBUILD_DIM_ENTERPRISE = f"""
INSERT INTO dim_enterprise (credit_code, valid_from, valid_to, is_current, {_ATTRIBUTES})
WITH snapshot AS (
    SELECT period, ROW_NUMBER() OVER (ORDER BY period) AS seq
    FROM (SELECT DISTINCT period FROM stg_registry) AS periods
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
       opening.period AS valid_from,
       following.period AS valid_to,
       following.period IS NULL AS is_current,
       {", ".join("r." + a.strip() for a in _ATTRIBUTES.split(","))}
FROM versions AS v
JOIN snapshot AS opening ON opening.seq = v.first_seq
LEFT JOIN snapshot AS following ON following.seq = v.last_seq + 1
JOIN stg_registry AS r ON r.credit_code = v.credit_code AND r.period = opening.period
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
           (SELECT h.credit_code FROM stg_electricity AS h
             WHERE h.account_no = s.account_no AND h.period < s.period
               AND h.credit_code IS NOT NULL
             ORDER BY h.period DESC LIMIT 1) AS history_code,
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


def rebuild_dim_enterprise(connection: sa.Connection) -> None:
    """Rebuild every enterprise version from all register snapshots."""
    connection.execute(sa.text("DELETE FROM dim_enterprise"))
    connection.execute(sa.text(REBUILD_DIM_ENTERPRISE))


def resolve_electricity(connection: sa.Connection, from_period: str) -> None:
    """Re-resolve every account-month from ``from_period`` on into ``fact_electricity``."""
    connection.execute(
        sa.text("DELETE FROM fact_electricity WHERE period >= :from_period"),
        {"from_period": from_period},
    )
    connection.execute(sa.text(RESOLVE_ELECTRICITY), {"from_period": from_period})
