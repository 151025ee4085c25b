"""Extracts pulled from a real SFTP server on loopback, archived by hash, replayed."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from indmon.catalogue import SOURCES, in_load_order
from indmon.landing import LandingUnavailable, archived_files, fetch_period, list_period
from indmon.settings import Settings
from indmon.steps import load_prepared, prepare_period, prepare_warehouse
from tests.conftest import warehouse_like
from tests.files import tax_row, write_tax_xlsx
from tests.landing.conftest import USER, archived, content, ledger
from tests.landing.sftp_server import LoopbackSFTPServer
from tests.warehouse.helpers import scalar
from warehouse.engine import create_warehouse_engine

PERIOD = "2022-03"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.usefixtures("prefect_harness")
def test_a_period_on_sftp_loads_like_the_same_period_in_a_local_folder(
    sftp_env: str,
    sftp_root: Path,
    sample_landing: Path,
    warehouse_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    from flows.monthly import monthly_load

    shutil.copytree(sample_landing, sftp_root / "landing")
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", warehouse_url)
    remote = monthly_load(PERIOD)
    assert {load.source: load.status for load in remote} == dict.fromkeys(SOURCES, "loaded")

    with warehouse_like(warehouse_url, tmp_path / "local", request) as local_url:
        monkeypatch.delenv("INDMON_LANDING")
        monkeypatch.delenv("INDMON_LANDING_OPTIONS")
        monkeypatch.setenv("INDMON_LANDING_DIR", str(sample_landing))
        monkeypatch.setenv("INDMON_WAREHOUSE_URL", local_url)
        local = monthly_load(PERIOD)
        assert [(x.source, x.status) for x in local] == [(x.source, x.status) for x in remote]
        remote_engine = create_warehouse_engine(warehouse_url)
        local_engine = create_warehouse_engine(local_url)
        try:
            assert content(remote_engine) == content(local_engine)
            assert ledger(remote_engine) == ledger(local_engine)
            assert content(remote_engine)["fact_tax"]
        finally:
            remote_engine.dispose()
            local_engine.dispose()

    # The ledger names the files as delivered, with the hashes of the delivered bytes.
    delivered = {p.name: _sha256(p) for p in sample_landing.rglob("*") if p.is_file()}
    engine = create_warehouse_engine(warehouse_url)
    assert {name: sha for _, name, sha, _ in ledger(engine)} == delivered
    engine.dispose()


def test_the_archive_holds_each_file_once_and_refetching_changes_nothing(
    sftp_env: str, sftp_root: Path, sample_landing: Path, archive_dir: Path
) -> None:
    remote = sftp_root / "landing"
    shutil.copytree(sample_landing, remote)
    # The same bytes delivered again for another month, and files that are no deliveries.
    folder = remote / "electricity" / "2022-03"
    shutil.copytree(folder, remote / "electricity" / "2022-04")
    (folder / "~$electricity_202203.csv").write_bytes(b"lock")
    (folder / ".partial.csv").write_bytes(b"upload in progress")
    (folder / "readme.txt").write_text("not an extract", encoding="utf-8")

    settings = Settings()
    march = fetch_period(settings, "electricity", PERIOD)
    april = fetch_period(settings, "electricity", "2022-04")
    assert [f.file_name for f in march] == ["electricity_202203.csv"]
    original = folder / "electricity_202203.csv"
    (landed,) = march
    assert landed.sha256 == _sha256(original)
    assert landed.size == original.stat().st_size
    assert landed.archive_path == archive_dir / "sha256" / landed.sha256[:2] / (
        f"{landed.sha256}.csv"
    )
    assert landed.archive_path.read_bytes() == original.read_bytes()
    assert landed.modified is not None
    assert int(landed.modified.timestamp()) == int(original.stat().st_mtime)
    assert [f.archive_path for f in april] == [landed.archive_path]
    assert list(archived(archive_dir)) == [landed.archive_path.relative_to(archive_dir).as_posix()]

    before = archived(archive_dir)
    assert fetch_period(settings, "electricity", PERIOD) == march
    assert archived(archive_dir) == before
    assert fetch_period(settings, "tax", "2021-01") == []
    assert list_period(settings, "electricity", PERIOD) == ["electricity_202203.csv"]


def test_a_changed_file_gets_a_new_archive_entry_and_the_old_one_is_kept(
    sftp_env: str, sftp_root: Path, archive_dir: Path, engine: sa.Engine
) -> None:
    from tests.files import code

    delivered = sftp_root / "landing" / "tax" / PERIOD / "税收_2022-03.xlsx"
    delivered.parent.mkdir(parents=True)
    write_tax_xlsx(delivered, [tax_row(code(1), "甲厂", 100.0), tax_row(code(2), "乙厂", 50.0)])
    settings = Settings()
    (first,) = fetch_period(settings, "tax", PERIOD)
    first_load = load_prepared(engine, prepare_period(SOURCES["tax"], PERIOD, [first]))
    first_bytes = first.archive_path.read_bytes()

    write_tax_xlsx(delivered, [tax_row(code(1), "甲厂", 120.0), tax_row(code(2), "乙厂", 50.0)])
    (second,) = fetch_period(settings, "tax", PERIOD)
    assert second.file_name == first.file_name
    assert second.sha256 == _sha256(delivered) != first.sha256
    assert second.archive_path != first.archive_path
    assert first.archive_path.read_bytes() == first_bytes
    assert sorted(archived(archive_dir)) == sorted(
        f.archive_path.relative_to(archive_dir).as_posix() for f in (first, second)
    )
    second_load = load_prepared(engine, prepare_period(SOURCES["tax"], PERIOD, [second]))
    assert second_load.status == "loaded"
    assert scalar(engine, "SELECT SUM(vat_yuan) FROM fact_tax WHERE period = '2022-03'") == 170.0

    # The ledger keeps both versions' hashes, and either load can be read back.
    assert [(n, s) for _, n, s, _ in ledger(engine)] == sorted(
        [(first.file_name, first.sha256), (second.file_name, second.sha256)]
    )
    assert [
        (f.file_name, f.sha256, f.archive_path, f.size)
        for f in archived_files(engine, archive_dir, "tax", PERIOD)
    ] == [(second.file_name, second.sha256, second.archive_path, second.size)]
    (old,) = archived_files(engine, archive_dir, "tax", PERIOD, load_id=first_load.load_id)
    assert (old.sha256, old.archive_path) == (first.sha256, first.archive_path)


def test_the_archive_replays_a_load_without_the_landing_location(
    sftp_env: str,
    sftp_root: Path,
    sample_landing: Path,
    archive_dir: Path,
    engine: sa.Engine,
    warehouse_url: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    shutil.copytree(sample_landing, sftp_root / "landing")
    settings = Settings()
    for source in in_load_order(list(SOURCES)):
        landed = fetch_period(settings, source.name, PERIOD)
        assert load_prepared(engine, prepare_period(source, PERIOD, landed)).status == "loaded"
    shutil.rmtree(sftp_root / "landing")  # the agencies' server no longer has them
    assert fetch_period(settings, "tax", PERIOD) == []

    with warehouse_like(warehouse_url, tmp_path / "replay", request) as url:
        replay = create_warehouse_engine(url)
        try:
            prepare_warehouse(replay)
            for source in in_load_order(list(SOURCES)):
                files = archived_files(engine, archive_dir, source.name, PERIOD)
                assert files, source.name
                prepared = prepare_period(source, PERIOD, files)
                assert load_prepared(replay, prepared).status == "loaded"
            assert content(replay) == content(engine)
            assert [r[:3] for r in ledger(replay)] == [r[:3] for r in ledger(engine)]
        finally:
            replay.dispose()


def test_a_wrong_password_is_refused_clearly_without_the_password(
    sftp_env: str,
    sftp_server: LoopbackSFTPServer,
    sftp_root: Path,
    sample_landing: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shutil.copytree(sample_landing, sftp_root / "landing")
    wrong = "Wr0ng-" + sftp_server.password[::-1]
    monkeypatch.setenv("INDMON_LANDING_OPTIONS", json.dumps({"username": USER, "password": wrong}))
    with pytest.raises(LandingUnavailable) as caught:
        fetch_period(Settings(), "tax", PERIOD)
    message = str(caught.value)
    assert "authentication failed" in message
    assert f"sftp://127.0.0.1:{sftp_server.port}/landing" in message
    assert wrong not in message and sftp_server.password not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__

    # A password written into the URL itself is masked just the same.
    monkeypatch.delenv("INDMON_LANDING_OPTIONS")
    monkeypatch.setenv(
        "INDMON_LANDING", f"sftp://{USER}:{wrong}@127.0.0.1:{sftp_server.port}/landing"
    )
    with pytest.raises(LandingUnavailable) as caught:
        fetch_period(Settings(), "tax", PERIOD)
    assert f"sftp://{USER}:****@127.0.0.1:{sftp_server.port}/landing" in str(caught.value)
    assert wrong not in str(caught.value)
    assert wrong not in repr(Settings())

    # With the right one in the URL, it works.
    monkeypatch.setenv(
        "INDMON_LANDING",
        f"sftp://{USER}:{sftp_server.password}@127.0.0.1:{sftp_server.port}/landing",
    )
    assert [f.file_name for f in fetch_period(Settings(), "tax", PERIOD)] == ["tax_2022-03.xlsx"]


@pytest.mark.usefixtures("prefect_harness")
def test_the_password_may_come_from_a_prefect_secret_block(
    sftp_server: LoopbackSFTPServer,
    sftp_root: Path,
    sample_landing: Path,
    archive_dir: Path,
) -> None:
    from prefect.blocks.system import Secret

    shutil.copytree(sample_landing, sftp_root / "landing")
    Secret(value=sftp_server.password).save("indmon-test-landing", overwrite=True)
    settings = Settings(
        landing=f"sftp://{USER}@127.0.0.1:{sftp_server.port}/landing",
        landing_secret_block="indmon-test-landing",
        archive_dir=archive_dir,
    )
    assert [f.file_name for f in fetch_period(settings, "registry", PERIOD)] == [
        "registry_2022-03.csv"
    ]
    options = json.dumps({"username": USER, "password": sftp_server.password})
    Secret(value=options).save("indmon-test-landing-options", overwrite=True)
    settings = settings.with_overrides(
        landing=f"sftp://127.0.0.1:{sftp_server.port}/landing",
        landing_secret_block="indmon-test-landing-options",
    )
    assert [f.file_name for f in fetch_period(settings, "tax", PERIOD)] == ["tax_2022-03.xlsx"]


@pytest.mark.usefixtures("prefect_harness")
def test_indmon_run_takes_the_landing_url_as_its_flag(
    sftp_env: str,
    sftp_root: Path,
    sample_landing: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    from indmon.cli import app

    shutil.copytree(sample_landing, sftp_root / "landing")
    warehouse = f"sqlite:///{tmp_path / 'cli.db'}"
    # The CLI hands its flags to the flow through the environment: restore it afterwards.
    monkeypatch.setenv("INDMON_LANDING", str(tmp_path / "not-here"))
    monkeypatch.setenv("INDMON_LANDING_DIR", str(tmp_path / "not-here"))
    monkeypatch.setenv("INDMON_WAREHOUSE_URL", warehouse)
    runner = CliRunner(env={"COLUMNS": "160"})
    result = runner.invoke(app, ["run", "--period", PERIOD, "--landing", sftp_env])
    assert result.exit_code == 0, result.output
    assert "tax_2022-03.xlsx" in result.output and "loaded" in result.output
    engine = create_warehouse_engine(warehouse)
    assert scalar(engine, "SELECT COUNT(DISTINCT source) FROM ingest_ledger") == len(SOURCES)
    engine.dispose()
