"""The start screen (Übersicht): key figures, what needs attention, the charts that matter."""

from __future__ import annotations

from integrationsmanager.ui.overview.page import OverviewPage

__all__ = ["OverviewPage"]
