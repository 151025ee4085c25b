"""``generate_demo``: write a deterministic synthetic county's deliveries into a landing tree."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from indmon.demo.build import build_county
from indmon.demo.electricity import write_electricity
from indmon.demo.indicators import write_indicators
from indmon.demo.manifest import DemoEvent, DemoManifest, SourceOutput
from indmon.demo.model import County
from indmon.demo.periods import Timeline
from indmon.demo.projects import write_projects
from indmon.demo.reference import load_reference
from indmon.demo.registry import write_registry
from indmon.demo.statistics import write_statistics
from indmon.demo.targets import write_targets
from indmon.demo.tax import write_tax

#: One writer per source, each drawing from its own random stream (``f"{seed}:<source>…"``),
#: so adding one never changes the others' files.
Writer = Callable[[Path, County, int], SourceOutput]
WRITERS: tuple[Writer, ...] = (
    write_registry,
    write_electricity,
    write_tax,
    write_statistics,
    write_indicators,
    write_projects,
    write_targets,
)


def generate_demo(
    landing_dir: Path, *, seed: int = 20220, start: str = "2021-01", months: int = 24
) -> DemoManifest:
    """Write ``months`` monthly deliveries from ``start`` into ``landing_dir``.

    The tree is ``<landing>/<source>/<YYYY-MM>/<file>`` plus ``demo_manifest.json`` at the
    top. The same seed writes byte-identical files; the returned manifest lists every
    injected fault with the row a person would see it on. ``start`` and ``months`` shape
    the county too (stops sit at the end, faults at fixed month offsets 3-20), so another
    ``months`` is another county, and a run shorter than 21 months has fewer faults.
    Statistics files start in February (the ``1-2月`` file); a January has none.
    """
    landing_dir = Path(landing_dir)
    landing_dir.mkdir(parents=True, exist_ok=True)
    timeline = Timeline.parse(start, months)
    county = build_county(seed, timeline, load_reference())
    outputs = [writer(landing_dir, county, seed) for writer in WRITERS]
    by_period = tuple(
        sum(county.above_scale(e, t) for e in county.register_at(t)) for t in timeline.offsets
    )
    model_events = [
        DemoEvent(
            event.kind, timeline.period(max(event.t, 0)), event.code, event.name, event.detail
        )
        for event in county.events
    ]
    manifest = DemoManifest(
        landing_dir=landing_dir,
        periods=timeline.periods,
        enterprises=len(county.registered),
        above_scale=by_period[-1],
        faults=tuple(f for output in outputs for f in output.faults),
        seed=seed,
        above_scale_by_period=by_period,
        files=tuple(f for output in outputs for f in output.files),
        events=tuple(model_events + [e for output in outputs for e in output.events]),
        targets=tuple(t for output in outputs for t in output.targets),
    )
    manifest.write()
    return manifest
