"""The one typed settings object: flags, then ``INDMON_*`` environment variables, then defaults."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url

DEFAULT_WAREHOUSE = Path("var") / "indmon.db"


class SqlSource(BaseModel):
    """A source read from a query against another database instead of landed files.

    The query's columns carry the agency's headers and it takes a ``:period`` parameter
    (``YYYY-MM``). The database URL is given by the name of the environment variable that
    holds it (``url_env``, so that its password stays out of configuration files), or as
    ``url`` for a database without a password.
    """

    query: str
    url_env: str | None = None
    url: str | None = None

    @field_validator("query")
    @classmethod
    def _takes_period(cls, query: str) -> str:
        if ":period" not in query:
            raise ValueError("the query must take the month as the parameter :period")
        return query

    @model_validator(mode="after")
    def _one_url(self) -> SqlSource:
        if (self.url_env is None) == (self.url is None):
            raise ValueError("give exactly one of url_env (recommended) or url")
        return self


class Settings(BaseSettings):
    """Configuration for one invocation, built at the entry point and passed in."""

    model_config = SettingsConfigDict(env_prefix="INDMON_", extra="ignore")

    landing_dir: Path = Field(
        default=Path("landing"),
        description="Root of the landing tree <landing>/<source>/<YYYY-MM>/<file>.",
    )
    landing: str | None = Field(
        default=None,
        repr=False,  # a URL may carry a password
        description="Landing location: a folder or an fsspec URL (sftp://, s3://, smb://, "
        "file://); default landing_dir.",
    )
    landing_options: SecretStr | None = Field(
        default=None,
        description="fsspec storage options of the landing location (JSON object), "
        "e.g. username, password, port.",
    )
    landing_secret_block: str | None = Field(
        default=None,
        description="Name of a Prefect Secret block holding the landing password, or a JSON "
        "object of storage options.",
    )
    archive_dir: Path | None = Field(
        default=None,
        description="Where fetched files are kept by SHA-256; default beside the warehouse.",
    )
    sql_sources: dict[str, SqlSource] = Field(
        default_factory=dict,
        description="Sources read from a SQL query instead of files (JSON object by source).",
    )
    sql_sources_file: Path | None = Field(
        default=None,
        description="A TOML file of SQL sources, one table per source (query, url_env).",
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
    report_dir: Path | None = Field(
        default=None,
        description="Where monthly reports are written; default `reports` beside the warehouse.",
    )
    evaluation_config: Path | None = Field(
        default=None,
        description="The bureau's rules file (TOML); default: the one shipped with indmon.",
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

    @model_validator(mode="after")
    def _landing_and_sql_sources(self) -> Settings:
        local = local_landing_path(self.landing) if self.landing else None
        if local is not None:
            self.landing_dir = local
        if self.sql_sources_file is not None:
            with self.sql_sources_file.open("rb") as handle:
                listed = tomllib.load(handle)
            from_file = {name: SqlSource.model_validate(v) for name, v in listed.items()}
            self.sql_sources = {**from_file, **self.sql_sources}
        return self

    def with_overrides(self, **overrides: object) -> Settings:
        """A copy with the flags the user gave (None means 'not given')."""
        given = {key: value for key, value in overrides.items() if value is not None}
        landing = given.get("landing")
        if isinstance(landing, str) and (local := local_landing_path(landing)) is not None:
            given.setdefault("landing_dir", local)
        elif "landing_dir" in given and "landing" not in given:
            given["landing"] = None
        return self.model_copy(update=given)

    @property
    def landing_location(self) -> str:
        """Where extracts land: the configured URL, else the landing folder."""
        return self.landing or str(self.landing_dir)

    @property
    def resolved_archive_dir(self) -> Path:
        """The archive of fetched files: as configured, else beside a SQLite warehouse."""
        if self.archive_dir is not None:
            return self.archive_dir
        url = make_url(self.warehouse_url)
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            return Path(url.database).parent / "archive"
        return Path("var") / "archive"

    @property
    def safe_warehouse_url(self) -> str:
        """The warehouse URL with any password masked, for messages and logs."""
        return make_url(self.warehouse_url).render_as_string(hide_password=True)

    @property
    def resolved_data_docs_dir(self) -> Path:
        """The Data Docs folder: as configured, else beside a SQLite warehouse, else ./var."""
        from warehouse.quality import default_data_docs_dir

        return self.data_docs_dir or default_data_docs_dir(self.warehouse_url)

    @property
    def resolved_report_dir(self) -> Path:
        """The monthly reports' folder: as configured, else ``reports`` beside a SQLite
        warehouse (``var/reports`` for ``var/indmon.db``), else ``./var/reports``."""
        from warehouse.quality import default_data_docs_dir

        return self.report_dir or default_data_docs_dir(self.warehouse_url).parent / "reports"


def local_landing_path(location: str) -> Path | None:
    """The folder a landing location names when it is local (a path or ``file://``), else None."""
    if location.startswith("file://"):
        return Path(location.removeprefix("file://"))
    if "://" in location:
        return None
    return Path(location)
