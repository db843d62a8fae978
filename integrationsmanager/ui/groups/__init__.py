"""The groups area: working groups, advisory board and networks, their meetings and tasks."""

from __future__ import annotations

from integrationsmanager.ui.groups.meeting import MeetingDialog
from integrationsmanager.ui.groups.page import GroupsPage

__all__ = ["GroupsPage", "MeetingDialog"]
