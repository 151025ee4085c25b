"""``indmon``: the command line, a thin face over the flows.

Settings come from flags, then ``INDMON_*`` environment variables, then defaults.
Flags are handed to the flows through this process's environment so that a
password in a warehouse URL never becomes a flow parameter.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from indmon.settings import Settings, local_landing_path

if TYPE_CHECKING:
    from warehouse.load import PeriodLoad

app = typer.Typer(
    help="Monthly loads of the county's industry extracts into the warehouse.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The warehouse schema.", no_args_is_help=True)
accounts_app = typer.Typer(
    help="Metering accounts not resolved to an enterprise.", invoke_without_command=True
)
marts_app = typer.Typer(help="The marts dashboards read.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(accounts_app, name="accounts")
app.add_typer(marts_app, name="marts")


def console() -> Console:
    """The console of this invocation (made per call, so it sees the terminal's width)."""
    return Console()


LandingOption = Annotated[
    str | None,
    typer.Option(
        "--landing",
        help="Landing folder or URL (sftp://, s3://, …) [env INDMON_LANDING, INDMON_LANDING_DIR]",
    ),
]
WarehouseOption = Annotated[
    str | None, typer.Option("--warehouse", help="Warehouse URL [env INDMON_WAREHOUSE_URL]")
]
RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--evaluation-config",
        help="The bureau's rules file (TOML) [env INDMON_EVALUATION_CONFIG]",
        exists=True,
        dir_okay=False,
    ),
]


def _settings(
    landing: str | None = None, warehouse: str | None = None, rules: Path | None = None
) -> Settings:
    """Build the settings and export the flags so flows started here see them."""
    settings = Settings().with_overrides(
        landing=landing, warehouse_url=warehouse, evaluation_config=rules
    )
    os.environ["INDMON_LANDING_DIR"] = str(settings.landing_dir)
    if settings.landing and local_landing_path(settings.landing) is None:
        os.environ["INDMON_LANDING"] = settings.landing
    else:
        os.environ.pop("INDMON_LANDING", None)
    os.environ["INDMON_WAREHOUSE_URL"] = settings.warehouse_url
    if settings.evaluation_config is not None:
        from warehouse.rules import RulesError, load_rules

        try:
            load_rules(settings.evaluation_config)
        except RulesError as error:
            console().print(f"[bold red]rules:[/] {error}")
            raise typer.Exit(code=2) from error
        os.environ["INDMON_EVALUATION_CONFIG"] = str(settings.evaluation_config)
    return settings


def _quiet_prefect(verbose: bool) -> None:
    """No telemetry, and no start-up noise unless asked for; set before Prefect is imported.

    A temporary Prefect server is started only when ``PREFECT_API_URL`` is unset.
    """
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # Without PREFECT_API_URL a temporary server starts for the run; its first start
    # creates its database, which takes longer than Prefect's 20 s on a slow machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")


def _start_prefect_server() -> threading.Thread | None:
    """Start the temporary Prefect server now, in the background, unless a server is set.

    The server is a subprocess that takes seconds to start. Started here, it starts on the
    other core while this process imports the flows and Great Expectations, instead of
    after them: ``indmon run`` for one demo month 14.1 s -> 11.9 s. The thread only
    waits for the server; the first flow finds it running (``_server_started``). Should it
    fail, Prefect starts it itself at the first flow and reports why.
    """
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        return None
    # Imported here, not in the thread: two threads importing one package can each find
    # the other's half-imported modules.
    from prefect.server.api.server import SubprocessASGIServer

    def start() -> None:
        try:
            SubprocessASGIServer().start()
        except Exception:  # Prefect retries at the first flow, and says why
            return

    thread = threading.Thread(target=start, name="prefect-server", daemon=True)
    thread.start()
    return thread


def _server_started(server: threading.Thread | None) -> None:
    """While the temporary server starts, import what the flows will need; then wait."""
    if server is None:
        return
    import great_expectations  # noqa: F401  # the quality task's import, overlapped

    server.join()


