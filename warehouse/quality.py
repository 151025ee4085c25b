"""Quality checks on the warehouse: the suites of ``schemas.suites`` run for a period.

Great Expectations (1.x) validates the warehouse through its own SQL data sources
(SQLite or PostgreSQL, the same URL the pipeline uses): each suite's batch is the rows
its query returns for the period, and every applicable suite runs in one checkpoint.
Several periods (a backfill) share one context, one set of suites and one Data Docs
build, with a checkpoint run per period. Results go to ``dq_result`` (one row per
expectation, in one transaction) and to a static Data Docs site (``index.html`` under
the Data Docs folder).

Great Expectations runs in an ephemeral context: no project files, no secrets written,
analytics and progress bars off. Only its validation results are kept, under
``<data docs>/.gx-validations``, so that the site lists every run, not just the last.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from schemas.suites import QualityBounds, Suite, all_suites
from warehouse.engine import POSTGRESQL_SESSION_OPTIONS, create_warehouse_engine
from warehouse.quality_page import write_quality_page
from warehouse.tables import dq_result

__all__ = [
    "QualityBounds",
    "QualityReport",
    "SuiteOutcome",
    "default_data_docs_dir",
    "run_quality_checks",
]

SITE_NAME = "indmon"
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 10}


@dataclass(frozen=True)
class SuiteOutcome:
    """The result of one expectation of one suite for the period."""

    suite: str
    expectation: str
    success: bool
    observed_value: str | None
    table_name: str | None


@dataclass(frozen=True)
class QualityReport:
    """Every expectation's outcome for one run (one period), and where Data Docs are."""

    run_id: str
    period: str
    outcomes: tuple[SuiteOutcome, ...]
    data_docs_index: Path | None
    skipped: tuple[str, ...] = field(default=())  # suites with nothing to check

    @property
    def failed(self) -> tuple[SuiteOutcome, ...]:
        """The outcomes that failed."""
        return tuple(o for o in self.outcomes if not o.success)


