"""The one typed settings object: flags, then ``INDMON_*`` environment variables, then defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url

DEFAULT_WAREHOUSE = Path("var") / "indmon.db"


class Settings(BaseSettings):
    """Configuration for one invocation, built at the entry point and passed in."""

    model_config = SettingsConfigDict(env_prefix="INDMON_", extra="ignore")

    landing_dir: Path = Field(
        default=Path("landing"),
        description="Root of the landing tree <landing>/<source>/<YYYY-MM>/<file>.",
    )
    warehouse_url: str = Field(
        default=f"sqlite:///{DEFAULT_WAREHOUSE.as_posix()}",
        description="SQLAlchemy URL of the warehouse (SQLite or PostgreSQL).",
    )

    alert_urls: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Apprise URLs alerts are sent to, comma-separated; none = table only.",
    )
    data_docs_dir: Path | None = Field(
        default=None,
        description="Where the quality Data Docs site is written; default beside the warehouse.",
    )
    arrival_days: dict[str, int] = Field(
        default_factory=lambda: {"electricity": 5, "tax": 12, "statistics": 15},
        description="Day of the following month by which each source is due (JSON object).",
    )

    task_runner: Literal["threads", "dask"] = Field(
        default="threads",
        description="Where reading and validating fan out: a thread pool, or a Dask cluster.",
    )
    dask_address: str | None = Field(
        default=None,
        description="Scheduler address of a running Dask cluster (tcp://host:8786); "
        "none = a local cluster started for the run.",
    )
    dask_workers: int = Field(default=2, ge=1, description="Workers of a local Dask cluster.")
    lease_minutes: float = Field(
        default=120, gt=0, description="How long a run's lease on a source-period lasts."
    )
    lease_wait_minutes: float = Field(
        default=60,
        ge=0,
        description="How long a run waits for another run of the same source-period.",
    )

    @field_validator("alert_urls", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        from indmon.alerts.secrets import parse_alert_urls

        return parse_alert_urls(value) if isinstance(value, str) else value

    @field_validator("warehouse_url")
    @classmethod
    def _supported_backend(cls, url: str) -> str:
        if not url.startswith(("sqlite", "postgresql")):
            raise ValueError(f"unsupported warehouse URL {url!r}: use sqlite:/// or postgresql://")
        return url

    def with_overrides(self, **overrides: object) -> Settings:
        """A copy with the flags the user gave (None means 'not given')."""
        given = {key: value for key, value in overrides.items() if value is not None}
        return self.model_copy(update=given)

    @property
    def safe_warehouse_url(self) -> str:
        """The warehouse URL with any password masked, for messages and logs."""
        return make_url(self.warehouse_url).render_as_string(hide_password=True)

    @property
    def resolved_data_docs_dir(self) -> Path:
        """The Data Docs folder: as configured, else beside a SQLite warehouse, else ./var."""
        from warehouse.quality import default_data_docs_dir

        return self.data_docs_dir or default_data_docs_dir(self.warehouse_url)
