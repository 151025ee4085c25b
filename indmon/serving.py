"""``indmon serve``: the deployments of :mod:`indmon.schedules`, served from one process."""

from __future__ import annotations

import importlib
from typing import Any

from indmon.parameters import TIME_ZONE
from indmon.schedules import DeploymentSpec, deployment_specs
from indmon.settings import Settings


def load_flow(spec: DeploymentSpec) -> Any | None:
    """The flow object of a deployment's entrypoint (None when its module is not there)."""
    path, function = spec.entrypoint.split(":")
    module_name = path.removesuffix(".py").replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        return None
    return getattr(module, function)


def runner_deployments(settings: Settings) -> tuple[list[Any], list[str]]:
    """Runner deployments for every spec whose flow exists, and the names of the missing."""
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron

    deployments, missing = [], []
    for spec in deployment_specs(settings):
        flow = load_flow(spec)
        if flow is None:
            missing.append(spec.name)
            continue
        deployments.append(
            flow.to_deployment(
                name=spec.name,
                description=spec.description,
                tags=list(spec.tags),
                parameters=spec.parameters,
                schedules=[Cron(spec.cron, timezone=TIME_ZONE)],
                entrypoint_type=EntrypointType.MODULE_PATH,
            )
        )
    return deployments, missing
