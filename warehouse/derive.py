"""Dimensions and facts derived from staging with set-based SQL (SQLite and PostgreSQL).

- ``dim_enterprise``: versions from the register snapshots (gaps and islands).
- ``fact_electricity``: each account-month with its resolved enterprise.
- ``fact_tax``, ``fact_statistics``, ``fact_project``: facts naming an enterprise, marked
  registered or not (a project's investor may be unknown: NULL, not registered).
- ``fact_target``: the county's targets by year.

A register load rebuilds the versions from the snapshot before it, writes only those that
come out differently, and derives again only the earlier facts those changes touch (who is
registered, which names match an account): its cost does not grow with the months of
history. Every other load replaces its own period (electricity: and the later months,
whose account history it may change).
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.engine import is_postgresql, refresh_statistics

_ATTRIBUTES = (
    "name, name_key, industry_code, region_code, land_mu, established_on, above_scale, "
    "key_enterprise, cultivation_pool, specialised, green_factory, operating_status"
)

_DIM_COLUMNS = f"credit_code, valid_from, valid_to, is_current, {_ATTRIBUTES}"

# A version starts where the enterprise was absent from the previous snapshot or its
# attributes changed; it ends (exclusive) at the next snapshot after its last one.
# Only the snapshots from :since on are walked; a version already open at :since keeps
# the start it has in ``open_at_since`` (the versions in force then, before the rebuild).
REBUILD_DIM_ENTERPRISE = f"""
INSERT INTO rebuilt_versions ({_DIM_COLUMNS})
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
    WHERE {{walked}}
    WINDOW w AS (PARTITION BY r.credit_code ORDER BY s.seq)
),
numbered AS (
    SELECT credit_code, period, seq,
           SUM(starts) OVER (PARTITION BY credit_code ORDER BY seq
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS version_no
    FROM marked
),
versions AS (
    SELECT credit_code, MIN(period) AS first_period, MIN(seq) AS first_seq,
           MAX(seq) AS last_seq
    FROM numbered GROUP BY credit_code, version_no
)
SELECT v.credit_code,
       COALESCE(o.valid_from, v.first_period) AS valid_from,
       following.period AS valid_to,
       following.period IS NULL AS is_current,
       {", ".join("r." + a.strip() for a in _ATTRIBUTES.split(","))}
FROM versions AS v
JOIN stg_registry AS r ON r.credit_code = v.credit_code AND r.period = v.first_period
LEFT JOIN snapshot AS following ON following.seq = v.last_seq + 1
LEFT JOIN open_at_since AS o ON o.credit_code = v.credit_code AND v.first_seq = 1
"""

# The versions that change: those ending after :since that were not rebuilt as they are
# (-1), and those rebuilt that are not in the dimension as they are (+1). A version whose
# end moved is both.
_VERSION_CHANGES = f"""
INSERT INTO version_changes (credit_code, valid_from, name_key, change)
SELECT credit_code, valid_from, name_key, -1 FROM (
    SELECT {_DIM_COLUMNS} FROM dim_enterprise AS r
     WHERE (valid_to IS NULL OR valid_to > :since) AND {{walked}}
    EXCEPT
    SELECT {_DIM_COLUMNS} FROM rebuilt_versions
) AS gone
UNION ALL
SELECT credit_code, valid_from, name_key, 1 FROM (
    SELECT {_DIM_COLUMNS} FROM rebuilt_versions
    EXCEPT
    SELECT {_DIM_COLUMNS} FROM dim_enterprise AS r
     WHERE (valid_to IS NULL OR valid_to > :since) AND {{walked}}
) AS added
"""

# The enterprises whose versions a rebuild from snapshot :since can change. Any other is
# in every snapshot walked (:snapshots of them) with the same attributes, and has exactly
# one version ending after :since, still open: walking the snapshots again gives that
# version back as it is (it started before :since, or with the first snapshot walked, and
# nothing follows its last). A month's register changes a few in a hundred enterprises, so
# the window walk and the comparison run on those few, not on the whole register twice.
_VERSION_CANDIDATES = """
INSERT INTO version_candidates (credit_code)
SELECT credit_code FROM (
    SELECT credit_code,
           CASE WHEN COUNT(*) = :snapshots AND MIN(attributes_key) = MAX(attributes_key)
                THEN 1 ELSE 0 END AS same_in_snapshots,
           0 AS one_open_version
    FROM stg_registry WHERE period >= :since GROUP BY credit_code
    UNION ALL
    SELECT credit_code, 0,
           CASE WHEN COUNT(*) = 1 AND MIN(CASE WHEN valid_to IS NULL THEN 1 ELSE 0 END) = 1
                THEN 1 ELSE 0 END
    FROM dim_enterprise WHERE valid_to IS NULL OR valid_to > :since GROUP BY credit_code
) AS sides
GROUP BY credit_code
HAVING MAX(same_in_snapshots) = 0 OR MAX(one_open_version) = 0
"""

#: Restricts the walk (``r``) to the enterprises that may change.
_CANDIDATES_ONLY = "r.credit_code IN (SELECT credit_code FROM version_candidates)"


#: Earlier than every period: the register "snapshot before" a load that has none.
_BEFORE_ALL = "0000-00"

# Resolution order: a hand-made map; the row's own valid code; the code the account
# carried in the latest earlier month that had one; a unique exact registered name.
# The last two are looked up first into ``account_lookup``, once per row and only for the
# rows with neither a map nor a valid code of their own.
_LOOK_UP_HISTORY = """
INSERT INTO account_lookup (period, account_no, name_key, history_code)
SELECT s.period, s.account_no, s.name_key,
       (SELECT h.credit_code FROM stg_electricity AS h
         WHERE h.account_no = s.account_no AND h.period < s.period
           AND h.credit_code IS NOT NULL
         ORDER BY h.period DESC LIMIT 1)
FROM {rows}
WHERE {condition} AND s.credit_code IS NULL
  AND NOT EXISTS (SELECT 1 FROM account_map AS m WHERE m.account_no = s.account_no)
"""

# A name matches when exactly one registered enterprise (in any version) bears it.
_LOOK_UP_NAMES = """
UPDATE account_lookup SET name_code = (
    SELECT CASE WHEN MIN(e.credit_code) = MAX(e.credit_code) THEN MIN(e.credit_code) END
    FROM dim_enterprise AS e WHERE e.name_key = account_lookup.name_key)
WHERE history_code IS NULL
"""


def _registered(code: str) -> str:
    """Whether ``code`` (an SQL expression) names an enterprise the register knows (in any
    version); false for NULL. PostgreSQL hashes the register's codes once per statement."""
    return (
        f"CASE WHEN {code} IS NULL THEN FALSE "
        f"ELSE {code} IN (SELECT credit_code FROM dim_enterprise) END"
    )


RESOLVE_ELECTRICITY = f"""
INSERT INTO {{target}} (period, account_no, account_name, credit_code, resolution,
                        is_registered, usage_category, kwh, kwh_prior_year,
                        file_name, row_number)
SELECT period, account_no, account_name, resolved_code, resolution,
       {_registered("resolved_code")},
       usage_category, kwh, kwh_prior_year, file_name, row_number
FROM (
    SELECT s.period, s.account_no, s.account_name, s.usage_category, s.kwh,
           s.kwh_prior_year, s.file_name, s.row_number,
           COALESCE(m.credit_code, s.credit_code, l.history_code, l.name_code)
               AS resolved_code,
           CASE WHEN m.credit_code IS NOT NULL THEN 'manual'
                WHEN s.credit_code IS NOT NULL THEN 'own_code'
                WHEN l.history_code IS NOT NULL THEN 'history'
                WHEN l.name_code IS NOT NULL THEN 'name_match'
                ELSE 'unresolved' END AS resolution
    FROM {{rows}}
    LEFT JOIN account_map AS m ON m.account_no = s.account_no
    LEFT JOIN account_lookup AS l ON l.period = s.period AND l.account_no = s.account_no
    WHERE {{condition}}
) AS resolved
"""

#: The staged account-months (``s``) a resolution covers, as FROM items and a condition:
#: every account from ``:from_period`` on, or the accounts listed in ``affected_accounts``
#: (SQLite takes a CROSS JOIN's order as written: the short list drives the lookups).
FROM_PERIOD = ("stg_electricity AS s", "s.period >= :from_period")
AFFECTED = (
    "affected_accounts AS a CROSS JOIN stg_electricity AS s",
    "s.period = a.period AND s.account_no = a.account_no",
)


def _resolve_into(
    connection: sa.Connection,
    target: str,
    rows: tuple[str, str],
    parameters: dict[str, str] | None = None,
) -> None:
    """Resolve the staged account-months ``rows`` covers into ``target`` (inserted)."""
    run = connection.exec_driver_sql
    source, condition = rows
    run(
        "CREATE TEMPORARY TABLE account_lookup (period VARCHAR(7) NOT NULL, "
        "account_no VARCHAR(20) NOT NULL, name_key VARCHAR(200), history_code VARCHAR(18), "
        "name_code VARCHAR(18), PRIMARY KEY (period, account_no))"
    )
    connection.execute(
        sa.text(_LOOK_UP_HISTORY.format(rows=source, condition=condition)), parameters or {}
    )
    connection.execute(sa.text(_LOOK_UP_NAMES))
    refresh_statistics(connection, "account_lookup")
    connection.execute(
        sa.text(RESOLVE_ELECTRICITY.format(target=target, rows=source, condition=condition)),
        parameters or {},
    )
    run("DROP TABLE account_lookup")


def _snapshot_before(connection: sa.Connection, period: str) -> str | None:
    """The latest register snapshot before ``period``, if any."""
    return connection.execute(
        sa.text("SELECT MAX(period) FROM stg_registry WHERE period < :p"), {"p": period}
    ).scalar()


def rebuild_dim_enterprise(connection: sa.Connection, period: str | None = None) -> None:
    """Rebuild the enterprise versions that a register snapshot of ``period`` can change.

    Versions that ended before the snapshot preceding ``period`` cannot change; the others
    are rebuilt from that snapshot on (a monthly load walks two snapshots, not the whole
    history). Without ``period``, every version is rebuilt from every snapshot.
    """
    _rebuild_versions(connection, None if period is None else _snapshot_before(connection, period))
    connection.exec_driver_sql("DROP TABLE version_changes")


def _rebuild_versions(connection: sa.Connection, since: str | None) -> None:
    """Rebuild the versions that end after snapshot ``since`` (every version without it).

    With ``since``, only the enterprises whose versions can change are walked
    (:data:`_VERSION_CANDIDATES`). Only the versions that come out differently are deleted
    and inserted (a month changes a few in a hundred); they are left in the temporary
    ``version_changes`` (-1 gone, +1 added), which the caller drops.
    """
    run = connection.exec_driver_sql
    boundary = {"since": since or _BEFORE_ALL}
    walked = "1 = 1"
    if since is not None:
        _fill_candidates(connection, since)
        walked = _CANDIDATES_ONLY
    run("CREATE TEMPORARY TABLE open_at_since (credit_code VARCHAR(18), valid_from VARCHAR(7))")
    if since is not None:
        connection.execute(
            sa.text(
                "INSERT INTO open_at_since SELECT credit_code, valid_from FROM dim_enterprise"
                " AS r WHERE valid_from <= :since AND (valid_to IS NULL OR :since < valid_to)"
                f" AND {walked}"
            ),
            boundary,
        )
        refresh_statistics(connection, "open_at_since")
    run("CREATE TEMPORARY TABLE rebuilt_versions AS SELECT * FROM dim_enterprise WHERE 1 = 0")
    run(
        "CREATE TEMPORARY TABLE version_changes (credit_code VARCHAR(18) NOT NULL, "
        "valid_from VARCHAR(7) NOT NULL, name_key VARCHAR(200) NOT NULL, change INTEGER NOT NULL)"
    )
    connection.execute(sa.text(REBUILD_DIM_ENTERPRISE.format(walked=walked)), boundary)
    changed = connection.execute(sa.text(_VERSION_CHANGES.format(walked=walked)), boundary).rowcount
    refresh_statistics(connection, "version_changes")
    connection.execute(
        sa.text(
            "DELETE FROM dim_enterprise WHERE (credit_code, valid_from) IN "
            "(SELECT credit_code, valid_from FROM version_changes WHERE change = -1)"
        )
    )
    connection.execute(
        sa.text(
            f"INSERT INTO dim_enterprise ({_DIM_COLUMNS}) SELECT {_DIM_COLUMNS} "
            "FROM rebuilt_versions WHERE (credit_code, valid_from) IN "
            "(SELECT credit_code, valid_from FROM version_changes WHERE change = 1)"
        )
    )
    for table in ("rebuilt_versions", "open_at_since", "version_candidates"):
        run(f"DROP TABLE IF EXISTS {table}")
    # PostgreSQL's picture of the dimension may be off after many changes (SQLite keeps none).
    if changed and is_postgresql(connection) and changed * 10 > _dimension_size(connection):
        refresh_statistics(connection, "dim_enterprise")


def _fill_candidates(connection: sa.Connection, since: str) -> None:
    """Fill ``version_candidates`` with the enterprises whose versions a rebuild from
    ``since`` can change."""
    connection.exec_driver_sql(
        "CREATE TEMPORARY TABLE version_candidates (credit_code VARCHAR(18) PRIMARY KEY)"
    )
    snapshots = connection.execute(
        sa.text("SELECT COUNT(DISTINCT period) FROM stg_registry WHERE period >= :since"),
        {"since": since},
    ).scalar()
    connection.execute(sa.text(_VERSION_CANDIDATES), {"since": since, "snapshots": snapshots})
    refresh_statistics(connection, "version_candidates")


def _dimension_size(connection: sa.Connection) -> int:
    return int(connection.exec_driver_sql("SELECT COUNT(*) FROM dim_enterprise").scalar() or 0)


def resolve_electricity(connection: sa.Connection, from_period: str) -> None:
    """Re-resolve every account-month from ``from_period`` on into ``fact_electricity``."""
    parameters = {"from_period": from_period}
    connection.execute(
        sa.text("DELETE FROM fact_electricity WHERE period >= :from_period"), parameters
    )
    _resolve_into(connection, "fact_electricity", FROM_PERIOD, parameters)
    refresh_statistics(connection, "fact_electricity")


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


def refresh_enterprise_facts(connection: sa.Connection, fact: str, period: str) -> None:
    """Replace one period of an enterprise fact table with the period's staged rows.

    A period's rows depend on its own staging and on who is registered, nothing else:
    the other periods stay as they are.
    """
    staging, columns = ENTERPRISE_FACTS[fact]
    parameters = {"period": period}
    connection.execute(sa.text(f"DELETE FROM {fact} WHERE period = :period"), parameters)
    connection.execute(
        sa.text(
            f"INSERT INTO {fact} (period, credit_code, is_registered, {columns}) "
            f"SELECT period, credit_code, {_registered('credit_code')}, {columns} "
            f"FROM {staging} WHERE period = :period"
        ),
        parameters,
    )
    refresh_statistics(connection, fact)


# --- how far a register snapshot reaches back ------------------------------------------
#
# A snapshot decides the versions in force from its own period on. Earlier facts depend
# on the register only through who is registered at all (``is_registered``) and which
# names match an account uniquely; both can only change through the versions the rebuild
# changed (``version_changes``), and only the facts naming what changed are derived again.
# A code (or a code-name pair) was in the dimension before as often as it is now, less
# the versions added, plus the versions gone.

# How many versions each enterprise touched by the rebuild has now, by name.
_VERSIONS_NOW = """
SELECT e.credit_code, e.name_key, COUNT(*) AS versions FROM dim_enterprise AS e
WHERE e.credit_code IN (SELECT credit_code FROM version_changes)
GROUP BY e.credit_code, e.name_key
"""

# Enterprises registered now and not before (every version is new), or before and not now.
_REGISTRATION_CHANGES = f"""
INSERT INTO registration_changes (credit_code)
SELECT c.credit_code
FROM (SELECT credit_code, SUM(change) AS change FROM version_changes
      GROUP BY credit_code HAVING SUM(change) <> 0) AS c
LEFT JOIN (SELECT credit_code, SUM(versions) AS versions FROM ({_VERSIONS_NOW}) AS by_name
           GROUP BY credit_code) AS present ON present.credit_code = c.credit_code
WHERE present.versions IS NULL OR present.versions = c.change
"""

# Names an enterprise took or dropped (a name's match can only change through these).
_NAME_CHANGES = f"""
INSERT INTO name_changes (name_key)
SELECT DISTINCT p.name_key
FROM (SELECT credit_code, name_key, SUM(change) AS change FROM version_changes
      GROUP BY credit_code, name_key HAVING SUM(change) <> 0) AS p
LEFT JOIN ({_VERSIONS_NOW}) AS present
       ON present.credit_code = p.credit_code AND present.name_key = p.name_key
WHERE present.versions IS NULL OR present.versions = p.change
"""

# The account-months whose resolution may have changed: those resolved to an enterprise
# whose registration changed, and those without a code of their own whose name did.
_AFFECTED_ACCOUNTS = """
INSERT INTO affected_accounts (period, account_no)
SELECT period, account_no FROM fact_electricity
 WHERE credit_code IN (SELECT credit_code FROM registration_changes)
UNION
SELECT period, account_no FROM stg_electricity
 WHERE credit_code IS NULL AND name_key IN (SELECT name_key FROM name_changes)
"""

# Of the account-months resolved again, keep those that came out differently.
_DROP_UNCHANGED = """
DELETE FROM reresolved WHERE EXISTS (
    SELECT 1 FROM fact_electricity AS f
     WHERE f.period = reresolved.period AND f.account_no = reresolved.account_no
       AND f.resolution = reresolved.resolution
       AND f.is_registered = reresolved.is_registered
       AND (f.credit_code = reresolved.credit_code
            OR (f.credit_code IS NULL AND reresolved.credit_code IS NULL)))
"""

_ELECTRICITY_COLUMNS = (
    "period, account_no, account_name, credit_code, resolution, is_registered, "
    "usage_category, kwh, kwh_prior_year, file_name, row_number"
)

_REGISTER_TEMPORARY = {
    "registration_changes": "credit_code VARCHAR(18) PRIMARY KEY",
    "name_changes": "name_key VARCHAR(200) PRIMARY KEY",
    "affected_accounts": "period VARCHAR(7) NOT NULL, account_no VARCHAR(20) NOT NULL, "
    "PRIMARY KEY (period, account_no)",
}


def _refresh_register(connection: sa.Connection, period: str) -> str:
    """Rebuild enterprise versions and the facts they change; return the first period
    whose marts may have changed (``period``, or the first fact that changed)."""
    run = connection.exec_driver_sql
    for table, columns in _REGISTER_TEMPORARY.items():
        run(f"CREATE TEMPORARY TABLE {table} ({columns})")
    _rebuild_versions(connection, _snapshot_before(connection, period))
    run(_REGISTRATION_CHANGES)
    run(_NAME_CHANGES)
    firsts = [period, _reresolve_affected_accounts(connection)]
    firsts += [_mark_registration(connection, fact) for fact in ENTERPRISE_FACTS]
    for table in ("version_changes", *_REGISTER_TEMPORARY):
        run(f"DROP TABLE {table}")
    return min(first for first in firsts if first is not None)


def _reresolve_affected_accounts(connection: sa.Connection) -> str | None:
    """Resolve the affected account-months again; replace those that changed in
    ``fact_electricity`` and return the first period of them (None when none did)."""
    run = connection.exec_driver_sql
    run(_AFFECTED_ACCOUNTS)
    refresh_statistics(connection, "affected_accounts")
    run("CREATE TEMPORARY TABLE reresolved AS SELECT * FROM fact_electricity WHERE 1 = 0")
    _resolve_into(connection, "reresolved", AFFECTED)
    run(_DROP_UNCHANGED)
    run(
        "DELETE FROM fact_electricity WHERE (period, account_no) IN "
        "(SELECT period, account_no FROM reresolved)"
    )
    run(
        f"INSERT INTO fact_electricity ({_ELECTRICITY_COLUMNS}) "
        f"SELECT {_ELECTRICITY_COLUMNS} FROM reresolved"
    )
    first = connection.execute(sa.text("SELECT MIN(period) FROM reresolved")).scalar()
    run("DROP TABLE reresolved")
    return first


def _mark_registration(connection: sa.Connection, fact: str) -> str | None:
    """Set ``is_registered`` of the rows of ``fact`` naming an enterprise whose registration
    changed; return the first period of them (None when there are none)."""
    changed = "credit_code IN (SELECT credit_code FROM registration_changes)"
    first = connection.execute(sa.text(f"SELECT MIN(period) FROM {fact} WHERE {changed}")).scalar()
    if first is not None:
        connection.execute(
            sa.text(
                f"UPDATE {fact} SET is_registered = {_registered('credit_code')} WHERE {changed}"
            )
        )
    return first


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
        return _refresh_register(connection, period)
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