def default_data_docs_dir(warehouse_url: str) -> Path:
    """Where Data Docs go unless configured: ``data-docs`` beside a SQLite warehouse file
    (``var/data-docs`` for ``var/indmon.db``), else ``./var/data-docs``.
    """
    url = make_url(warehouse_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent / "data-docs"
    return Path("var") / "data-docs"


def previous_period(period: str) -> str:
    """The month before ``period`` (``YYYY-MM``)."""
    year, month = int(period[:4]), int(period[5:])
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def applicable_suites(
    engine: sa.Engine, suites: Sequence[Suite], period: str
) -> tuple[list[Suite], list[str]]:
    """The suites with something to check for ``period``, and the names of the others."""
    run: list[Suite] = []
    skipped: list[str] = []
    with engine.connect() as connection:
        for suite in suites:
            if connection.execute(sa.text(_sql(suite.applies, period))).scalar():
                run.append(suite)
            else:
                skipped.append(suite.name)
    return run, skipped


def run_quality_checks(
    warehouse_url: str,
    period: str,
    *,
    data_docs_dir: Path | None,
    bounds: QualityBounds = QualityBounds(),  # noqa: B008 - frozen, so a safe default
) -> QualityReport:
    """Run every applicable suite for ``period`` as one checkpoint and store the results.

    Writes one ``dq_result`` row per expectation in a single transaction and builds or
    updates Data Docs under ``data_docs_dir`` (None: no Data Docs); the report's
    ``data_docs_index`` is the offline entry page ``quality.html`` there. Suites whose tables
    have no rows for the period are skipped (listed in ``QualityReport.skipped``).
    """
    (report,) = run_quality_checks_for_periods(
        warehouse_url, [period], data_docs_dir=data_docs_dir, bounds=bounds
    )
    return report


def run_quality_checks_for_periods(
    warehouse_url: str,
    periods: Sequence[str],
    *,
    data_docs_dir: Path | None,
    bounds: QualityBounds = QualityBounds(),  # noqa: B008 - frozen, so a safe default
) -> list[QualityReport]:
    """``run_quality_checks`` for several periods at once: one report per period, in order.

    One Great Expectations context and one set of suites serve every period; each period
    is its own checkpoint run (its own run id, results and Data Docs pages, exactly as if
    it ran alone), Data Docs and ``quality.html`` are built once at the end, and every
    period's ``dq_result`` rows are written in one transaction.
    """
    for period in periods:
        if not _PERIOD.match(period):
            raise ValueError(f"not a period (YYYY-MM): {period!r}")
    if len(set(periods)) < len(periods):
        raise ValueError(f"a period is named twice: {list(periods)}")
    suites = all_suites(bounds)
    engine = create_warehouse_engine(warehouse_url)
    try:
        plans = [_plan(engine, suites, period) for period in periods]
        outcomes: dict[str, list[SuiteOutcome]] = {plan.period: [] for plan in plans}
        index: Path | None = None
        if any(plan.suites for plan in plans):
            run = _CheckpointRun(engine, [s for plan in plans for s in plan.suites], data_docs_dir)
            for plan in plans:
                if plan.suites:
                    outcomes[plan.period] = run.validate(plan.suites, plan.period, plan.run_id)
            index = run.build_data_docs()
        _store(engine, [(plan.run_id, plan.period, outcomes[plan.period]) for plan in plans])
        if data_docs_dir is not None and any(outcomes.values()):
            index = write_quality_page(engine, data_docs_dir)
    finally:
        engine.dispose()
    return [
        QualityReport(
            plan.run_id,
            plan.period,
            tuple(outcomes[plan.period]),
            index if outcomes[plan.period] else None,
            tuple(plan.skipped),
        )
        for plan in plans
    ]


def gx_suite_name(suite: Suite) -> str:
    """The suite's name in Great Expectations and Data Docs: name and version."""
    return f"{suite.name}_v{suite.version.replace('.', '_')}"


@dataclass(frozen=True)
class _Plan:
    """What one period's run checks: its run id, the suites to run and those skipped."""

    period: str
    run_id: str
    suites: list[Suite]
    skipped: list[str]


def _plan(engine: sa.Engine, suites: Sequence[Suite], period: str) -> _Plan:
    run, skipped = applicable_suites(engine, suites, period)
    return _Plan(period, str(uuid.uuid4()), run, skipped)


def _sql(template: str, period: str) -> str:
    """A suite's SQL for ``period`` (validated ``YYYY-MM``, so safe to inline)."""
    return template.format(period=period, previous=previous_period(period))


def _context(data_docs_dir: Path | None) -> Any:
    """An ephemeral Great Expectations context: analytics and progress bars off."""
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    defaults = InMemoryStoreBackendDefaults()
    stores = dict(defaults.stores)
    sites: dict[str, Any] = {}
    if data_docs_dir is not None:
        stores[defaults.validation_results_store_name] = {
            "class_name": "ValidationResultsStore",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str((data_docs_dir / ".gx-validations").resolve()),
            },
        }
        sites[SITE_NAME] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(data_docs_dir.resolve()),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=defaults,
        stores=stores,
        data_docs_sites=sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


