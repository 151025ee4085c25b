"""What the demo wrote, for tests and people: periods, counts, files, faults and events."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

MANIFEST_NAME = "demo_manifest.json"


@dataclass(frozen=True)
class InjectedFault:
    """One deliberately bad row, where a person finds it.

    ``row_number`` is the CSV line or Excel row as shown to a person (the header is 1).
    ``key`` is the row's 户号 (electricity) or credit code as written (registry);
    ``value`` is the offending cell as written.
    """

    source: str
    period: str
    file_name: str
    row_number: int
    kind: str
    description: str
    key: str = ""
    value: str = ""

    @property
    def relative_path(self) -> str:
        """Path of the file below the landing folder."""
        return f"{self.source}/{self.period}/{self.file_name}"


@dataclass(frozen=True)
class DemoFile:
    """One written file: its data rows (without header and 合计) and control total if any.

    ``kept_rows`` counts the rows a person keeps (every data row but the injected bad
    ones, the second of an exact duplicate, both rows of a conflicting duplicate and the
    taxpayers that are not enterprises); ``kept_total`` is, as an exact decimal, the sum
    over those rows of 税收合计 in yuan (tax), of 工业总产值 本年累计 in 千元 (statistics) or
    of 1-本月累计完成投资 in 万元 (projects).
    """

    source: str
    period: str
    file_name: str
    data_rows: int
    control_total_kwh: int | None = None
    kept_rows: int | None = None
    kept_total: str | None = None

    @property
    def relative_path(self) -> str:
        """Path of the file below the landing folder."""
        return f"{self.source}/{self.period}/{self.file_name}"


@dataclass(frozen=True)
class DemoEvent:
    """A scripted change a dashboard should show (entered, stopped, moved, promoted …).

    Account-level events (blank_code_account, mistyped_code_account, unmatched_account)
    put the 户号 in ``account``.
    """

    kind: str
    period: str
    credit_code: str
    name: str
    detail: str
    account: str = ""


@dataclass(frozen=True)
class DemoTarget:
    """One annual target the demo set, as written, and the status it was set to reach.

    ``floor`` and ``stretch`` are as written in ``unit``; ``expected_status`` is the status
    the target was placed to have against the full year (``""`` when not planned).
    """

    year: int
    region: str
    target_name: str
    floor: float
    stretch: float
    unit: str
    expected_status: str = ""


@dataclass(frozen=True)
class DemoManifest:
    """Everything :func:`indmon.demo.generate_demo` wrote below ``landing_dir``.

    ``enterprises`` counts the distinct enterprises in any register snapshot;
    ``above_scale`` those marked 规上企业 = 是 in the last period's snapshot, and
    ``above_scale_by_period`` the same count for every period.
    """

    landing_dir: Path
    periods: tuple[str, ...]
    enterprises: int
    above_scale: int
    faults: tuple[InjectedFault, ...]
    seed: int = 0
    above_scale_by_period: tuple[int, ...] = ()
    files: tuple[DemoFile, ...] = ()
    events: tuple[DemoEvent, ...] = ()
    targets: tuple[DemoTarget, ...] = ()

    def faults_of(self, kind: str) -> tuple[InjectedFault, ...]:
        """The injected faults of one kind."""
        return tuple(f for f in self.faults if f.kind == kind)

    def events_of(self, kind: str) -> tuple[DemoEvent, ...]:
        """The scripted events of one kind."""
        return tuple(e for e in self.events if e.kind == kind)

    def to_json(self) -> str:
        """JSON without ``landing_dir``, so equal seeds give equal bytes wherever written."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "landing_dir"}
        data["faults"] = [asdict(f) for f in self.faults]
        data["files"] = [asdict(f) for f in self.files]
        data["events"] = [asdict(e) for e in self.events]
        data["targets"] = [asdict(t) for t in self.targets]
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    def write(self) -> Path:
        """Write ``demo_manifest.json`` into the landing folder."""
        path = self.landing_dir / MANIFEST_NAME
        path.write_text(self.to_json(), encoding="utf-8", newline="\n")
        return path


def load_manifest(landing_dir: Path) -> DemoManifest:
    """Read back the manifest a demo run wrote into ``landing_dir``."""
    data: dict[str, Any] = json.loads((landing_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    return DemoManifest(
        landing_dir=landing_dir,
        periods=tuple(data["periods"]),
        enterprises=data["enterprises"],
        above_scale=data["above_scale"],
        faults=tuple(InjectedFault(**f) for f in data["faults"]),
        seed=data["seed"],
        above_scale_by_period=tuple(data["above_scale_by_period"]),
        files=tuple(DemoFile(**f) for f in data["files"]),
        events=tuple(DemoEvent(**e) for e in data["events"]),
        targets=tuple(DemoTarget(**t) for t in data.get("targets", ())),
    )


@dataclass
class SourceOutput:
    """What one source writer produced: its files, its injected faults and its events."""

    files: list[DemoFile]
    faults: list[InjectedFault]
    events: list[DemoEvent]
    targets: list[DemoTarget] = field(default_factory=list)
