"""Landing and SQL-source settings: where extracts land, how credentials are kept out of sight."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from indmon.landing import mask_location
from indmon.settings import Settings


def test_a_local_landing_location_is_the_landing_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INDMON_LANDING", raising=False)
    monkeypatch.setenv("INDMON_LANDING_DIR", str(tmp_path / "old"))
    assert Settings().landing_location == str(tmp_path / "old")
    monkeypatch.setenv("INDMON_LANDING", f"file://{tmp_path / 'new'}")
    assert Settings().landing_dir == tmp_path / "new"
    monkeypatch.setenv("INDMON_LANDING", "sftp://bureau@10.0.0.5:2222/outgoing")
    remote = Settings()
    assert remote.landing_location == "sftp://bureau@10.0.0.5:2222/outgoing"
    # A flag given as a folder wins over a URL in the environment, and the other way round.
    assert remote.with_overrides(landing=str(tmp_path)).landing_dir == tmp_path
    assert remote.with_overrides(landing_dir=tmp_path).landing_location == str(tmp_path)
    assert Settings().with_overrides(landing="s3://bucket/extracts").landing_location == (
        "s3://bucket/extracts"
    )


def test_passwords_are_masked_and_kept_out_of_the_settings_repr(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert mask_location("sftp://bureau:pa55word@host:22/in") == "sftp://bureau:****@host:22/in"
    assert mask_location("sftp://bureau@host/in") == "sftp://bureau@host/in"
    assert mask_location("/srv/landing") == "/srv/landing"
    monkeypatch.setenv("INDMON_LANDING", "sftp://bureau:pa55word@host:22/in")
    monkeypatch.setenv("INDMON_LANDING_OPTIONS", json.dumps({"password": "0ther-pa55"}))
    shown = repr(Settings())
    assert "pa55word" not in shown and "0ther-pa55" not in shown


def test_sql_sources_from_a_toml_file_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = tmp_path / "sql-sources.toml"
    listed.write_text(
        '[tax]\nurl_env = "TAX_EXCHANGE_URL"\n'
        "query = '''\nSELECT * FROM v_tax WHERE \"所属期\" = :period\n'''\n"
        '[electricity]\nurl_env = "GRID_URL"\nquery = "SELECT * FROM v_kwh WHERE ym = :period"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("INDMON_SQL_SOURCES_FILE", str(listed))
    monkeypatch.setenv(
        "INDMON_SQL_SOURCES",
        json.dumps({"electricity": {"url": "sqlite:///grid.db", "query": "SELECT :period"}}),
    )
    settings = Settings()
    assert settings.sql_sources["tax"].url_env == "TAX_EXCHANGE_URL"
    assert '"所属期" = :period' in settings.sql_sources["tax"].query
    assert settings.sql_sources["electricity"].url == "sqlite:///grid.db"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"url_env": "X", "query": "SELECT * FROM v_tax"}, ":period"),
        ({"query": "SELECT :period"}, "url_env"),
        ({"url_env": "X", "url": "sqlite://", "query": "SELECT :period"}, "exactly one"),
    ],
)
def test_a_sql_source_needs_a_period_parameter_and_one_url(
    config: dict[str, str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INDMON_SQL_SOURCES", json.dumps({"tax": config}))
    with pytest.raises(ValidationError, match=message):
        Settings()
