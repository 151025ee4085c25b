"""Shared fixtures: warehouses on SQLite and PostgreSQL, one Prefect harness per session.

PostgreSQL is the server at ``INDMON_TEST_POSTGRES_URL`` (default 127.0.0.1:5432, database
``test``, trust auth). Each test gets a database of its own, created and dropped here.
With ``CI=true`` a missing server is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from indmon.steps import prepare_warehouse
from warehouse.engine import create_warehouse_engine

BACKENDS = ["sqlite", "postgresql"]
SAMPLES = Path(__file__).resolve().parents[1] / "tests" / "data" / "samples"
POSTGRES_URL = os.environ.get(
    "INDMON_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_available() -> str | None:
    try:
        engine = sa.create_engine(POSTGRES_URL)
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as error:
        return str(error).splitlines()[0]
    return None


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[sa.Engine]:
    """An AUTOCOMMIT engine on the server's ``test`` database, for CREATE/DROP DATABASE."""
    problem = _postgres_available()
    if problem:
        message = f"PostgreSQL not reachable at {POSTGRES_URL}: {problem}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    engine = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@contextmanager
def fresh_warehouse(kind: str, folder: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a new, empty warehouse of ``kind``, dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'warehouse.db'}"
        return
    admin: sa.Engine = request.getfixturevalue("postgres_admin")
    name = f"indmon_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def warehouse_like(
    warehouse_url: str, folder: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """The URL of a second new, empty warehouse on ``warehouse_url``'s backend (a SQLite
    file in ``folder``, created if needed), dropped afterwards."""
    kind = "postgresql" if warehouse_url.startswith("postgresql") else "sqlite"
    folder.mkdir(parents=True, exist_ok=True)
    with fresh_warehouse(kind, folder, request) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def warehouse_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty warehouse on each backend."""
    with fresh_warehouse(request.param, tmp_path, request) as url:
        yield url


@pytest.fixture(autouse=True)
def own_indmon_environment() -> Iterator[None]:
    """Each test starts from the session's ``INDMON_*`` variables and leaves them so.

    The CLI exports its flags (warehouse, landing, rules file) to the environment for the
    flows it starts; without this a test's ``--evaluation-config`` would reach every later
    test in the session.
    """
    saved = {k: v for k, v in os.environ.items() if k.startswith("INDMON_")}
    yield
    for key in [k for k in os.environ if k.startswith("INDMON_") and k not in saved]:
        del os.environ[key]
    os.environ.update(saved)


@pytest.fixture
def engine(warehouse_url: str) -> Iterator[sa.Engine]:
    """An engine on an upgraded warehouse with reference data synced."""
    engine = create_warehouse_engine(warehouse_url)
    prepare_warehouse(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server for the whole session, with telemetry off."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    """An empty landing folder."""
    folder = tmp_path / "landing"
    folder.mkdir()
    return folder


@pytest.fixture
def sample_landing(landing: Path) -> Path:
    """The agencies' sample files of 2022-03 (targets: of 2022) laid out as a landing tree."""
    for source, name in (
        ("registry", "registry_2022-03.csv"),
        ("electricity", "electricity_202203.csv"),
        ("tax", "tax_2022-03.xlsx"),
        ("statistics", "statistics_2022-03.xlsx"),
        ("indicators", "indicators_2022-03.csv"),
        ("projects", "projects_2022-03.xlsx"),
        ("targets", "targets_2022.csv"),
    ):
        folder = landing / source / ("2022" if source == "targets" else "2022-03")
        folder.mkdir(parents=True)
        shutil.copy(SAMPLES / name, folder / name)
    return landing
