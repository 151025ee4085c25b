"""Month arithmetic for the demo: periods are ``YYYY-MM`` labels, months are integer offsets."""

from __future__ import annotations

from dataclasses import dataclass

#: Months of history the model simulates before the first generated period, so the
#: first generated year has prior-year electricity and a previous-year revenue roster.
HISTORY = 24


@dataclass(frozen=True)
class Timeline:
    """The generated months: offset 0 is ``start``; negative offsets are internal history."""

    start_year: int
    start_month: int
    months: int

    @classmethod
    def parse(cls, start: str, months: int) -> Timeline:
        """A timeline from a ``YYYY-MM`` start and a number of months (at least 1)."""
        year, month = (int(part) for part in start.split("-"))
        if not 1 <= month <= 12 or months < 1:
            raise ValueError(f"bad demo timeline: start={start!r}, months={months}")
        return cls(year, month, months)

    def year_month(self, t: int) -> tuple[int, int]:
        """Calendar (year, month) of offset ``t``."""
        index = self.start_year * 12 + self.start_month - 1 + t
        return index // 12, index % 12 + 1

    def period(self, t: int) -> str:
        """``YYYY-MM`` label of offset ``t``."""
        year, month = self.year_month(t)
        return f"{year:04d}-{month:02d}"

    def compact(self, t: int) -> str:
        """``YYYYMM`` label of offset ``t`` (the utility's 电费年月)."""
        year, month = self.year_month(t)
        return f"{year:04d}{month:02d}"

    def offset(self, year: int, month: int) -> int:
        """Offset of a calendar month."""
        return year * 12 + month - 1 - (self.start_year * 12 + self.start_month - 1)

    @property
    def offsets(self) -> range:
        """Offsets of the generated months."""
        return range(self.months)

    @property
    def periods(self) -> tuple[str, ...]:
        """Labels of the generated months, in order."""
        return tuple(self.period(t) for t in self.offsets)

    @property
    def years(self) -> tuple[int, ...]:
        """Calendar years touched by the generated months."""
        return tuple(sorted({self.year_month(t)[0] for t in self.offsets}))
