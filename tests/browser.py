"""Drive a headless Chromium from tests: the DOM as rendered, and screenshots.

Only the Debian ``chromium`` binary and the standard library: each call starts a fresh
browser with an empty profile (``--dump-dom`` or ``--screenshot``) and waits for it to exit.
The flags keep Chromium off the network: no background requests, updates or sync, and no
host name resolves (loopback excepted), so a page's remote assets (CDN scripts, stylesheets,
fonts) fail to load at once, the same on every machine, as on one without internet access.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
)
TIMEOUT_SECONDS = 60


def find_chromium() -> str | None:
    """The Chromium binary: ``/usr/bin/chromium``, else ``chromium`` on PATH, else None."""
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    return shutil.which("chromium")


def require_chromium() -> str:
    """The Chromium binary; without one, fail the test under ``CI=true``, else skip it."""
    binary = find_chromium()
    if binary is None:
        message = (
            f"Chromium not found ({CHROMIUM} or `chromium` on PATH); "
            "install it with `apt-get install -y chromium` (.ci/run does)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return binary


def _run(binary: str, *arguments: str) -> str:
    """Run a headless Chromium with a new empty profile; its stdout."""
    with tempfile.TemporaryDirectory(prefix="indmon-chromium-") as profile:
        command = [binary, *HEADLESS_FLAGS, f"--user-data-dir={profile}", *arguments]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    if result.returncode != 0:
        raise RuntimeError(
            f"chromium exited with {result.returncode}: {' '.join(command)}\n{result.stderr}"
        )
    return result.stdout


def dump_dom(binary: str, page: Path) -> str:
    """The DOM of the local file ``page`` as Chromium serializes it after loading."""
    dom = _run(binary, "--dump-dom", page.resolve().as_uri())
    if not dom.strip():
        raise RuntimeError(f"chromium returned an empty DOM for {page}")
    return dom


def screenshot(
    binary: str, page: Path, target: Path, *, width: int = 1280, height: int = 2000
) -> Path:
    """Save a PNG of the local file ``page`` at ``width`` x ``height`` to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    _run(
        binary,
        f"--window-size={width},{height}",
        f"--screenshot={target.resolve()}",
        page.resolve().as_uri(),
    )
    if not target.is_file():
        raise RuntimeError(f"chromium wrote no screenshot for {page} to {target}")
    return target


@dataclass
class Row:
    """One table row of a rendered page: its text and the classes of its ``<i>`` icons."""

    text: str
    icons: list[str] = field(default_factory=list)


@dataclass
class RenderedPage:
    """What a reader of a dumped DOM sees: visible text (no script/style) and table rows."""

    title: str
    text: str
    rows: list[Row]

    def row(self, containing: str) -> Row:
        """The one row whose text (a row's text includes its nested rows') has ``containing``."""
        found = [row for row in self.rows if containing in row.text]
        if len(found) != 1:
            raise AssertionError(f"{len(found)} rows contain {containing!r}, expected one")
        return found[0]


class _Reader(HTMLParser):
    """Collects visible text, the title and table rows (nested ones too) from HTML."""

    HIDDEN = frozenset({"script", "style", "noscript", "template", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden_depth = 0
        self.in_title = False
        self.title: list[str] = []
        self.text: list[str] = []
        self.rows: list[Row] = []
        self.open_rows: list[tuple[Row, list[str]]] = []  # innermost last

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if tag in self.HIDDEN:
            self.hidden_depth += 1
        elif tag == "tr" and not self.hidden_depth:
            row = Row(text="")
            self.rows.append(row)
            self.open_rows.append((row, []))
        elif tag == "i":
            for row, _ in self.open_rows:
                row.icons.append(dict(attrs).get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in self.HIDDEN:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag == "tr" and self.open_rows:
            row, text = self.open_rows.pop()
            row.text = " ".join(" ".join(text).split())

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        if self.hidden_depth:
            return
        self.text.append(data)
        for _, text in self.open_rows:
            text.append(data)


def read_dom(dom: str) -> RenderedPage:
    """Parse a dumped DOM into its title, visible text and table rows."""
    reader = _Reader()
    reader.feed(dom)
    reader.close()
    return RenderedPage(
        title=" ".join("".join(reader.title).split()),
        text=" ".join(" ".join(reader.text).split()),
        rows=reader.rows,
    )
