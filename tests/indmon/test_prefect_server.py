"""The CLI starts the temporary Prefect server in the background, only when none is set."""

from __future__ import annotations

import pytest

from indmon.cli import _server_started, _start_prefect_server


@pytest.mark.usefixtures("prefect_harness")
def test_no_temporary_server_when_a_prefect_server_is_set() -> None:
    assert _start_prefect_server() is None


def test_a_server_that_fails_to_start_is_left_to_prefect(monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    attempts: list[int] = []

    def fail(self: SubprocessASGIServer, timeout: int | None = None) -> None:
        attempts.append(1)
        raise RuntimeError("port taken")

    monkeypatch.setattr(SubprocessASGIServer, "start", fail)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        server = _start_prefect_server()
        assert server is not None
        _server_started(server)  # returns: the first flow's own start reports the failure
    assert attempts == [1] and not server.is_alive()
