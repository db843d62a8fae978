"""The monitoring area: indicators (Kennzahlen), their values, charts, import and export."""

from __future__ import annotations

from integrationsmanager.ui.monitoring.page import MonitoringPage

__all__ = ["MonitoringPage"]
