"""The steps of a monthly load as plain functions; ``flows/`` wires them as Prefect tasks."""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from indmon.alerts import AlertRow, DeliveryResult, deliver, record_findings, undelivered_alerts
from indmon.catalogue import SourceDef
from indmon.findings import held_findings, late_findings, quality_findings, refused_findings
from indmon.freshness import late_sources
from indmon.landing import LandedFile, list_period, read_landed
from indmon.settings import Settings
from schemas.rules import Split
from sources.extract import Extract, file_sha256
from sources.landing import landing_period
from sources.tabular import ExtractRefused
from warehouse.engine import warehouse_engine
from warehouse.lease import leased
from warehouse.load import DeliveredFile, PeriodLoad, load_period, record_refusal
from warehouse.marts import rebuild_rule_marts
from warehouse.reference import sync_reference
from warehouse.rules import DEFAULT_RULES, load_rules, sync_rules
from warehouse.schema import upgrade


@dataclass(frozen=True)
class PreparedPeriod:
    """One source-period read and judged: its files, its split, or why it was refused."""

    source: str
    period: str
    files: tuple[DeliveredFile, ...]
    split: Split | None
    refused: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RaisedAlerts:
    """The alerts a run raised (new fingerprints only) and how sending them went."""

    alerts: tuple[AlertRow, ...]
    delivery: DeliveryResult | None


def prepare_warehouse(engine: sa.Engine, rules_file: Path | None = None) -> None:
    """Upgrade the warehouse, sync the reference dimensions and the bureau's rules.

    ``rules_file`` is the bureau's rules (``Settings.evaluation_config``; None: the shipped
    default). Rules that differ from the ones synced before rebuild the lists they drive.
    """
    rules = load_rules(rules_file)
    upgrade(engine)
    with engine.begin() as connection:
        sync_reference(connection)
        if sync_rules(connection, rules, str(rules_file or DEFAULT_RULES)):
            rebuild_rule_marts(connection)


def _read_one(source: SourceDef, path: Path | LandedFile) -> Extract:
    """A fetched file from its archive copy (under its delivered name), or a local path."""
    return read_landed(source, path) if isinstance(path, LandedFile) else source.read(path)


def prepare_period(
    source: SourceDef, period: str, paths: Sequence[Path | LandedFile]
) -> PreparedPeriod:
    """Read every file of a source-period and split its rows by the source's contract.

    ``paths`` are fetched files (read from their archive copy under the delivered name,
    see :func:`indmon.landing.fetch_period`) or plain local paths.
    A file refused as a whole refuses the period: nothing of it loads, and each
    refusal's message names the file and what is wrong. A yearly source's period is
    the year of ``period`` (its landing folder and ledger period).
    """
    period = landing_period(source.name, period)
    extracts: list[Extract] = []
    files: list[DeliveredFile] = []
    refused: dict[str, str] = {}
    for path in paths:
        clock = time.perf_counter()
        name = path.file_name if isinstance(path, LandedFile) else path.name
        try:
            extract = _read_one(source, path)
        except ExtractRefused as refusal:
            refused[name] = str(refusal)
            sha256 = path.sha256 if isinstance(path, LandedFile) else file_sha256(path)
            files.append(DeliveredFile(name, sha256))
            continue
        extracts.append(extract)
        files.append(
            DeliveredFile(
                name,
                extract.sha256,
                extract.encoding,
                read_seconds=time.perf_counter() - clock,
            )
        )
    if refused or not extracts:
        return PreparedPeriod(source.name, period, tuple(files), None, refused)
    try:
        split = source.validate(extracts, period)
    except ExtractRefused as refusal:
        refused[refusal.path.name] = str(refusal)
        return PreparedPeriod(source.name, period, tuple(files), None, refused)
    totals = {e.file_name: next(iter(e.control_figures.values()), None) for e in extracts}
    files = [
        DeliveredFile(f.file_name, f.sha256, f.encoding, totals.get(f.file_name), f.read_seconds)
        for f in files
    ]
    return PreparedPeriod(source.name, period, tuple(files), split)


def _delivered(settings: Settings) -> Callable[[str, str], bool]:
    """Whether a source-period has anything at the landing location (or its SQL source)."""
    return lambda source, period: bool(list_period(settings, source, period))


def raise_alerts(
    engine: sa.Engine,
    settings: Settings,
    period: str,
    loads: Sequence[PeriodLoad],
    *,
    today: date,
    failed_checks: Sequence[tuple[str, str, str | None]] = (),
    data_docs_url: str | None = None,
    sources: Sequence[str] | None = None,
) -> RaisedAlerts:
    """Record what the load found as alerts and send one message for the period.

    Findings already raised for the period (same fingerprint) are not raised again;
    alerts of the period not yet delivered are sent along. Lateness is judged for
    ``sources`` (default: every source with an arrival day). A failed delivery is
    recorded on the alert rows and never fails the load. Returns the alerts new to this
    run and the delivery (None when nothing was sent).
    """
    due = {
        source: day
        for source, day in settings.arrival_days.items()
        if sources is None or source in sources
    }
    findings = [
        *refused_findings(loads),
        *held_findings(engine, loads),
        *late_findings(late_sources(_delivered(settings), period, today, due)),
        *quality_findings(failed_checks, period),
    ]
    raised = record_findings(engine, findings)
    # A yearly source's findings carry the year: they go out with the month that loaded it.
    pending = [
        *undelivered_alerts(engine, period=period),
        *undelivered_alerts(engine, period=period[:4]),
    ]
    if not pending or not settings.alert_urls:
        return RaisedAlerts(tuple(raised), None)
    delivery = deliver(
        engine, pending, settings.alert_urls, period=period, data_docs_url=data_docs_url
    )
    return RaisedAlerts(tuple(raised), delivery)


def load_prepared(
    engine: sa.Engine, prepared: PreparedPeriod, *, force: bool = False, rebuild: bool = True
) -> PeriodLoad:
    """Load a prepared source-period, or record its refusal in the ledger.

    ``rebuild=False`` leaves the marts to one rebuild after the run's loads (see
    :func:`warehouse.load.load_period`).
    """
    if prepared.split is None:
        return record_refusal(
            engine, prepared.source, prepared.period, prepared.files, prepared.refused
        )
    return load_period(
        engine,
        prepared.source,
        prepared.period,
        prepared.files,
        prepared.split,
        force=force,
        rebuild=rebuild,
    )


def run_owner() -> str:
    """Who a run is, for leases: host, process and Prefect flow run (when there is one)."""
    from prefect.runtime import flow_run

    return f"{socket.gethostname()}:{os.getpid()}:{flow_run.id or uuid.uuid4()}"


@contextmanager
def source_period_leases(
    settings: Settings, keys: Sequence[tuple[str, str]], owner: str
) -> Iterator[list[tuple[str, str]]]:
    """Hold the leases of ``keys`` (source, period) for a run, waiting for other runs."""
    with (
        warehouse_engine(settings.warehouse_url) as engine,
        leased(
            engine,
            keys,
            owner,
            ttl=timedelta(minutes=settings.lease_minutes),
            wait=timedelta(minutes=settings.lease_wait_minutes),
        ) as taken,
    ):
        yield taken
