"""SQL sources: a query against an agency's data-exchange database, fetched like a file.

The query (``settings.sql_sources[source]``) runs with ``:period`` bound to the month; its
result is written in the canonical rows format (:mod:`sources.rows`), archived by SHA-256
and then read through the source's own reader and contract like any delivered file, under
the name ``sql:<source>``. An unchanged view gives the same bytes, so a re-run is
``unchanged``; no rows for the month means nothing has been delivered yet.
"""

from __future__ import annotations

import os

import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from indmon.alerts.secrets import scrub
from indmon.landing.archive import archive_bytes
from indmon.landing.fetch import LandedFile
from indmon.landing.location import LandingUnavailable, describe_error
from indmon.settings import Settings, SqlSource
from sources.rows import rows_bytes
from sources.tabular import ROWS_SUFFIX


def query_name(source: str) -> str:
    """The delivered name of a SQL source's rows: ``sql:<source>``."""
    return f"sql:{source}"


def source_url(name: str, config: SqlSource) -> str:
    """The database URL of a SQL source, from the environment variable it names."""
    if config.url is not None:
        return config.url
    assert config.url_env is not None
    url = os.environ.get(config.url_env)
    if not url:
        raise LandingUnavailable(f"{name}: the environment variable {config.url_env} is not set")
    return url


def run_query(name: str, url: str, query: str, period: str) -> pl.DataFrame:
    """The query's result for ``period`` as a frame, every column as the database typed it."""
    parsed = make_url(url)
    shown = parsed.render_as_string(hide_password=True)
    secrets = {parsed.password} if parsed.password else set()
    engine = sa.create_engine(url, pool_pre_ping=False)
    try:
        with engine.connect() as connection:
            frame = pl.read_database(
                sa.text(query),
                connection,
                execute_options={"parameters": {"period": period}},
                infer_schema_length=None,
            )
    except sa.exc.SQLAlchemyError as error:
        cause = error.orig if isinstance(error, sa.exc.DBAPIError) and error.orig else error
        raise LandingUnavailable(
            f"{name}: the query cannot be run on {shown}: "
            f"{scrub(describe_error(cause), {str(s) for s in secrets})}"
        ) from None
    finally:
        engine.dispose()
    assert isinstance(frame, pl.DataFrame)
    return frame


def fetch_query(settings: Settings, source: str, period: str) -> list[LandedFile]:
    """Run a SQL source's query for ``period`` and archive its rows; [] when it has none."""
    config = settings.sql_sources[source]
    name = query_name(source)
    frame = run_query(name, source_url(name, config), config.query, period)
    if frame.height == 0:
        return []
    archived = archive_bytes(settings.resolved_archive_dir, rows_bytes(frame), ROWS_SUFFIX)
    return [LandedFile(name, archived.path, archived.sha256, archived.size)]
