"""Progress of a run, for whoever shows it (the CLI's progress bars); silent by default.

The flow reports what it planned and each source-period as it finishes; a listener
registered with :func:`listening` (in the same process) hears it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

from warehouse.load import PeriodLoad


class ProgressListener(Protocol):
    """Something that shows a run's progress."""

    def planned(self, keys: Sequence[tuple[str, str]]) -> None:
        """The (source, period) pairs the run will go through, in order."""

    def finished(self, load: PeriodLoad) -> None:
        """One source-period is done (loaded, unchanged, refused, skipped)."""


_listeners: list[ProgressListener] = []


@contextmanager
def listening(listener: ProgressListener) -> Iterator[None]:
    """Have ``listener`` hear the progress of runs in this process for the block."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def planned(keys: Sequence[tuple[str, str]]) -> None:
    """Tell the listeners what the run will go through."""
    for listener in _listeners:
        listener.planned(keys)


def finished(loads: Sequence[PeriodLoad]) -> None:
    """Tell the listeners these source-periods are done."""
    for load in loads:
        for listener in _listeners:
            listener.finished(load)
