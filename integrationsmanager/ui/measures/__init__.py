"""The measures area: list with filters and details, the editor and the guideline overview."""

from __future__ import annotations

from integrationsmanager.ui.measures.guidelines import GuidelineOverview
from integrationsmanager.ui.measures.page import MeasuresPage

__all__ = ["GuidelineOverview", "MeasuresPage"]
