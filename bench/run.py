"""Run the real monthly load on a province-sized landing tree and measure it against the floor.

``python -m bench.run --backend both --scale 1 0.1`` generates the landing trees when
missing (``bench/generate.py``), then for every backend and scale, in a fresh process and a
fresh warehouse:

1. loads the history month (2022-02) with the real steps, untimed but reported;
2. loads the measured month (2022-03) source by source with the real steps
   (``source.read`` per file, ``source.validate``, ``load_period``), rebuilds the marts
   the loads left once (``rebuild_pending_marts``, as a run does; ``--marts-per-load``:
   each load rebuilds its own, as a direct ``load_period`` call does) and runs the quality
   suites as one checkpoint (``run_quality_checks``) — the Prefect orchestrator is not
   started; ``warehouse.stages`` reports ``load_period``'s inner stages;
3. measures the physical floor on the same machine and the same files: the fastest plain
   reader (the decoded bytes through ``polars.read_csv``; ``fastexcel`` for workbooks) and a
   bulk insert of the same valid and held rows into empty tables of the same columns and
   primary key (``COPY`` on PostgreSQL, one ``executemany`` transaction on SQLite).

Per stage (read, validate, load, resolve, marts, quality) it reports wall time, rows per
second, the peak resident memory of the process during the stage, and read and load as
ratios to their floors; across scales the ratio of times (linear growth is 10 for 1 vs 0.1).
Results go to ``bench/out/<backend>-<scale>.json`` and ``bench/out/summary.json`` and are
printed as a table.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import fastexcel
import polars as pl
import sqlalchemy as sa

from bench.generate import HISTORY, MEASURED, SEED, ensure_landing
from indmon.catalogue import SourceDef, in_load_order
from indmon.steps import PreparedPeriod, load_prepared, prepare_period, prepare_warehouse
from schemas.rules import Split
from sources.extract import Extract
from sources.landing import period_files
from sources.tabular import CSV_SUFFIXES, _decode
from warehouse.engine import create_warehouse_engine, is_postgresql
from warehouse.load import STAGING, PeriodLoad
from warehouse.mart_pending import rebuild_pending_marts
from warehouse.quality import run_quality_checks
from warehouse.stages import recording
from warehouse.tables import held_row

SOURCES = ("registry", "electricity", "tax", "statistics")
STAGES = ("read", "validate", "load", "resolve", "marts", "quality")
OUT = Path("bench/out")
WORK = Path("var/bench")
POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


# --------------------------------------------------------------------------------------------
# Measuring: wall time and peak RSS per stage


class Meter:
    """Wall time per stage and the peak resident memory seen while each stage ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu_seconds: dict[str, float] = defaultdict(float)
        self.peak_rss: dict[str, int] = defaultdict(int)
        self._current_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    @staticmethod
    def rss() -> int:
        """The process's resident set size now, in bytes."""
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            self._current_peak = max(self._current_peak, self.rss())

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block as ``name`` (times add up over repeated stages)."""
        self._current_peak = self.rss()
        clock, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - clock
            self.cpu_seconds[name] += time.process_time() - cpu
            self.peak_rss[name] = max(self.peak_rss[name], self._current_peak, self.rss())

    def add(self, name: str, seconds: float, cpu_seconds: float) -> None:
        """Add a stage time reported from inside the pipeline (``warehouse.stages``)."""
        self.seconds[name] += seconds
        self.cpu_seconds[name] += cpu_seconds
        self.peak_rss[name] = max(self.peak_rss[name], self._current_peak)

    def close(self) -> None:
        """Stop sampling."""
        self._stop.set()
        self._thread.join()


# --------------------------------------------------------------------------------------------
# Warehouses


def fresh_warehouse(backend: str, scale: float) -> str:
    """An empty warehouse for one run: a new SQLite file or a new PostgreSQL database."""
    prefix = os.environ.get("INDMON_BENCH_NAME", "indmon_bench")  # several benches at once
    name = f"{prefix}_{str(scale).replace('.', '_')}"
    if backend == "sqlite":
        path = WORK / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    admin_url = os.environ.get("INDMON_BENCH_POSTGRES_URL", POSTGRES_ADMIN)
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return str(sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False))


# --------------------------------------------------------------------------------------------
# The floor


def read_floor(path: Path) -> int:
    """Read a file with the fastest plain reader; the number of rows it gives."""
    if path.suffix.lower() in CSV_SUFFIXES:
        text, _ = _decode(path, path.read_bytes())
        return pl.read_csv(text.encode("utf-8"), has_header=False, infer_schema=False).height
    frame = fastexcel.read_excel(path).load_sheet(0, header_row=None).to_polars()
    assert isinstance(frame, pl.DataFrame)
    return frame.height


def _floor_table(table: sa.Table, metadata: sa.MetaData) -> sa.Table:
    """An empty table with ``table``'s columns and primary key, no other constraint."""
    return sa.Table(
        f"floor_{table.name}",
        metadata,
        *(sa.Column(c.name, c.type, primary_key=c.primary_key) for c in table.columns),
    )