class _CheckpointRun:
    """One Great Expectations context for a run: the suites, then a checkpoint per period.

    Each period's batches are the suites' queries for that period, read through a data
    source named ``warehouse`` whose assets are named after the suites (so batch ids and
    Data Docs pages are the same whichever periods run together). The data source copies
    each batch into a temporary table once (``create_temp_table``): Great Expectations
    then computes its several metrics per expectation from that copy instead of running
    the suite's query again for each metric. The data source, and with it the temporary
    tables, is dropped after its period.
    """

    def __init__(self, engine: sa.Engine, suites: Sequence[Suite], data_docs_dir: Path | None):
        import great_expectations as gx

        self._gx = gx
        self._engine = engine
        self._data_docs_dir = data_docs_dir
        self._context = _context(data_docs_dir)
        self._suites: dict[str, Any] = {}
        for suite in suites:
            if suite.name not in self._suites:
                self._suites[suite.name] = self._context.suites.add(_gx_suite(gx, suite))
        self._built: list[Any] = []

    def validate(self, suites: Sequence[Suite], period: str, run_id: str) -> list[SuiteOutcome]:
        """Run ``suites`` for ``period`` as one checkpoint; each expectation's outcome."""
        from great_expectations.core.run_identifier import RunIdentifier

        gx, context = self._gx, self._context
        source = self._data_source()
        try:
            definitions = []
            for suite in suites:
                asset = source.add_query_asset(suite.name, query=_sql(suite.query, period))
                definitions.append(
                    context.validation_definitions.add(
                        gx.ValidationDefinition(
                            name=f"{suite.name} {period}",
                            data=asset.add_batch_definition_whole_table(period),
                            suite=self._suites[suite.name],
                        )
                    )
                )
            checkpoint = context.checkpoints.add(
                gx.Checkpoint(
                    name=f"indmon {period}",
                    validation_definitions=definitions,
                    result_format=_RESULT_FORMAT,
                )
            )
            result = checkpoint.run(run_id=RunIdentifier(run_name=f"{period}_{run_id[:8]}"))
        finally:
            source.get_execution_engine().close()  # its temporary tables go with it
            context.data_sources.delete(source.name)
        self._built.extend(result.run_results.keys())
        by_name = {gx_suite_name(suite): suite for suite in suites}
        return [
            _outcome(by_name[validation.suite_name], item)
            for validation in result.run_results.values()
            for item in validation.results
        ]

    def build_data_docs(self) -> Path | None:
        """Render this run's validation pages and its suites' pages; the index lists every
        stored run. The index page, or None without Data Docs."""
        if self._data_docs_dir is None:
            return None
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
        )

        suites = (ExpectationSuiteIdentifier(name=suite.name) for suite in self._suites.values())
        built = [*self._built, *suites]
        self._context.build_data_docs(site_names=[SITE_NAME], resource_identifiers=built)
        return self._data_docs_dir / "index.html"

    def _data_source(self) -> Any:
        url = self._engine.url.render_as_string(hide_password=False)
        sources = self._context.data_sources
        if self._engine.dialect.name == "postgresql":
            return sources.add_postgres(
                "warehouse",
                connection_string=url,
                create_temp_table=True,
                kwargs={"connect_args": {"options": POSTGRESQL_SESSION_OPTIONS}},
            )
        return sources.add_sqlite("warehouse", connection_string=url, create_temp_table=True)


def _gx_suite(gx: Any, suite: Suite) -> Any:
    """The Great Expectations suite of ``suite``, with its expectations (not yet stored)."""
    return gx.ExpectationSuite(
        name=gx_suite_name(suite),
        meta={
            "version": suite.version,
            "table": suite.table_name,
            "description": suite.description,
        },
        expectations=[
            getattr(gx.expectations, check.kind)(
                **dict(check.kwargs),
                description=f"{check.name} — {check.description}",
                meta={"name": check.name, "suite_version": suite.version},
            )
            for check in suite.checks
        ],
    )


def _outcome(suite: Suite, item: Any) -> SuiteOutcome:
    config = item.expectation_config
    name = (config.meta or {}).get("name") or config.type
    return SuiteOutcome(
        suite=suite.name,
        expectation=name,
        success=bool(item.success),
        observed_value=_observed(item),
        table_name=suite.table_name,
    )


def _observed(item: Any) -> str | None:
    """What a person needs to see of a result, as short text."""
    info = item.exception_info or {}
    if info.get("raised_exception"):
        return f"error: {info.get('exception_message')}"[:2000]
    result: Mapping[str, Any] = item.result or {}
    if "observed_value" in result:
        return _text(result["observed_value"])
    if "unexpected_count" not in result:
        return None
    count, missing = result.get("element_count") or 0, result.get("missing_count") or 0
    if result["unexpected_count"]:
        sample = result.get("partial_unexpected_list") or []
        return f"{result['unexpected_count']} of {count} rows unexpected: {_text(sample)}"[:2000]
    if count and missing == count:
        return "no value to check"
    return f"{count - missing} of {count} rows checked, none unexpected"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _store(engine: sa.Engine, runs: Sequence[tuple[str, str, Sequence[SuiteOutcome]]]) -> None:
    """Write each run's outcomes (run id, period, outcomes) to ``dq_result`` in one
    transaction."""
    rows = [
        {
            "run_id": run_id,
            "suite": o.suite,
            "expectation": o.expectation,
            "period": period,
            "table_name": o.table_name,
            "success": o.success,
            "observed_value": o.observed_value,
        }
        for run_id, period, outcomes in runs
        for o in outcomes
    ]
    if not rows:
        return
    checked_at = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(dq_result.insert(), [{**row, "checked_at": checked_at} for row in rows])
