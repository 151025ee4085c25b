"""Leases on source-periods, awaited sources and one alert per fingerprint, on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from indmon.alerts import Finding, record_findings
from tests.warehouse.helpers import rows
from warehouse.awaited import mark_arrived, record_awaited, still_awaited
from warehouse.lease import LeaseTimeout, holder, leased, release, try_acquire
from warehouse.tables import alert

HOUR = timedelta(hours=1)


def test_a_lease_keeps_a_second_run_of_the_same_source_period_out(engine: sa.Engine) -> None:
    assert try_acquire(engine, "tax", "2022-03", "run-a", ttl=HOUR)
    assert not try_acquire(engine, "tax", "2022-03", "run-b", ttl=HOUR)
    # Another period or another source is free to run alongside.
    assert try_acquire(engine, "tax", "2022-04", "run-b", ttl=HOUR)
    assert try_acquire(engine, "electricity", "2022-03", "run-b", ttl=HOUR)
    # The holder may renew its own lease.
    assert try_acquire(engine, "tax", "2022-03", "run-a", ttl=HOUR)
    with (
        pytest.raises(LeaseTimeout, match="tax 2022-03 is being loaded by run-a"),
        leased(engine, [("tax", "2022-03")], "run-b", ttl=HOUR, wait=timedelta(0)),
    ):
        pass
    release(engine, [("tax", "2022-03")], "run-b")  # not b's: left alone
    assert holder(engine, "tax", "2022-03") == "run-a"
    release(engine, [("tax", "2022-03")], "run-a")
    with leased(engine, [("tax", "2022-03")], "run-b", ttl=HOUR, wait=timedelta(0)) as taken:
        assert taken == [("tax", "2022-03")] and holder(engine, "tax", "2022-03") == "run-b"
    assert holder(engine, "tax", "2022-03") is None  # given back after the block


def test_an_expired_lease_is_taken_over(engine: sa.Engine) -> None:
    assert try_acquire(engine, "tax", "2022-03", "crashed", ttl=timedelta(seconds=-1))
    assert try_acquire(engine, "tax", "2022-03", "next", ttl=HOUR)
    assert holder(engine, "tax", "2022-03") == "next"


def test_leases_are_given_back_when_the_run_fails(engine: sa.Engine) -> None:
    keys = [("tax", "2022-03"), ("electricity", "2022-03")]
    with pytest.raises(RuntimeError), leased(engine, keys, "a", ttl=HOUR, wait=HOUR):
        raise RuntimeError("load failed")
    assert rows(engine, "SELECT * FROM load_lease") == []


def test_an_alert_fingerprint_is_stored_once(engine: sa.Engine) -> None:
    finding = Finding("warning", "source_late", "tax", "2022-03", "tax 2022-03 late", "")
    assert len(record_findings(engine, [finding])) == 1
    assert record_findings(engine, [finding]) == []
    # The index itself refuses a second row, whoever writes it.
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(
            alert.insert().values(
                alert_id="other",
                raised_at=datetime.now(UTC),
                severity="warning",
                kind="source_late",
                subject="x",
                message="",
                fingerprint=finding.fingerprint(),
            )
        )


def test_awaited_sources_are_noted_once_and_closed_on_arrival(engine: sa.Engine) -> None:
    record_awaited(engine, "tax", "2022-03", date(2022, 4, 12))
    record_awaited(engine, "tax", "2022-03", date(2022, 4, 12))
    record_awaited(engine, "statistics", "2022-03", date(2022, 4, 15))
    assert still_awaited(engine, ["tax"]) == [("tax", "2022-03")]
    mark_arrived(engine, [("tax", "2022-03")])
    assert still_awaited(engine, ["tax", "statistics"]) == [("statistics", "2022-03")]
    assert len(rows(engine, "SELECT * FROM awaited_source")) == 2
