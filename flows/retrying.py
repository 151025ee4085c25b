"""Retries for the I/O steps: exponential backoff, never for a delivery judged invalid."""

from __future__ import annotations

from typing import Any

from prefect.tasks import exponential_backoff

from sources.tabular import ExtractRefused

#: Errors retrying cannot cure: a file refused by its contract, a bad parameter.
NOT_RETRIED: tuple[type[BaseException], ...] = (ExtractRefused, ValueError, TypeError)


def retry_unless_invalid(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect ``retry_condition_fn``: retry I/O failures, not validation failures."""
    return not isinstance(state.data, NOT_RETRIED)


#: Task options of a step that reads files or talks to the warehouse.
IO_RETRIES: dict[str, Any] = {
    "retries": 3,
    "retry_delay_seconds": exponential_backoff(backoff_factor=2),
    "retry_jitter_factor": 0.5,
    "retry_condition_fn": retry_unless_invalid,
}
