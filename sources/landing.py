"""The landing tree: ``<landing>/<source>/<YYYY-MM>/<any name>.{csv,xlsx}``."""

from __future__ import annotations

import re
from pathlib import Path

EXTENSIONS = (".csv", ".xlsx")
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def is_period(text: str) -> bool:
    """Whether ``text`` is a period ``YYYY-MM``."""
    return bool(PERIOD.match(text))


def is_delivered_name(name: str) -> bool:
    """Whether a file named ``name`` is a delivery: .csv or .xlsx, not a lock or hidden file."""
    return Path(name).suffix.lower() in EXTENSIONS and not name.startswith(("~$", "."))


def period_files(landing_dir: Path, source: str, period: str) -> list[Path]:
    """The delivered files of one source and period, in name order (lock files skipped)."""
    folder = landing_dir / source / period
    if not folder.is_dir():
        return []
    return sorted(
        path for path in folder.iterdir() if path.is_file() and is_delivered_name(path.name)
    )