def insert_floor(engine: sa.Engine, source: str, period: str, split: Split) -> tuple[int, float]:
    """Bulk-insert the split's rows into fresh tables by the plainest route.

    Returns the rows inserted and the seconds the inserts and their commit took (the
    tables' creation and removal are not counted)."""
    metadata = sa.MetaData()
    targets = [
        (_floor_table(STAGING[source], metadata), split.valid),
        (
            _floor_table(held_row, metadata),
            split.held.with_columns(source=pl.lit(source), period=pl.lit(period)),
        ),
    ]
    metadata.create_all(engine)
    try:
        raw = engine.raw_connection()
        try:
            clock = time.perf_counter()
            rows = sum(
                _insert_plain(raw, table, frame, is_postgresql(engine)) for table, frame in targets
            )
            raw.commit()
            seconds = time.perf_counter() - clock
        finally:
            raw.close()
    finally:
        metadata.drop_all(engine)
    return rows, seconds


def _insert_plain(raw: Any, table: sa.Table, frame: pl.DataFrame, postgresql: bool) -> int:
    columns = [c for c in frame.columns if c in table.c]
    frame = frame.select(columns)
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = raw.cursor()
    if postgresql:
        buffer = io.BytesIO()
        frame.write_csv(buffer, include_header=False, null_value="")
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN WITH (FORMAT csv)') as copy:
            copy.write(buffer.getvalue())
    else:
        frame = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
        marks = ", ".join("?" for _ in columns)
        cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', frame.rows())
    cursor.close()
    return frame.height


# --------------------------------------------------------------------------------------------
# One run: a backend at a scale, in this process


def load_month(
    engine: sa.Engine,
    landing: Path,
    period: str,
    meter: Meter | None,
    sources: tuple[str, ...] = SOURCES,
    *,
    marts_per_load: bool = False,
) -> tuple[list[PeriodLoad], dict[str, PreparedPeriod], dict[str, int]]:
    """Load ``sources`` present for ``period`` with the real steps, timing the stages.

    As a run does, each load notes its marts and they are rebuilt once after the month's
    loads (``rebuild_pending_marts``); ``marts_per_load``: each load rebuilds its own
    marts in its transaction (a direct ``load_period`` call).
    """
    loads: list[PeriodLoad] = []
    prepared_by_source: dict[str, PreparedPeriod] = {}
    rows_read: dict[str, int] = {}

    @contextmanager
    def timed(name: str) -> Iterator[None]:
        if meter is None:
            yield
        else:
            with meter.stage(name):
                yield

    present = [name for name in sources if period_files(landing, name, period)]
    for source in in_load_order(present):
        paths = period_files(landing, source.name, period)
        with timed("read"):
            extracts = [source.read(path) for path in paths]
        rows_read[source.name] = sum(e.rows.height for e in extracts)
        with timed("validate"):
            prepared = prepare_period_from(source, period, paths, extracts)
        prepared_by_source[source.name] = prepared

        def load(prepared: PreparedPeriod = prepared) -> PeriodLoad:
            return load_prepared(engine, prepared, rebuild=marts_per_load)

        if meter is None:
            loads.append(load())
            continue
        inner: dict[str, tuple[float, float]] = {}

        def listen(
            name: str, wall: float, cpu: float, inner: dict[str, tuple[float, float]] = inner
        ) -> None:
            before = inner.get(name, (0.0, 0.0))
            inner[name] = (before[0] + wall, before[1] + cpu)

        clock, cpu = time.perf_counter(), time.process_time()
        with recording(listen), timed("_load_period"):
            loads.append(load())
        # The ledger, the lock and the commit belong to the load stage.
        rest = (
            time.perf_counter() - clock - sum(w for w, _ in inner.values()),
            time.process_time() - cpu - sum(c for _, c in inner.values()),
        )
        inner["load"] = (
            inner.get("load", (0.0, 0.0))[0] + rest[0],
            inner.get("load", (0.0, 0.0))[1] + rest[1],
        )
        for name, (wall, cpu_seconds) in inner.items():
            meter.add(name, wall, cpu_seconds)
            meter.add(f"{source.name}.{name}", wall, cpu_seconds)
    if not marts_per_load:
        with timed("marts"):
            rebuild_pending_marts(engine)
    return loads, prepared_by_source, rows_read


