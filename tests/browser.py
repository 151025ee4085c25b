"""Drive a headless Chromium from tests: the DOM as rendered, and screenshots.

Only the Debian ``chromium`` binary and the standard library: each call starts a fresh
browser with an empty profile (``--dump-dom`` or ``--screenshot``) and waits for it to exit;
:class:`DevTools` drives one over the DevTools protocol on a pipe (the DOM evaluated in
the page, every network request it makes, full-page screenshots).
The flags keep Chromium off the network: no background requests, updates or sync, and no
host name resolves (loopback excepted), so a page's remote assets (CDN scripts, stylesheets,
fonts) fail to load at once, the same on every machine, as on one without internet access.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

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


class DevTools:
    """A headless Chromium driven over the DevTools protocol on a pipe (no port, no
    websocket library): ``--remote-debugging-pipe`` reads commands on fd 3 and writes
    replies and events on fd 4, each a JSON object ended by a NUL byte.

    Use as a context manager; :meth:`open` loads a page and records every request it makes.
    """

    def __init__(self, binary: str, *, width: int = 1280, height: int = 1000) -> None:
        self.binary = binary
        self.width, self.height = width, height
        self.events: list[dict[str, Any]] = []
        self._buffer = b""
        self._next_id = 0
        self._session: str | None = None

    def __enter__(self) -> DevTools:
        self._profile = tempfile.TemporaryDirectory(prefix="indmon-chromium-")
        to_browser, self._commands = os.pipe()
        self._replies, from_browser = os.pipe()
        # Moved above 10 so that placing them on 3 and 4 in the child cannot clobber each other.
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser, from_browser)]
        os.close(to_browser)
        os.close(from_browser)

        def place_pipes() -> None:
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self._process = subprocess.Popen(
            [
                self.binary,
                *HEADLESS_FLAGS,
                f"--user-data-dir={self._profile.name}",
                f"--window-size={self.width},{self.height}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=place_pipes,
            pass_fds=(3, 4),
        )
        for fd in high:
            os.close(fd)
        target = self.send("Target.createTarget", url="about:blank", session=False)
        attached = self.send(
            "Target.attachToTarget", targetId=target["targetId"], flatten=True, session=False
        )
        self._session = attached["sessionId"]
        for domain in ("Network", "Page", "Runtime"):
            self.send(f"{domain}.enable")
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.send("Browser.close", session=False)
            self._process.wait(timeout=TIMEOUT_SECONDS)
        except Exception:
            self._process.kill()
            self._process.wait()
        finally:
            os.close(self._commands)
            os.close(self._replies)
            self._profile.cleanup()

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self._replies], [], [], max(remaining, 0))
            if not ready:
                raise TimeoutError("chromium sent nothing within the time limit")
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, *, session: bool = True, **params: Any) -> dict[str, Any]:
        """Send one command (to the page's session unless ``session=False``); its result.
        Events that arrive meanwhile are kept in :attr:`events`."""
        self._next_id += 1
        command: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session and self._session:
            command["sessionId"] = self._session
        os.write(self._commands, json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while True:
            message = self._message(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str) -> dict[str, Any]:
        """The first event ``method`` (already received or next to come)."""
        deadline = time.monotonic() + TIMEOUT_SECONDS
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._message(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def open(self, page: Path) -> None:
        """Load the local file ``page`` and wait for its load event."""
        self.events.clear()
        self.send("Page.navigate", url=page.resolve().as_uri())
        self.wait_for("Page.loadEventFired")

    @property
    def requested_urls(self) -> list[str]:
        """Every URL the page requested since :meth:`open` (Network.requestWillBeSent)."""
        return [
            event["params"]["request"]["url"]
            for event in self.events
            if event.get("method") == "Network.requestWillBeSent"
        ]

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression evaluated in the page."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, target: Path) -> Path:
        """Save a PNG of the whole page (beyond the window) to ``target``."""
        metrics = self.send("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = self.send(
            "Page.captureScreenshot",
            format="png",
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(shot["data"]))
        return target
