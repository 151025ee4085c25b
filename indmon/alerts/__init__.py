"""Alerts: findings become ``alert`` rows, sent once per load to Apprise URLs.

Configure channels as comma-separated Apprise URLs (``INDMON_ALERT_URLS``); none
configured means alerts live only in the ``alert`` table.
"""

from indmon.alerts.compose import compose_message
from indmon.alerts.deliver import DeliveryResult, deliver
from indmon.alerts.model import SEVERITIES, AlertRow, Finding
from indmon.alerts.secrets import mask_url, parse_alert_urls
from indmon.alerts.store import record_findings, undelivered_alerts

__all__ = [
    "SEVERITIES",
    "AlertRow",
    "DeliveryResult",
    "Finding",
    "compose_message",
    "deliver",
    "mask_url",
    "parse_alert_urls",
    "record_findings",
    "undelivered_alerts",
]
