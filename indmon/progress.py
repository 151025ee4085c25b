"""Progress of long loads on the terminal, and the summary table they end with.

A command opens a :class:`LoadProgress` around the flows it runs; the monthly flow reports
to it through :func:`period_started`, :func:`source_loaded` and :func:`period_finished`
(module functions that do nothing when no progress is open, e.g. under a scheduler).
Flows run in this process, so the flow's reports reach the command's display.

On a terminal: one bar over the periods and one for the current period (a step per
source-period loaded, its files named). Elsewhere (CI logs, pipes): one plain line per
period, no cursor control.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from warehouse.load import PeriodLoad

_lock = threading.Lock()
_active: LoadProgress | None = None


class LoadProgress:
    """Shows the loading of ``periods`` while open (``with LoadProgress(periods): ...``)."""

    def __init__(self, periods: Sequence[str], console: Console | None = None) -> None:
        self.periods = list(periods)
        self.console = console or Console()
        self.loads: list[PeriodLoad] = []
        self._live = self.console.is_terminal
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[detail]}", style="dim"),
            console=self.console,
            transient=False,
        )
        self._overall: TaskID | None = None
        self._period: TaskID | None = None
        self._current: list[PeriodLoad] = []

    def __enter__(self) -> LoadProgress:
        global _active
        with _lock:
            _active = self
        if self._live:
            self._progress.start()
            if len(self.periods) > 1:
                self._overall = self._progress.add_task(
                    "months", total=len(self.periods), detail=""
                )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        global _active
        with _lock:
            _active = None
        if self._live:
            self._progress.stop()

    def start_period(self, period: str, sources: Sequence[str]) -> None:
        """A period begins: ``sources`` are the sources with files for it."""
        self._current = []
        if not self._live:
            return
        if self._period is not None:
            self._progress.remove_task(self._period)
        self._period = self._progress.add_task(
            period, total=max(len(sources), 1), detail=", ".join(sources)
        )

    def loaded(self, load: PeriodLoad) -> None:
        """One source-period has been loaded (or found unchanged, or refused)."""
        self.loads.append(load)
        self._current.append(load)
        if self._live and self._period is not None:
            files = ", ".join(f.file_name for f in load.files)
            self._progress.update(
                self._period, advance=1, detail=f"{load.source} {load.status}: {files}"
            )
            self._progress.refresh()

    def finish_period(self, period: str) -> None:
        """A period is done (loaded, checked, alerted, reported)."""
        if self._live:
            if self._period is not None:
                self._progress.update(self._period, detail="done")
            if self._overall is not None:
                self._progress.update(self._overall, advance=1, detail=period)
            self._progress.refresh()
            return
        done = ", ".join(
            f"{load.source} {load.status} {sum(f.rows_loaded for f in load.files)}/{load.rows_held}"
            for load in self._current
        )
        self.console.print(f"{period}: {done or 'nothing to load'}", highlight=False)


def period_started(period: str, sources: Sequence[str]) -> None:
    """Tell the open progress display (if any) that ``period`` begins."""
    if _active is not None:
        _active.start_period(period, sources)


def source_loaded(load: PeriodLoad) -> None:
    """Tell the open progress display (if any) that a source-period is loaded."""
    if _active is not None:
        _active.loaded(load)


def period_finished(period: str) -> None:
    """Tell the open progress display (if any) that ``period`` is done."""
    if _active is not None:
        _active.finish_period(period)


def summary_table(loads: Iterable[PeriodLoad], *, by: str = "file", title: str = "Files") -> Table:
    """The table a load command ends with.

    ``by="file"``: one row per file (source, period, file, status, rows read, loaded, held,
    unresolved accounts). ``by="source"``: one row per source over many periods (periods,
    statuses counted, rows summed).
    """
    table = Table(title=title)
    loads = list(loads)
    if by == "file":
        for column in ("source", "period", "file", "status"):
            table.add_column(column, overflow="fold")
        for column in ("read", "loaded", "held", "unresolved"):
            table.add_column(column, justify="right")
        for load in loads:
            for f in load.files:
                table.add_row(
                    load.source,
                    load.period,
                    f.file_name,
                    f.status,
                    str(f.rows_read),
                    str(f.rows_loaded),
                    str(f.rows_held),
                    "" if f.unresolved is None else str(f.unresolved),
                )
        return table
    if by != "source":
        raise ValueError(f"summary by {by!r}: 'file' or 'source'")
    for column in ("source", "periods", "status"):
        table.add_column(column)
    for column in ("read", "loaded", "held"):
        table.add_column(column, justify="right")
    for source in sorted({load.source for load in loads}):
        mine = [load for load in loads if load.source == source]
        periods = sorted({load.period for load in mine})
        statuses = Counter(load.status for load in mine)
        table.add_row(
            source,
            f"{periods[0]}..{periods[-1]} ({len(periods)})",
            ", ".join(f"{status} {n}" for status, n in sorted(statuses.items())),
            str(sum(f.rows_read for load in mine for f in load.files)),
            str(sum(f.rows_loaded for load in mine for f in load.files)),
            str(sum(f.rows_held for load in mine for f in load.files)),
        )
    return table
