"""The deployments and their schedules, defined once for ``prefect.yaml`` and ``indmon serve``.

- ``monthly-load-<source>``: each source with an arrival day (``INDMON_ARRIVAL_DAYS``)
  is loaded at 09:00 Asia/Shanghai on that day of the month, for the month before.
- ``monthly-load``: every source (the register and published indicators too, and any
  source still awaited) the day after the last arrival day.
- ``quality-checkpoint``: the quality suites for the month before, at 12:00 that day.
- ``monthly-report``: the monthly report, two days after the last arrival day.

A scheduled run has no ``period`` parameter: it takes the month before its start in
Asia/Shanghai. ``indmon deployments`` writes ``prefect.yaml`` from these definitions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from indmon.parameters import TIME_ZONE
from indmon.settings import Settings

HOUR = 9
WORK_POOL = "indmon"
PREFECT_VERSION = "3.9"


@dataclass(frozen=True)
class DeploymentSpec:
    """One deployment: which flow, when, with which parameters."""

    name: str
    entrypoint: str  # path/to/file.py:function, relative to the project root
    flow_name: str
    cron: str
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)
    tags: tuple[str, ...] = ("indmon",)


def deployment_specs(settings: Settings) -> list[DeploymentSpec]:
    """Every deployment of the project, scheduled by ``settings.arrival_days``."""
    days = settings.arrival_days
    last = max(days.values(), default=15)
    catch_up, report = min(last + 1, 28), min(last + 2, 28)
    monthly = "flows/monthly.py:monthly_load"
    specs = [
        DeploymentSpec(
            f"monthly-load-{source}",
            monthly,
            "monthly-load",
            f"0 {HOUR} {day} * *",
            f"Load {source} for the month before, on its arrival day (day {day} of the month).",
            {"sources": [source]},
            ("indmon", "load", source),
        )
        for source, day in sorted(days.items(), key=lambda item: (item[1], item[0]))
    ]
    specs += [
        DeploymentSpec(
            "monthly-load",
            monthly,
            "monthly-load",
            f"0 {HOUR} {catch_up} * *",
            "Load every source present for the month before, and any source still awaited.",
            {},
            ("indmon", "load"),
        ),
        DeploymentSpec(
            "quality-checkpoint",
            "flows/quality.py:quality_checkpoint",
            "quality-checkpoint",
            f"0 12 {catch_up} * *",
            "Run the quality suites for the month before and raise what fails as alerts.",
            {},
            ("indmon", "quality"),
        ),
        DeploymentSpec(
            "monthly-report",
            "flows/report.py:monthly_report",
            "monthly-report",
            f"0 {HOUR} {report} * *",
            "Write the monthly report for the month before.",
            {},
            ("indmon", "report"),
        ),
    ]
    return specs


def prefect_project(settings: Settings) -> dict[str, Any]:
    """The ``prefect.yaml`` project file for the deployments (a worker pool ``indmon``).

    The pull step runs flows from the project checkout named by ``$INDMON_HOME``.
    """
    return {
        "name": "indmon",
        "prefect-version": PREFECT_VERSION,
        "build": None,
        "push": None,
        "pull": [
            {"prefect.deployments.steps.set_working_directory": {"directory": "{{ $INDMON_HOME }}"}}
        ],
        "deployments": [
            {
                "name": spec.name,
                "description": spec.description,
                "tags": list(spec.tags),
                "entrypoint": spec.entrypoint,
                "parameters": spec.parameters,
                "schedules": [{"cron": spec.cron, "timezone": TIME_ZONE, "active": True}],
                "work_pool": {"name": WORK_POOL, "work_queue_name": None, "job_variables": {}},
            }
            for spec in deployment_specs(settings)
        ],
    }
