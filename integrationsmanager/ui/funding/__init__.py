"""The funding area: grants, budgets and deadlines."""

from integrationsmanager.ui.funding.page import FundingPage

__all__ = ["FundingPage"]
