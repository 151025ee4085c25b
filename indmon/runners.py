"""The task runner reading and validating fan out on, chosen in settings."""

from __future__ import annotations

from typing import Any

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from indmon.settings import Settings


def task_runner(settings: Settings) -> TaskRunner[Any]:
    """A thread pool (default), or a Dask cluster: ``dask_address`` or a local one."""
    if settings.task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        if settings.dask_address:
            return DaskTaskRunner(address=settings.dask_address)
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": settings.dask_workers,
                "threads_per_worker": 1,
                "dashboard_address": None,
            }
        )
    return ThreadPoolTaskRunner()
