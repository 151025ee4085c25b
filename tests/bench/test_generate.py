"""The benchmark's generated register changes as a real one does between two months."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from bench.generate import generate
from sources import registry

ATTRIBUTES = ("name", "industry_code", "land_mu", "established_on", "above_scale")


def test_a_register_snapshot_changes_about_one_enterprise_in_a_hundred(tmp_path: Path) -> None:
    generate(tmp_path, scale=0.02)
    history, measured = (
        registry.read(next((tmp_path / "registry" / period).iterdir())).rows
        for period in ("2022-02", "2022-03")
    )
    both = history.join(measured, on="credit_code", suffix="_next")
    changed = both.filter(
        pl.any_horizontal(pl.col(c).ne_missing(pl.col(f"{c}_next")) for c in ATTRIBUTES)
    )
    # register_month changes 1 % (land area and key-enterprise flag); what the register
    # lacks (a land area never entered) lacks it every month.
    assert both.height > 7_000
    assert 0.003 * both.height < changed.height < 0.02 * both.height
    assert history["land_mu"].null_count() > 0.05 * history.height
