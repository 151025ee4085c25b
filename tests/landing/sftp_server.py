"""A real SFTP server on loopback for the tests: asyncssh in a background event loop.

It listens on 127.0.0.1 with an ephemeral port and a fresh host key, accepts one user
with a password, and serves a folder as its root (``sftp://127.0.0.1:<port>/`` is
``root``).
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import asyncssh


class _PasswordOnly(asyncssh.SSHServer):
    """Password authentication for one user; nothing else."""

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self.password = password

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def public_key_auth_supported(self) -> bool:
        return False

    def validate_password(self, username: str, password: str) -> bool:
        return username == self.username and password == self.password


class _RootedSFTP(asyncssh.SFTPServer):
    """An SFTP session confined to the served folder."""

    def __init__(self, channel: asyncssh.SSHServerChannel, root: Path) -> None:
        super().__init__(channel, chroot=str(root).encode())


class LoopbackSFTPServer:
    """Start with :meth:`start`, stop with :meth:`stop`; ``port`` is known once started."""

    def __init__(self, root: Path, username: str, password: str) -> None:
        self.root = root
        self.username = username
        self.password = password
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncssh.SSHAcceptor | None = None

    async def _listen(self) -> asyncssh.SSHAcceptor:
        return await asyncssh.listen(
            "127.0.0.1",
            0,
            server_host_keys=[asyncssh.generate_private_key("ssh-ed25519")],
            server_factory=lambda: _PasswordOnly(self.username, self.password),
            sftp_factory=lambda channel: _RootedSFTP(channel, self.root),
            allow_scp=False,
        )

    def start(self) -> LoopbackSFTPServer:
        """Listen on loopback and serve in a background thread."""
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(30)
        self.port = self._server.get_port()
        return self

    def stop(self) -> None:
        """Close the server and its event loop."""
        if self._server is not None:
            server = self._server

            async def close() -> None:
                server.close()
                await server.wait_closed()
                sessions = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
                for session in sessions:
                    session.cancel()
                await asyncio.gather(*sessions, return_exceptions=True)

            asyncio.run_coroutine_threadsafe(close(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(30)
        self._loop.close()
