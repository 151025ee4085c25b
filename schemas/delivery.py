"""File-level checks on what a delivery says about itself: its unit row and its title."""

from __future__ import annotations

import re

from sources.extract import Extract
from sources.tabular import ExtractRefused
from sources.text import halfwidth

UNIT = re.compile(r"单位\s*[:：]\s*(\S+)")
CUMULATIVE_TITLE = re.compile(r"(\d{4})\s*年\s*(?:1\s*[-—~至]\s*)?(\d{1,2})\s*月")


def check_unit(extract: Extract, expected: str) -> None:
    """Refuse a file whose unit row names another unit: a wrong unit is worse than no data."""
    for text in extract.preamble:
        match = UNIT.search(halfwidth(text))
        if match and match.group(1).rstrip("。.") != expected:
            raise ExtractRefused(
                extract.path,
                f"the unit row says '{text.strip()}' but this extract must be in {expected}",
            )


def title_period(extract: Extract) -> str | None:
    """The period a title names (``2022年1-3月`` -> ``2022-03``), or None."""
    for text in extract.preamble:
        match = CUMULATIVE_TITLE.search(halfwidth(text))
        if match:
            return f"{match.group(1)}-{int(match.group(2)):02d}"
    return None