def _print_loads(loads: Sequence[PeriodLoad]) -> bool:
    """Print one line per file; return whether every period loaded or was unchanged."""
    from indmon.load_display import summary_table

    console().print(summary_table(loads, by="file"))
    for load in loads:
        for f in load.files:
            if f.status == "refused":
                console().print(f"[bold red]refused:[/] {f.message or f.file_name}")
    return all(load.status != "refused" for load in loads)


def _print_report(settings: Settings, period: str | None) -> None:
    """Write the monthly report of ``period`` (default the latest) and print its path."""
    from indmon.report import NothingToReport, write_report
    from warehouse.engine import warehouse_engine

    with warehouse_engine(settings.warehouse_url) as engine:
        try:
            written = write_report(engine, settings, period)
        except NothingToReport as reason:
            console().print(f"[bold red]no report:[/] {reason}")
            raise typer.Exit(code=2) from reason
    console().print(f"monthly report {written.period}: {written.path.resolve()}")


@app.command()
def run(
    period: Annotated[str, typer.Option(help="The month to load, YYYY-MM.")],
    landing: LandingOption = None,
    warehouse: WarehouseOption = None,
    evaluation_config: RulesOption = None,
    force: Annotated[bool, typer.Option(help="Reload files even when unchanged.")] = False,
    verbose: Annotated[bool, typer.Option(help="Show Prefect's logs.")] = False,
) -> None:
    """Load every source present in the landing folder for one month."""
    from sources.landing import is_period

    if not is_period(period):
        raise typer.BadParameter(f"{period!r} is not a month YYYY-MM", param_hint="--period")
    settings = _settings(landing, warehouse, evaluation_config)
    _quiet_prefect(verbose)
    server = _start_prefect_server()
    from flows.monthly import monthly_load
    from indmon.landing import mask_location
    from indmon.load_display import LoadProgress

    _server_started(server)
    with LoadProgress(console()):
        loads = monthly_load(period, force=force)
    if not loads:
        console().print(
            f"nothing to load for {period} under {mask_location(settings.landing_location)}"
        )
    for load in loads:
        if load.status == "awaited":
            console().print(f"awaited: no {load.source} file for {load.period} yet")
    if not _print_loads(loads):
        raise typer.Exit(code=2)


@app.command()
def demo(
    landing: LandingOption = None,
    warehouse: WarehouseOption = None,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic county.")] = 20220,
    months: Annotated[int, typer.Option(help="How many months, from 2021-01.")] = 24,
    verbose: Annotated[bool, typer.Option(help="Show Prefect's logs.")] = False,
) -> None:
    """Generate the synthetic county's extracts and load them into the warehouse."""
    from indmon.demo import generate_demo

    settings = _settings(landing or str(Path("var") / "demo-landing"), warehouse)
    _quiet_prefect(verbose)
    server = _start_prefect_server()
    manifest = generate_demo(settings.landing_dir, seed=seed, months=months)
    console().print(f"generated {len(manifest.periods)} months under {settings.landing_dir}")
    from flows.backfill import backfill
    from indmon.load_display import LoadProgress, summary_table

    _server_started(server)
    with LoadProgress(console()):
        loads = backfill(manifest.periods[0], manifest.periods[-1])
    refused = [load for load in loads if load.status == "refused"]
    if refused:
        _print_loads(refused)
    console().print(summary_table(loads, by="source", title="Demo load"))
    console().print(f"warehouse: {settings.safe_warehouse_url}")
    quality_page = settings.resolved_data_docs_dir / "quality.html"
    if quality_page.exists():
        console().print(f"data quality: {quality_page}")
    _print_report(settings, manifest.periods[-1])
    if refused:
        raise typer.Exit(code=2)