def prepare_period_from(
    source: SourceDef, period: str, paths: list[Path], extracts: list[Extract]
) -> PreparedPeriod:
    """``prepare_period`` on files already read: the contract's split and the delivered files."""
    delivered = dict(zip(paths, extracts, strict=True))
    return prepare_period(replace(source, read=delivered.__getitem__), period, paths)


def run_once(backend: str, scale: float, seed: int, marts_per_load: bool = False) -> dict[str, Any]:
    """Load the history month, then measure the measured month and its floor."""
    landing = ensure_landing(WORK / f"landing-{scale:g}", scale, seed)
    WORK.mkdir(parents=True, exist_ok=True)
    url = fresh_warehouse(backend, scale)
    engine = create_warehouse_engine(url)
    result: dict[str, Any] = {
        "backend": backend,
        "scale": scale,
        "seed": seed,
        "marts": "per_load" if marts_per_load else "once",
    }
    try:
        clock = time.perf_counter()
        prepare_warehouse(engine)
        history, _, _ = load_month(engine, landing, HISTORY, None, marts_per_load=marts_per_load)
        result["history_seconds"] = round(time.perf_counter() - clock, 2)
        result["history"] = [(load.source, load.status) for load in history]

        meter = Meter()
        loads, prepared, rows_read = load_month(
            engine, landing, MEASURED, meter, marts_per_load=marts_per_load
        )
        with meter.stage("quality"):
            report = run_quality_checks(url, MEASURED, data_docs_dir=WORK / f"docs-{backend}")
        meter.close()
        result["loads"] = {
            load.source: {
                "status": load.status,
                "rows_read": sum(f.rows_read for f in load.files),
                "rows_loaded": sum(f.rows_loaded for f in load.files),
                "rows_held": load.rows_held,
            }
            for load in loads
        }
        result["quality_failed"] = [f"{o.suite}:{o.expectation}" for o in report.failed]

        floor = Meter()
        paths = [p for s in SOURCES for p in period_files(landing, s, MEASURED)]
        with floor.stage("read"):
            floor_rows = sum(read_floor(path) for path in paths)
        inserts = [
            insert_floor(engine, name, MEASURED, p.split)
            for name, p in prepared.items()
            if p.split is not None
        ]
        inserted = sum(rows for rows, _ in inserts)
        floor.seconds["load"] = sum(seconds for _, seconds in inserts)
        floor.close()

        rows_in = sum(rows_read.values())
        rows_loaded = sum(v["rows_loaded"] + v["rows_held"] for v in result["loads"].values())
        stage_rows = {
            "read": rows_in,
            "validate": rows_in,
            "load": rows_loaded,
            "resolve": rows_loaded,
            "marts": rows_loaded,
            "quality": rows_loaded,
        }
        result["stages"] = {
            name: {
                "seconds": round(meter.seconds[name], 3),
                "rows_per_second": round(stage_rows[name] / meter.seconds[name])
                if meter.seconds[name]
                else None,
                "peak_rss_mb": round(meter.peak_rss[name] / 2**20),
                # This process's CPU time: steadier than wall time on a shared machine, but
                # without PostgreSQL's own work (in the server) for load, resolve and marts.
                "cpu_seconds": round(meter.cpu_seconds[name], 3),
            }
            for name in STAGES
        }
        result["by_source"] = {k: round(v, 3) for k, v in sorted(meter.seconds.items()) if "." in k}
        result["end_to_end_seconds"] = round(sum(meter.seconds[s] for s in STAGES), 2)
        result["floor"] = {
            "read_seconds": round(floor.seconds["read"], 3),
            "read_rows": floor_rows,
            "load_seconds": round(floor.seconds["load"], 3),
            "load_rows": inserted,
            "read_ratio": round(meter.seconds["read"] / floor.seconds["read"], 2),
            "load_ratio": round(meter.seconds["load"] / floor.seconds["load"], 2),
        }
        result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    finally:
        engine.dispose()
    return result


