"""The landing tree: ``<landing>/<source>/<YYYY-MM>/<any name>.{csv,xlsx}``.

A yearly source (the county's annual targets) lands in ``<landing>/<source>/<YYYY>/``
instead; for it, a monthly period stands for its year.
"""

from __future__ import annotations

import re
from pathlib import Path

EXTENSIONS = (".csv", ".xlsx")
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
YEAR = re.compile(r"^\d{4}$")

#: Sources delivered once a year into a ``YYYY`` folder.
YEARLY_SOURCES = frozenset({"targets"})


def is_period(text: str) -> bool:
    """Whether ``text`` is a period ``YYYY-MM``."""
    return bool(PERIOD.match(text))


def is_delivered_name(name: str) -> bool:
    """Whether a file named ``name`` is a delivery: .csv or .xlsx, not a lock or hidden file."""
    return Path(name).suffix.lower() in EXTENSIONS and not name.startswith(("~$", "."))


def is_year(text: str) -> bool:
    """Whether ``text`` is a year ``YYYY``."""
    return bool(YEAR.match(text))


def landing_period(source: str, period: str) -> str:
    """The folder (and ledger period) of ``source`` for a monthly ``period``.

    ``YYYY-MM`` for monthly sources; ``YYYY`` for a yearly source, so that loading any
    month of a year picks up that year's targets (unchanged files are skipped by hash).
    """
    return period[:4] if source in YEARLY_SOURCES else period


def period_files(landing_dir: Path, source: str, period: str) -> list[Path]:
    """The delivered files of one source and period, in name order (lock files skipped).

    For a yearly source, ``period`` may be a month or the year itself.
    """
    folder = landing_dir / source / landing_period(source, period)
    if not folder.is_dir():
        return []
    return sorted(
        path for path in folder.iterdir() if path.is_file() and is_delivered_name(path.name)
    )
