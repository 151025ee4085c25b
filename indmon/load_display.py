"""The terminal face of a run's progress, and the summary table a load command ends with.

A command opens a :class:`LoadProgress` around the flows it runs; it listens to the run's
progress events (:mod:`indmon.progress`: what the run planned, each source-period as it
finishes), which reach it because flows run in the command's process.

On a terminal: one bar over the months and one over the source-periods, naming the files
of the latest. Elsewhere (CI logs, pipes): one plain line per month once its
source-periods are done, no cursor control.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
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

from indmon.progress import listening
from warehouse.load import PeriodLoad


class LoadProgress:
    """Shows a run's progress while open (``with LoadProgress(console) as shown: ...``).

    Afterwards ``loads`` holds every source-period the run reported.
    """

    def __init__(self, console: Console | None = None) -> None:
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
        self._months: TaskID | None = None
        self._parts: TaskID | None = None
        self._left: Counter[str] = Counter()
        self._done: dict[str, list[PeriodLoad]] = {}
        self._stack = ExitStack()

    def __enter__(self) -> LoadProgress:
        self._stack.enter_context(listening(self))
        if self._live:
            self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stack.close()
        if self._live:
            self._progress.stop()

    def planned(self, keys: Sequence[tuple[str, str]]) -> None:
        """The run will go through ``keys`` (source, period), in order."""
        self._left = Counter(period for _, period in keys)
        self._done = {period: [] for period in self._left}
        if not self._live:
            return
        for task in (self._months, self._parts):
            if task is not None:
                self._progress.remove_task(task)
        self._months = self._progress.add_task("months", total=len(self._left), detail="")
        self._parts = self._progress.add_task("source-periods", total=len(keys), detail="")

    def finished(self, load: PeriodLoad) -> None:
        """One source-period is done (loaded, unchanged, refused, skipped)."""
        self.loads.append(load)
        self._done.setdefault(load.period, []).append(load)
        self._left[load.period] -= 1
        month_done = self._left[load.period] <= 0
        if self._live:
            files = ", ".join(f.file_name for f in load.files)
            if self._parts is not None:
                self._progress.update(
                    self._parts,
                    advance=1,
                    detail=f"{load.source} {load.period} {load.status}: {files}",
                )
            if month_done and self._months is not None:
                self._progress.update(self._months, advance=1, detail=load.period)
            self._progress.refresh()
            return
        if month_done:
            done = ", ".join(
                f"{one.source} {one.status} {sum(f.rows_loaded for f in one.files)}/{one.rows_held}"
                for one in self._done[load.period]
            )
            self.console.print(f"{load.period}: {done}", highlight=False)


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