# --------------------------------------------------------------------------------------------
# Reporting


def _scale_name(scale: float) -> str:
    return f"{scale:g}"


def _result_name(backend: str, scale: float, marts_per_load: bool) -> str:
    return f"{backend}-{_scale_name(scale)}{'-per-load' if marts_per_load else ''}.json"


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Linearity per backend: each stage's time at the largest scale over the smallest."""
    summary: dict[str, Any] = {"runs": results, "linearity": {}}
    by_backend: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        by_backend[r["backend"]].append(r)
    for backend, runs in by_backend.items():
        if len(runs) < 2:
            continue
        runs = sorted(runs, key=lambda r: r["scale"])
        small, large = runs[0], runs[-1]
        ratios = {
            stage: round(large["stages"][stage]["seconds"] / small["stages"][stage]["seconds"], 1)
            for stage in STAGES
            if small["stages"][stage]["seconds"]
        }
        ratios["end_to_end"] = round(large["end_to_end_seconds"] / small["end_to_end_seconds"], 1)
        summary["linearity"][backend] = {
            "scales": [small["scale"], large["scale"]],
            "rows_ratio": round(large["scale"] / small["scale"], 1),
            "time_ratio": ratios,
        }
    return summary


def print_table(summary: dict[str, Any]) -> None:
    """The runs as a rich table: one row per stage, a column per backend and scale."""
    from rich.console import Console
    from rich.table import Table

    runs = summary["runs"]
    table = Table(title="indmon province month (2022-03 onto 2022-02)")
    table.add_column("stage")
    for r in runs:
        table.add_column(f"{r['backend']} ×{_scale_name(r['scale'])}", justify="right")
    for stage in STAGES:
        cells = []
        for r in runs:
            s = r["stages"][stage]
            text = (
                f"{s['seconds']:.2f} s (cpu {s['cpu_seconds']:.2f})"
                f" · {s['rows_per_second'] or 0:,}/s"
                f" · {s['peak_rss_mb']} MB"
            )
            if stage in ("read", "load"):
                text += f" · {r['floor'][stage + '_ratio']}× floor"
            cells.append(text)
        table.add_row(stage, *cells)
    table.add_row("end to end", *(f"{r['end_to_end_seconds']:.2f} s" for r in runs))
    table.add_row("peak RSS", *(f"{r['peak_rss_mb']} MB" for r in runs))
    table.add_row(
        "floor read / load",
        *(f"{r['floor']['read_seconds']:.2f} s / {r['floor']['load_seconds']:.2f} s" for r in runs),
    )
    table.add_row("history month", *(f"{r['history_seconds']:.1f} s" for r in runs))
    Console().print(table)
    for backend, lin in summary["linearity"].items():
        Console().print(
            f"{backend}: ×{lin['rows_ratio']} rows → time ×{lin['time_ratio']['end_to_end']}"
            f" end to end; per stage {lin['time_ratio']}"
        )


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.run [--backend sqlite|postgresql|both] [--scale 1 0.1]``."""
    parser = argparse.ArgumentParser(description="indmon province-scale benchmark")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--scale", type=float, nargs="+", default=[1.0, 0.1])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--marts-per-load",
        action="store_true",
        help="each load rebuilds its marts (default: once after the month's loads, as a run)",
    )
    # Marts once per month is the default now; the flag stays accepted for old commands.
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.worker:
        result = run_once(backends[0], args.scale[0], args.seed, args.marts_per_load)
        (OUT / _result_name(backends[0], args.scale[0], args.marts_per_load)).write_text(
            json.dumps(result, ensure_ascii=False, indent=2)
        )
        return
    results = []
    for scale in args.scale:
        ensure_landing(WORK / f"landing-{scale:g}", scale, args.seed)
    for backend in backends:
        for scale in args.scale:
            # A fresh process per run: its peak memory is the run's own.
            subprocess.run(
                [sys.executable, "-m", "bench.run", "--worker", "--backend", backend,
                 "--scale", str(scale), "--seed", str(args.seed),
                 *(["--marts-per-load"] if args.marts_per_load else [])],
                check=True,
            )  # fmt: skip
            name = _result_name(backend, scale, args.marts_per_load)
            results.append(json.loads((OUT / name).read_text()))
    summary = summarise(results)
    (OUT / f"summary{'-per-load' if args.marts_per_load else ''}.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2)
    )
    print_table(summary)


if __name__ == "__main__":
    main()
