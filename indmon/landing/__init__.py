"""Pulling the extracts: landing locations, the content-addressed archive, SQL sources, replay."""

from indmon.landing.fetch import LandedFile, fetch_period, list_period, read_landed
from indmon.landing.location import LandingUnavailable, mask_location
from indmon.landing.replay import archived_files

__all__ = [
    "LandedFile",
    "LandingUnavailable",
    "archived_files",
    "fetch_period",
    "list_period",
    "mask_location",
    "read_landed",
]
