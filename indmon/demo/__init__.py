"""A deterministic synthetic 濉溪县: the agencies' monthly deliveries for demos and tests.

``generate_demo(landing_dir)`` builds about 600 enterprises (about 150 above scale) on the
county's real towns, parks and GB/T 4754-2017 classes, and writes 24 months of the
bureau's register, the utility's kWh files, the tax bureau's 税收入库明细, the statistics
bureau's year-to-date 规上工业企业主要经济指标 (no January file), its county
主要经济指标 release, the bureau's 工业项目库 and the county's 年度目标 for each year,
in the layouts of ``docs/extracts.md``, with the usual mess and a
small known set of injected bad rows listed in the returned :class:`DemoManifest`.

Modules: ``periods`` (month offsets), ``reference`` (regions, classes), ``naming``
(industries, names, codes), ``model`` (the enterprise model and its economics), ``build``
(the county from a seed), ``files`` (CSV/xlsx writing), one writer per source
(``registry``, ``electricity``, ``tax``, ``statistics``, ``indicators``, ``projects``,
``targets``), ``manifest`` and
``generate``. Each writer draws from its own random stream, so adding one leaves the
other sources' files byte-identical.
"""

from indmon.demo.generate import generate_demo
from indmon.demo.manifest import (
    DemoEvent,
    DemoFile,
    DemoManifest,
    DemoTarget,
    InjectedFault,
    load_manifest,
)

__all__ = [
    "DemoEvent",
    "DemoFile",
    "DemoManifest",
    "DemoTarget",
    "InjectedFault",
    "generate_demo",
    "load_manifest",
]
