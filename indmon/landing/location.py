"""The landing location: a local folder or any fsspec URL, opened with its credentials.

Credentials never sit in code or in the URL shown to anyone: storage options (user
name, password, key file, port, ...) come from ``INDMON_LANDING_OPTIONS`` (a JSON object)
and/or a Prefect ``Secret`` block named by ``INDMON_LANDING_SECRET_BLOCK`` (a password,
or a JSON object of storage options); a protocol's own environment (``AWS_*`` for S3)
works as usual. A password written into the URL itself is accepted but masked in every
message, as are the passwords of the storage options.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import unquote, urlsplit

import fsspec
from fsspec import AbstractFileSystem

from indmon.alerts.secrets import MASK, scrub
from indmon.settings import Settings
from sources.landing import landing_period

#: Storage option names whose values are secrets (masked in every message).
SECRET_OPTION_WORDS = ("pass", "secret", "token", "key", "credential")


class LandingUnavailable(Exception):
    """The landing location cannot be reached or read; the message holds no secret."""


@dataclass(frozen=True)
class LandingLocation:
    """An opened landing location: its file system, the root path in it, how it is shown."""

    fs: AbstractFileSystem
    root: str
    shown: str
    secrets: frozenset[str]

    def folder(self, source: str, period: str) -> str:
        """The path of ``<landing>/<source>/<period>`` in :attr:`fs` (a year for yearly sources)."""
        return f"{self.root.rstrip('/')}/{source}/{landing_period(source, period)}"

    def describe(self, error: BaseException) -> str:
        """What went wrong, for a person: the error's first line with every secret masked."""
        return scrub(describe_error(error), self.secrets)


def mask_location(location: str) -> str:
    """``location`` safe to print: a password in the URL replaced by ``****``."""
    try:
        parts = urlsplit(location)
        password = parts.password
    except ValueError:
        return MASK
    if not password:
        return location
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return parts._replace(netloc=f"{user}:{MASK}@{hostport}").geturl()


def _secret_values(options: Mapping[str, Any]) -> set[str]:
    return {
        str(value)
        for key, value in options.items()
        if any(word in key.lower() for word in SECRET_OPTION_WORDS) and value
    }


def _block_options(block_name: str) -> dict[str, Any]:
    """The storage options a Prefect ``Secret`` block holds: a password or a JSON object."""
    from prefect.blocks.system import Secret

    try:
        block = cast(Secret, Secret.load(block_name, _sync=True))  # type: ignore[call-arg]
        value = block.get()
    except ValueError as error:
        raise LandingUnavailable(
            f"the Prefect Secret block {block_name!r} of the landing location cannot be"
            f" loaded ({describe_error(error)})"
        ) from None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return {"password": value}
    if not isinstance(value, dict):
        return {"password": str(value)}
    return dict(value)


def storage_options(settings: Settings) -> dict[str, Any]:
    """The fsspec storage options of the landing location: Secret block, then environment."""
    options: dict[str, Any] = {}
    if settings.landing_secret_block:
        options.update(_block_options(settings.landing_secret_block))
    if settings.landing_options is not None:
        try:
            given = json.loads(settings.landing_options.get_secret_value())
        except json.JSONDecodeError as error:
            raise LandingUnavailable(
                f"INDMON_LANDING_OPTIONS is not a JSON object (position {error.pos})"
            ) from None
        if not isinstance(given, dict):
            raise LandingUnavailable("INDMON_LANDING_OPTIONS is not a JSON object")
        options.update(given)
    return options


def describe_error(error: BaseException) -> str:
    """An error as one line: authentication failures said plainly, else class and message."""
    name = type(error).__name__
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if "Authentication" in name or "authentication failed" in text.lower():
        return (
            "authentication failed: check the user name and the password"
            " (INDMON_LANDING_OPTIONS or the Prefect Secret block)"
        )
    return f"{name}: {text}" if text else name


@contextmanager
def open_landing(settings: Settings) -> Iterator[LandingLocation]:
    """Open the landing location of ``settings``; the connection is closed afterwards.

    Raises :class:`LandingUnavailable` (message without secrets) when it cannot be opened.
    """
    location = settings.landing_location
    shown = mask_location(location)
    options = storage_options(settings)
    secrets = _secret_values(options)
    try:
        password = urlsplit(location).password
    except ValueError:
        password = None
    if password:
        secrets |= {password, unquote(password)}
    try:
        fs, root = fsspec.core.url_to_fs(location, skip_instance_cache=True, **options)
    except ImportError as error:
        raise LandingUnavailable(
            f"the landing location {shown} needs a package that is not installed: {error}"
        ) from None
    except Exception as error:
        raise LandingUnavailable(
            f"cannot open the landing location {shown}: {scrub(describe_error(error), secrets)}"
        ) from None
    try:
        yield LandingLocation(fs, root, shown, frozenset(secrets))
    finally:
        client = getattr(fs, "client", None)  # SFTP: close the SSH connection
        if client is not None and hasattr(client, "close"):
            client.close()
