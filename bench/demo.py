"""The demo county's 24 months: the pipeline's own work, and the commands as people run them.

``python -m bench.demo [--backend sqlite|postgresql] [--skip-cli]`` generates the demo
county (seed 20220) and loads its months in order with the plain steps (read, validate,
load with resolve and marts, the quality checkpoint per month), timing each stage over all
months and the slowest month. Then, timed from the outside as a data engineer runs them
(each with its own temporary Prefect server): ``indmon backfill`` of the 24 months on a
fresh warehouse, ``indmon run --period <last month> --force`` on it (every source of one
month reloaded), and ``indmon demo`` on another fresh warehouse (generation included).
Results go to ``bench/out/demo-<backend>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from typing import Any

from bench.run import OUT, STAGES, WORK, Meter, fresh_warehouse, load_month
from indmon.demo import generate_demo
from indmon.steps import prepare_warehouse
from warehouse.engine import create_warehouse_engine
from warehouse.quality import run_quality_checks

DEMO_SOURCES = ("registry", "electricity", "tax", "statistics", "indicators")


def pipeline_work(backend: str) -> dict[str, Any]:
    """Every demo month through the plain steps; seconds per stage and per month."""
    landing = WORK / "demo-landing"
    manifest = generate_demo(landing)
    url = fresh_warehouse(backend, 0)
    engine = create_warehouse_engine(url)
    months: dict[str, float] = {}
    total = Meter()
    try:
        prepare_warehouse(engine)
        for period in manifest.periods:
            meter = Meter()
            load_month(engine, landing, period, meter, DEMO_SOURCES)
            with meter.stage("quality"):
                run_quality_checks(url, period, data_docs_dir=None)
            meter.close()
            months[period] = round(sum(meter.seconds[s] for s in STAGES), 3)
            for stage in STAGES:
                total.seconds[stage] += meter.seconds[stage]
    finally:
        total.close()
        engine.dispose()
    return {
        "months": len(months),
        "stages": {stage: round(total.seconds[stage], 2) for stage in STAGES},
        "total_seconds": round(sum(total.seconds[s] for s in STAGES), 2),
        "mean_month_seconds": round(sum(months.values()) / len(months), 3),
        "mean_month_without_quality": round(
            sum(total.seconds[s] for s in STAGES if s != "quality") / len(months), 3
        ),
        "slowest_month": max(months.items(), key=lambda item: item[1]),
    }


def _indmon(arguments: list[str], url: str, landing: str) -> float:
    """Seconds ``indmon <arguments>`` takes as a newcomer runs it (its own temporary Prefect
    server included), on warehouse ``url`` and landing folder ``landing``."""
    env = {
        **os.environ,
        "INDMON_WAREHOUSE_URL": url,
        "INDMON_LANDING_DIR": landing,
        "INDMON_DATA_DOCS_DIR": str(WORK / "demo-docs"),
        "INDMON_REPORT_DIR": str(WORK / "demo-reports"),
        "PYTHONPATH": os.getcwd(),
    }
    clock = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from indmon.cli import app; app()", *arguments],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return round(time.perf_counter() - clock, 1)


def indmon_commands(backend: str) -> dict[str, Any]:
    """The commands a data engineer runs, timed from the outside on a fresh warehouse:
    ``indmon backfill`` of the 24 demo months, then ``indmon run --force`` of the last
    month (a full reload of all its sources), then ``indmon demo`` (generation included)."""
    landing = WORK / "demo-landing"
    manifest = generate_demo(landing)
    first, last = manifest.periods[0], manifest.periods[-1]
    url = fresh_warehouse(backend, 0)
    backfill = _indmon(["backfill", "--from", first, "--to", last], url, str(landing))
    run = _indmon(["run", "--period", last, "--force"], url, str(landing))
    url = fresh_warehouse(backend, 0)
    demo = _indmon(["demo", "--landing", str(WORK / "demo-landing-cli")], url, str(landing))
    return {
        "backfill_24_months_seconds": backfill,
        "run_one_month_seconds": run,
        "demo_seconds": demo,
    }


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.demo [--backend sqlite|postgresql] [--skip-cli]``."""
    parser = argparse.ArgumentParser(description="indmon demo county timings")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"backend": args.backend, "pipeline": pipeline_work(args.backend)}
    if not args.skip_cli:
        result["commands"] = indmon_commands(args.backend)
    (OUT / f"demo-{args.backend}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
