"""Where a load spends its time: stage boundaries a caller (the benchmark) may listen to.

``load_period`` and ``refresh_after_load`` mark their inner steps with :func:`stage`.
Nobody listens by default, and then a stage costs one context-variable lookup. A caller
that wants the figures wraps its work in :func:`recording`::

    with recording(lambda name, wall, cpu: print(name, wall, cpu)):
        load_period(...)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: Receives a stage's name, its wall time and this process's CPU time (seconds) when it ends.
StageListener = Callable[[str, float, float], None]

_listener: ContextVar[StageListener | None] = ContextVar("indmon_stage_listener", default=None)


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Mark the enclosed work as stage ``name`` (``load``, ``resolve``, ``marts``, …)."""
    listener = _listener.get()
    if listener is None:
        yield
        return
    clock, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        listener(name, time.perf_counter() - clock, time.process_time() - cpu)


@contextmanager
def recording(listener: StageListener) -> Iterator[None]:
    """Report every stage that ends inside the block to ``listener``."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