@app.command()
def backfill(
    first: Annotated[str, typer.Option("--from", help="First month, YYYY-MM.")],
    last: Annotated[str, typer.Option("--to", help="Last month, YYYY-MM.")],
    source: Annotated[list[str] | None, typer.Option(help="Only this source (repeatable).")] = None,
    only_missing: Annotated[
        bool, typer.Option(help="Load only source-periods never loaded.")
    ] = False,
    force: Annotated[bool, typer.Option(help="Reload files even when unchanged.")] = False,
    landing: LandingOption = None,
    warehouse: WarehouseOption = None,
    verbose: Annotated[bool, typer.Option(help="Show Prefect's logs.")] = False,
) -> None:
    """Load a range of months in order, skipping source-periods whose files are unchanged."""
    from indmon.parameters import check_sources, periods_between

    try:
        periods_between(first, last)
        check_sources(source)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
    _settings(landing, warehouse)
    _quiet_prefect(verbose)
    server = _start_prefect_server()
    from flows.backfill import backfill as backfill_flow
    from indmon.load_display import LoadProgress, summary_table

    _server_started(server)
    with LoadProgress(console()):
        loads = backfill_flow(
            first,
            last,
            sources=source,  # type: ignore[arg-type]  # checked above
            only_missing=only_missing,
            force=force,
        )
    console().print(summary_table(loads, by="source", title="Backfill"))
    refused = [load for load in loads if load.status == "refused"]
    if refused:
        _print_loads(refused)
        raise typer.Exit(code=2)


@app.command()
def deployments(
    output: Annotated[Path, typer.Option(help="Where to write the Prefect project file.")] = Path(
        "prefect.yaml"
    ),
) -> None:
    """Write prefect.yaml: the deployments and schedules `indmon serve` serves.

    Schedules follow INDMON_ARRIVAL_DAYS; deploy them with `prefect deploy --all` to a work
    pool named indmon.
    """
    import yaml

    from indmon.schedules import prefect_project

    text = yaml.safe_dump(prefect_project(Settings()), allow_unicode=True, sort_keys=False)
    output.write_text(PREFECT_YAML_HEADER + text, encoding="utf-8")
    console().print(f"wrote {output}")


PREFECT_YAML_HEADER = (
    "# Generated by `indmon deployments` from indmon/schedules.py; do not edit by hand.\n"
)


@app.command()
def serve(
    landing: LandingOption = None,
    warehouse: WarehouseOption = None,
    verbose: Annotated[bool, typer.Option(help="Show Prefect's logs.")] = False,
) -> None:
    """Serve every deployment on its schedule from this process (a single-machine install).

    Uses the Prefect server at PREFECT_API_URL, else a temporary one for the process.
    """
    settings = _settings(landing, warehouse)
    _quiet_prefect(verbose)
    from prefect import serve as prefect_serve

    from indmon.serving import runner_deployments

    served, missing = runner_deployments(settings)
    for name in missing:
        console().print(f"[yellow]not served:[/] {name} (its flow is not installed)")
    console().print(f"serving {len(served)} deployments against {settings.safe_warehouse_url}")
    prefect_serve(*served, print_starting_message=verbose)


