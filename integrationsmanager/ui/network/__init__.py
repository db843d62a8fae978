"""The network area: organisations and people, their contact history, import and export."""

from __future__ import annotations

from integrationsmanager.ui.network.page import NetworkPage

__all__ = ["NetworkPage"]
