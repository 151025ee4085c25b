"""The bureau's rules: a versioned TOML file, validated, and synced into the ``cfg_`` tables.

The marts that make the bureau's working lists (亩均效益评价, decline watch, cultivation,
zombie watch) read their thresholds, weights and cut-offs from small ``cfg_`` tables so
that they stay set-based SQL. ``sync_rules`` makes those tables equal to a rules file
(the shipped default, or a county's own) and says whether anything changed.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from warehouse.engine import is_postgresql
from warehouse.tables import (
    cfg_decline_level,
    cfg_decline_measure,
    cfg_evaluation_class,
    cfg_evaluation_indicator,
    cfg_exempt_division,
    cfg_rule,
    cfg_version,
)

DEFAULT_RULES = Path(__file__).parent / "reference" / "bureau_rules.toml"

Group = Literal["above_scale", "below_scale"]
IndicatorCode = Literal["per_mu_tax", "per_mu_revenue", "revenue_per_tce", "revenue_per_employee"]
Measure = Literal["electricity_kwh", "gross_output_yuan"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScoredIndicator(_Strict):
    """One indicator a group is scored on, with its weight and scoring method."""

    group: Group
    indicator: IndicatorCode
    weight: float = Field(gt=0)
    method: Literal["ratio", "min_max"]
    base: Literal["group_average"] | None = None
    base_value: float | None = Field(default=None, gt=0)
    cap: float | None = Field(default=None, gt=0)
    floor: float | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _method_parameters(self) -> ScoredIndicator:
        if self.method == "ratio" and (self.base is None) == (self.base_value is None):
            raise ValueError(
                "a ratio score needs exactly one of base = 'group_average' or base_value"
            )
        if self.method == "min_max" and self.floor is None:
            raise ValueError("a min_max score needs floor (the score of the lowest value)")
        return self


class EvaluationClass(_Strict):
    """A class and the rank percentile up to which an enterprise gets it."""

    name: Literal["A", "B", "C", "D"]
    max_rank_pct: float = Field(gt=0, le=100)


class Evaluation(_Strict):
    """亩均效益评价: scope, exemptions, scored indicators and class cut-offs."""

    exempt_divisions: list[str] = Field(default_factory=list)
    min_age_years: int = Field(ge=0)
    below_scale_min_land_mu: float = Field(ge=0)
    indicator: list[ScoredIndicator] = Field(min_length=1)
    class_: list[EvaluationClass] = Field(alias="class", min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Evaluation:
        keys = [(i.group, i.indicator) for i in self.indicator]
        if len(set(keys)) != len(keys):
            raise ValueError("an indicator is listed twice for one group")
        cuts = [c.max_rank_pct for c in self.class_]
        if cuts != sorted(cuts) or len(set(cuts)) != len(cuts) or cuts[-1] != 100:
            raise ValueError("class cut-offs must rise and the last must be 100")
        if any(len(d) != 2 or not d.isdigit() for d in self.exempt_divisions):
            raise ValueError("exempt_divisions are two-digit GB/T 4754 divisions, e.g. '44'")
        return self


class DeclineLevel(_Strict):
    """A warning colour, reached by consecutive months in decline or by depth of fall."""

    name: Literal["blue", "yellow", "orange", "red"]
    min_months: int = Field(ge=1)
    min_fall_pct: float = Field(gt=0)


class Decline(_Strict):
    """生产下滑预警: what counts as decline per measure, and the levels."""

    threshold_pct: dict[Measure, float]
    level: list[DeclineLevel] = Field(min_length=1)

    @model_validator(mode="after")
    def _rising_levels(self) -> Decline:
        months = [level.min_months for level in self.level]
        if months != sorted(months):
            raise ValueError("levels go from mildest to worst: min_months must not fall")
        return self


class Cultivation(_Strict):
    """入规培育: the threshold and the band around it."""

    threshold_yuan: float = Field(gt=0)
    band_lower: float = Field(gt=0)
    band_upper: float = Field(gt=0)
    recent_crossing_months: int = Field(ge=0)


class Zombie(_Strict):
    """僵尸企业线索: idle months in a row."""

    idle_months: int = Field(ge=1)


class BureauRules(_Strict):
    """The whole rules file."""

    version: str = Field(min_length=1, max_length=64)
    evaluation: Evaluation
    decline: Decline
    cultivation: Cultivation
    zombie: Zombie


class RulesError(ValueError):
    """A rules file that cannot be used, with the file and the offending key."""


def load_rules(path: Path | None = None) -> BureauRules:
    """Read and validate a rules file (the shipped default when ``path`` is None)."""
    path = path or DEFAULT_RULES
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise RulesError(f"{path}: cannot read the rules file: {error}") from error
    try:
        return BureauRules.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}" for e in error.errors()
        )
        raise RulesError(f"{path}: {problems}") from error


def rules_digest(rules: BureauRules) -> str:
    """SHA-256 of the rules' content (not the file's bytes: comments do not count)."""
    canonical = json.dumps(rules.model_dump(mode="json", by_alias=True), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _rows(rules: BureauRules) -> dict[sa.Table, list[dict[str, object]]]:
    evaluation, decline = rules.evaluation, rules.decline
    scalars = {
        "evaluation.min_age_years": evaluation.min_age_years,
        "evaluation.below_scale_min_land_mu": evaluation.below_scale_min_land_mu,
        "cultivation.threshold_yuan": rules.cultivation.threshold_yuan,
        "cultivation.band_lower": rules.cultivation.band_lower,
        "cultivation.band_upper": rules.cultivation.band_upper,
        "cultivation.recent_crossing_months": rules.cultivation.recent_crossing_months,
        "zombie.idle_months": rules.zombie.idle_months,
    }
    return {
        cfg_rule: [{"rule_key": k, "value": float(v)} for k, v in scalars.items()],
        cfg_exempt_division: [
            {"division_code": d} for d in sorted(set(evaluation.exempt_divisions))
        ],
        cfg_evaluation_indicator: [
            {
                "group_name": i.group,
                "indicator": i.indicator,
                "weight": i.weight,
                "method": i.method,
                "base": i.base,
                "base_value": i.base_value,
                "cap": i.cap,
                "floor_score": i.floor,
            }
            for i in evaluation.indicator
        ],
        cfg_evaluation_class: [
            {"class_name": c.name, "max_rank_pct": c.max_rank_pct} for c in evaluation.class_
        ],
        cfg_decline_measure: [
            {"measure": m, "threshold_pct": t} for m, t in decline.threshold_pct.items()
        ],
        cfg_decline_level: [
            {
                "level": level.name,
                "severity": n,
                "min_months": level.min_months,
                "min_fall_pct": level.min_fall_pct,
            }
            for n, level in enumerate(decline.level, start=1)
        ],
    }


def current_rules_version(connection: sa.Connection) -> str | None:
    """The version of the rules the marts use (None before the first sync)."""
    return connection.execute(
        sa.select(cfg_version.c.config_version).where(cfg_version.c.is_current)
    ).scalar()


def sync_rules(connection: sa.Connection, rules: BureauRules, source: str) -> bool:
    """Make the ``cfg_`` tables equal to ``rules``; return whether anything changed.

    Each distinct content is recorded once in ``cfg_version``; syncing the same rules
    again changes nothing.
    """
    if is_postgresql(connection):
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('indmon/cfg'))"))
    digest = rules_digest(rules)
    current = connection.execute(
        sa.select(cfg_version.c.sha256).where(cfg_version.c.is_current)
    ).scalar()
    if current == digest:
        return False
    for table, rows in _rows(rules).items():
        connection.execute(table.delete())
        if rows:
            connection.execute(table.insert(), rows)
    connection.execute(cfg_version.update().values(is_current=False))
    connection.execute(cfg_version.delete().where(cfg_version.c.sha256 == digest))
    connection.execute(
        cfg_version.insert().values(
            sha256=digest,
            config_version=rules.version,
            source=source,
            synced_at=datetime.now(UTC),
            is_current=True,
        )
    )
    return True
