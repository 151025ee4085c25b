"""I/O steps are retried with backoff; a refused delivery is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from prefect import flow, task

from flows.retrying import IO_RETRIES, retry_unless_invalid
from sources.tabular import ExtractRefused

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _attempts(error: Exception) -> int:
    """How many times a task with the I/O retry policy runs when it raises ``error``."""
    calls: list[int] = []

    @task(**{**IO_RETRIES, "retry_delay_seconds": 0})
    def step() -> None:
        calls.append(1)
        raise error

    @flow
    def run() -> None:
        step()

    assert run(return_state=True).is_failed()
    return len(calls)


def test_an_io_failure_is_retried_and_a_refusal_is_not() -> None:
    assert _attempts(OSError("connection reset")) == 1 + IO_RETRIES["retries"]
    assert _attempts(ExtractRefused(Path("税收.xlsx"), "单位是万元")) == 1


def test_the_flows_io_tasks_carry_the_policy() -> None:
    from flows.tasks import (
        load,
        plan,
        prepare_warehouse_task,
        quality_for_periods,
        read_and_validate,
        rebuild_marts,
    )

    for step in (
        read_and_validate,
        load,
        rebuild_marts,
        plan,
        quality_for_periods,
        prepare_warehouse_task,
    ):
        assert step.retries == 3 and step.retry_condition_fn is retry_unless_invalid
        delays = step.retry_delay_seconds
        assert isinstance(delays, list) and delays == sorted(delays) and delays[0] < delays[-1]
