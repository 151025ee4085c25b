"""The one typed settings object: flags, then ``INDMON_*`` environment variables, then defaults."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

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
        from sqlalchemy.engine import make_url

        return make_url(self.warehouse_url).render_as_string(hide_password=True)
