"""Alert URLs carry passwords and tokens: parse them, mask them, keep them out of logs."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import apprise

MASK = "****"
_TOKENISH = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[\w\-.~]{16,}$|^[\w\-.~]{32,}$")
_SECRET_KEYS = ("token", "key", "secret", "pass", "pwd", "sign", "auth", "webhook")
_MIN_SECRET = 3
LOGGERS = ("apprise", "urllib3.connectionpool")
"""Loggers that may print an alert URL's secrets while sending."""


def parse_alert_urls(text: str | None) -> list[str]:
    """The Apprise URLs of a comma-separated value (``INDMON_ALERT_URLS``), blanks dropped."""
    if not text:
        return []
    return [part.strip() for part in text.split(",") if part.strip()]


def mask_url(url: str) -> str:
    """``url`` safe to store and print: no password, token or query string.

    Apprise's own privacy rendering is used where it knows the scheme, without the query;
    a password and any token-like part left over are replaced by ``****``.
    """
    shown = _privacy_rendering(url) or url.strip()
    parts = urlsplit(shown)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        user, has_password, _ = userinfo.partition(":")
        netloc = f"{user}:{MASK}@{hostport}" if has_password else f"{user}@{hostport}"
    path = "/".join(MASK if _TOKENISH.match(unquote(s)) else s for s in parts.path.split("/"))
    masked = f"{parts.scheme}://{netloc}{path.rstrip('/')}" if parts.scheme else MASK
    return scrub(masked, url_secrets(url))


def url_secrets(url: str) -> set[str]:
    """The parts of ``url`` that must never be stored or logged (both raw and %-quoted)."""
    found = _plain_secrets(url)
    private = _privacy_rendering(url)
    if private is not None:
        private = unquote(private)
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return found
    user = unquote(parts.netloc.rpartition("@")[0].partition(":")[0])
    pieces = [user, _raw_host(parts.netloc), *parts.path.split("/")]
    for piece in pieces:
        value = unquote(piece)
        if value and private is not None and value not in private:
            found.add(value)
    found = {s for s in found if len(s) >= _MIN_SECRET}
    return found | {quote(s, safe="") for s in found}


def _plain_secrets(url: str) -> set[str]:
    """Secrets found without Apprise: the password, token-like parts, secret query values."""
    try:
        parts = urlsplit(url.strip())
        hostname = parts.hostname
        password = parts.password
    except ValueError:
        return {url.strip()}
    found: set[str] = set()
    if password:
        found.add(password)
    pieces = [hostname or "", _raw_host(parts.netloc), *parts.path.split("/")]
    for piece in pieces:
        value = unquote(piece)
        if _TOKENISH.match(value):
            found.add(value)
    for key, value in parse_qsl(parts.query, keep_blank_values=False):
        if any(word in key.lower() for word in _SECRET_KEYS) or _TOKENISH.match(value):
            found.add(value)
    return {s for s in found if len(s) >= _MIN_SECRET}


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced by ``****`` (longest first)."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


class ScrubFilter(logging.Filter):
    """Rewrites a log record so that none of the secrets appears in it, traceback included."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = set(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        record.msg = scrub(message, self.secrets)
        record.args = None
        return True


class _Collect(logging.Handler):
    """Keeps the (already scrubbed) warnings and errors of one sending attempt."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def scrubbed_logs(secrets: Iterable[str]) -> Iterator[list[str]]:
    """While open, apprise's log records are scrubbed of ``secrets`` and its warnings kept.

    Yields the list the warnings are appended to (the caller may clear it per attempt).
    """
    scrubber = ScrubFilter(secrets)
    collect = _Collect()
    loggers = [logging.getLogger(name) for name in LOGGERS]
    apprise_logger = loggers[0]
    level = apprise_logger.level
    if apprise_logger.getEffectiveLevel() > logging.WARNING:
        apprise_logger.setLevel(logging.WARNING)
    for logger in loggers:
        logger.addFilter(scrubber)
    apprise_logger.addHandler(collect)
    try:
        yield collect.messages
    finally:
        apprise_logger.removeHandler(collect)
        for logger in loggers:
            logger.removeFilter(scrubber)
        apprise_logger.setLevel(level)


def _raw_host(netloc: str) -> str:
    host = netloc.rpartition("@")[2]
    return host if host.startswith("[") else host.split(":")[0]


def _privacy_rendering(url: str) -> str | None:
    """Apprise's own rendering of ``url`` with secrets elided, or None if it rejects it."""
    with scrubbed_logs(_plain_secrets(url)):
        try:
            plugin = apprise.Apprise.instantiate(url.strip())
        except Exception:
            return None
    return str(plugin.url(privacy=True)) if plugin else None
