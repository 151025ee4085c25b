"""A deterministic synthetic 濉溪县: the agencies' monthly deliveries for demos and tests.

``generate_demo(landing_dir)`` builds about 600 enterprises (about 150 above scale) on the
county's real towns, parks and GB/T 4754-2017 classes, and writes 24 months of the
bureau's register and the utility's kWh files in the layouts of
``/work/shared/extracts/README.md``, with the usual mess and a small known set of
injected bad rows listed in the returned :class:`DemoManifest`.

Modules: ``periods`` (month offsets), ``reference`` (regions, classes), ``naming``
(industries, names, codes), ``model`` (the enterprise model), ``build`` (the county from
a seed), ``files`` (CSV/xlsx writing), one writer per source (``registry``,
``electricity``), ``manifest`` and ``generate``.
"""

from indmon.demo.generate import generate_demo
from indmon.demo.manifest import (
    DemoEvent,
    DemoFile,
    DemoManifest,
    InjectedFault,
    load_manifest,
)

__all__ = [
    "DemoEvent",
    "DemoFile",
    "DemoManifest",
    "InjectedFault",
    "generate_demo",
    "load_manifest",
]
