"""Reference data shipped with the project (regions, GB/T 4754-2017, indicator catalogue).

``sync_reference`` makes the warehouse's dimension tables equal to the shipped files:
new keys are inserted and changed rows updated in place; nothing referenced by history
is deleted. Running it again changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl
import sqlalchemy as sa

from sources.text import normalise_label
from warehouse.indicators import CATALOGUE
from warehouse.tables import dim_indicator, dim_industry, dim_region, dim_region_name

REFERENCE_DIR = Path(__file__).parent / "reference"
INDUSTRY_DIVISIONS = range(6, 47)  # 工业 = divisions 06-46 (sections B, C, D)


def region_rows(path: Path = REFERENCE_DIR / "suixi_regions.csv") -> list[dict[str, Any]]:
    """One dict per region of the county; towns and parks have the county as parent."""
    frame = pl.read_csv(path, infer_schema=False)
    county = frame.filter(pl.col("kind") == "county")["code"].item()
    return [
        {
            "region_code": row["code"],
            "name": row["name"],
            "kind": row["kind"],
            "parent_code": None if row["code"] == county else county,
        }
        for row in frame.iter_rows(named=True)
    ]


def region_name_rows(path: Path = REFERENCE_DIR / "suixi_regions.csv") -> list[dict[str, Any]]:
    """Every current and former name of each region, folded for matching, and its code."""
    rows: dict[str, dict[str, Any]] = {}
    for row in pl.read_csv(path, infer_schema=False).iter_rows(named=True):
        current = normalise_label(row["name"])
        rows[current] = {"name_key": current, "region_code": row["code"], "is_current": True}
        for former in filter(None, (row["former_names"] or "").split(";")):
            key = normalise_label(former)
            rows.setdefault(key, {"name_key": key, "region_code": row["code"], "is_current": False})
    return list(rows.values())


def industry_rows(path: Path = REFERENCE_DIR / "gbt4754_2017.csv") -> list[dict[str, Any]]:
    """One dict per four-digit class with its group, division and section."""
    frame = pl.read_csv(path, infer_schema=False)
    names = {
        level: dict(zip(part[key], part["name"], strict=True))
        for level, key in (("1", "section"), ("2", "division"), ("3", "group"))
        for part in [frame.filter(pl.col("level") == level)]
    }
    classes = frame.filter(pl.col("level") == "4")
    return [
        {
            "industry_code": row["class"],
            "class_name": row["name"],
            "group_code": row["group"],
            "group_name": names["3"].get(
                row["group"], row["name"]
            ),  # e.g. 019 has no row of its own
            "division_code": row["division"],
            "division_name": names["2"][row["division"]],
            "section_code": row["section"],
            "section_name": names["1"][row["section"]],
            "is_industry": int(row["division"]) in INDUSTRY_DIVISIONS,
        }
        for row in classes.iter_rows(named=True)
    ]


def indicator_rows() -> list[dict[str, Any]]:
    """The indicator catalogue as rows of ``dim_indicator``."""
    return [entry._asdict() for entry in CATALOGUE]


def sync_table(connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> int:
    """Insert missing keys and update changed rows of a small dimension; return rows touched."""
    key_columns = [column.name for column in table.primary_key.columns]
    existing = {
        tuple(row[k] for k in key_columns): dict(row)
        for row in connection.execute(sa.select(table)).mappings()
    }
    inserts = [row for row in rows if tuple(row[k] for k in key_columns) not in existing]
    updates = [
        row
        for row in rows
        if (current := existing.get(tuple(row[k] for k in key_columns))) is not None
        and any(current[name] != value for name, value in row.items())
    ]
    if inserts:
        connection.execute(table.insert(), inserts)
    if updates:
        condition = sa.and_(*(table.c[k] == sa.bindparam(f"key_{k}") for k in key_columns))
        values: dict[str, Any] = {
            name: sa.bindparam(name) for name in updates[0] if name not in key_columns
        }
        connection.execute(
            table.update().where(condition).values(values),
            [{**row, **{f"key_{k}": row[k] for k in key_columns}} for row in updates],
        )
    return len(inserts) + len(updates)


def sync_reference(connection: sa.Connection) -> int:
    """Bring every reference dimension in line with the shipped files; return rows touched."""
    return (
        sync_table(connection, dim_region, region_rows())
        + sync_table(connection, dim_region_name, region_name_rows())
        + sync_table(connection, dim_industry, industry_rows())
        + sync_table(connection, dim_indicator, indicator_rows())
    )