@app.command()
def report(
    period: Annotated[
        str | None, typer.Option(help="The month, YYYY-MM (default: the latest loaded).")
    ] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Write the monthly report (工业经济运行月报) as one self-contained HTML page."""
    from indmon.steps import prepare_warehouse
    from sources.landing import is_period
    from warehouse.engine import warehouse_engine

    if period is not None and not is_period(period):
        raise typer.BadParameter(f"{period!r} is not a month YYYY-MM", param_hint="--period")
    settings = _settings(warehouse=warehouse)
    with warehouse_engine(settings.warehouse_url) as engine:
        prepare_warehouse(engine)
    _print_report(settings, period)


@app.command()
def validate(
    file: Annotated[
        Path,
        typer.Argument(help="The delivered file (.csv or .xlsx).", exists=True, dir_okay=False),
    ],
    source: Annotated[
        str,
        typer.Option(
            help="Which extract it is: registry, electricity, tax, statistics, indicators,"
            " projects or targets."
        ),
    ],
    period: Annotated[
        str | None,
        typer.Option(
            help="The month it is for, YYYY-MM, or the year for targets"
            " (default: its folder's name)."
        ),
    ] = None,
    rows: Annotated[int, typer.Option(help="How many held rows to print.")] = 50,
) -> None:
    """Check one file against its contract without loading it: what would be held and why.

    Exits 0 when the file would load (held rows are listed), 2 when it would be refused.
    """
    from indmon.catalogue import SOURCES
    from indmon.steps import prepare_period
    from schemas.reasons import BY_CODE
    from sources.landing import YEARLY_SOURCES, is_period, is_year

    if source not in SOURCES:
        raise typer.BadParameter(
            f"unknown source {source!r}; one of {', '.join(SOURCES)}", param_hint="--source"
        )
    period = period or file.parent.name
    if not (is_period(period) or (source in YEARLY_SOURCES and is_year(period))):
        folder = "YYYY or YYYY-MM" if source in YEARLY_SOURCES else "YYYY-MM"
        raise typer.BadParameter(
            f"the file is not in a {folder} folder: give --period", param_hint="--period"
        )
    prepared = prepare_period(SOURCES[source], period, [file])
    if prepared.split is None:
        for message in prepared.refused.values():
            console().print(f"[bold red]refused:[/] {message}")
        raise typer.Exit(code=2)
    split = prepared.split
    console().print(
        f"{file.name}: {split.rows_read} rows read, {split.valid.height} would load, "
        f"{split.held.height} would be held"
    )
    if split.held.height:
        table = Table(title="Held rows")
        for column in ("row", "reason", "原因", "column", "detail"):
            table.add_column(column, overflow="fold")
        for held in split.held.head(rows).iter_rows(named=True):
            table.add_row(
                str(held["row_number"]),
                held["reason"],
                BY_CODE[held["reason"]].zh,
                held["column_name"] or "",
                held["detail"],
            )
        console().print(table)


@app.command()
def unregistered(
    period: Annotated[str | None, typer.Option(help="Only this month, YYYY-MM.")] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """List enterprises the utility, tax or statistics extracts name but the register lacks."""
    from indmon.steps import prepare_warehouse
    from warehouse.engine import create_warehouse_engine
    from warehouse.enterprises import unregistered_enterprises

    settings = _settings(warehouse=warehouse)
    engine = create_warehouse_engine(settings.warehouse_url)
    prepare_warehouse(engine, settings.evaluation_config)
    found = unregistered_enterprises(engine, period)
    table = Table(title=f"{len(found)} enterprises not in the register")
    for column in ("统一社会信用代码", "名称", "first", "last", "region", "电", "税", "统计"):
        table.add_column(column, overflow="fold")
    for row in found:
        table.add_row(
            row.credit_code,
            row.name or "",
            row.first_period,
            row.last_period,
            row.region_code or "",
            str(row.electricity_months),
            str(row.tax_months),
            str(row.statistics_months),
        )
    console().print(table)


@db_app.command("upgrade")
def db_upgrade(warehouse: WarehouseOption = None, evaluation_config: RulesOption = None) -> None:
    """Bring the warehouse to the current schema, sync reference data and the bureau's rules."""
    from indmon.steps import prepare_warehouse
    from warehouse.engine import create_warehouse_engine
    from warehouse.rules import current_rules_version
    from warehouse.schema import current_revision

    settings = _settings(warehouse=warehouse, rules=evaluation_config)
    engine = create_warehouse_engine(settings.warehouse_url)
    prepare_warehouse(engine, settings.evaluation_config)
    with engine.connect() as connection:
        version = current_rules_version(connection)
    console().print(
        f"{settings.safe_warehouse_url} is at revision {current_revision(engine)}, rules {version}"
    )


@db_app.command("grant")
def db_grant(warehouse: WarehouseOption = None) -> None:
    """Create the roles indmon_reader and indmon_analyst (PostgreSQL) and grant them reads."""
    from indmon.steps import prepare_warehouse
    from warehouse.access import RolesNotSupported, grant_roles
    from warehouse.engine import create_warehouse_engine

    settings = _settings(warehouse=warehouse)
    engine = create_warehouse_engine(settings.warehouse_url)
    prepare_warehouse(engine, settings.evaluation_config)
    try:
        granted = grant_roles(engine)
    except RolesNotSupported:
        console().print(
            f"{settings.safe_warehouse_url}: roles do not apply to SQLite; "
            "whoever can read the file reads everything"
        )
        return
    for role, tables in granted.items():
        console().print(f"{role}: SELECT on {len(tables)} tables")


@marts_app.command("rebuild")
def marts_rebuild(
    from_period: Annotated[
        str | None,
        typer.Option("--from", help="Also rebuild every mart from this month on, YYYY-MM."),
    ] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Rebuild the marts loads left to rebuild (a run does this itself; after a failed one)."""
    from indmon.steps import prepare_warehouse
    from sources.landing import is_period
    from warehouse.engine import warehouse_engine
    from warehouse.mart_pending import rebuild_pending_marts

    if from_period is not None and not is_period(from_period):
        raise typer.BadParameter(f"{from_period!r} is not a month YYYY-MM", param_hint="--from")
    settings = _settings(warehouse=warehouse)
    with warehouse_engine(settings.warehouse_url) as engine:
        prepare_warehouse(engine, settings.evaluation_config)
        done = rebuild_pending_marts(engine, every_mart_from=from_period)
    for source, period in done.pending:
        console().print(f"pending: {source} from {period}")
    for mart, period in done.marts:
        console().print(f"rebuilt {mart} from {period}")
    if not done.marts:
        console().print("nothing to rebuild: the marts are up to date")


@accounts_app.callback()
def accounts(ctx: typer.Context, warehouse: WarehouseOption = None) -> None:
    """List the metering accounts not resolved to an enterprise."""
    if ctx.invoked_subcommand is not None:
        return
    from indmon.steps import prepare_warehouse
    from warehouse.accounts import unresolved_accounts
    from warehouse.engine import create_warehouse_engine

    settings = _settings(warehouse=warehouse)
    engine = create_warehouse_engine(settings.warehouse_url)
    prepare_warehouse(engine, settings.evaluation_config)
    rows = unresolved_accounts(engine)
    table = Table(title=f"{len(rows)} unresolved accounts")
    for column in ("户号", "户名", "months", "first", "last", "kWh"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row.account_no,
            row.account_name or "",
            str(row.months),
            row.first_period,
            row.last_period,
            f"{row.kwh:,}",
        )
    console().print(table)


@accounts_app.command("map")
def accounts_map(
    account_no: Annotated[str, typer.Argument(help="户号, the 10-digit metering account.")],
    credit_code: Annotated[str, typer.Argument(help="统一社会信用代码 of the enterprise.")],
    warehouse: WarehouseOption = None,
) -> None:
    """Map an account to an enterprise for all months, and rebuild the marts."""
    from indmon.steps import prepare_warehouse
    from warehouse.accounts import map_account
    from warehouse.engine import create_warehouse_engine

    settings = _settings(warehouse=warehouse)
    engine = create_warehouse_engine(settings.warehouse_url)
    prepare_warehouse(engine, settings.evaluation_config)
    try:
        map_account(engine, account_no, credit_code.strip().upper())
    except ValueError as error:
        console().print(f"[bold red]error:[/] {error}")
        raise typer.Exit(code=2) from error
    console().print(f"account {account_no} -> {credit_code}: every month re-resolved")


if __name__ == "__main__":
    app()
