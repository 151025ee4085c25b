"""What the Prefect server recorded of a flow run, for the flow tests."""

from __future__ import annotations

from uuid import UUID


def task_run_names(flow_run_id: UUID) -> list[str]:
    """The names of the task runs of flow run ``flow_run_id``, sorted."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    return sorted(run.name for run in runs)
