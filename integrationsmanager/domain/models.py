"""All mapped classes in one import, so the metadata is complete for migrations."""

from integrationsmanager.domain.audit import AuditEntry
from integrationsmanager.domain.base import Base
from integrationsmanager.domain.common import DeletionLog, Guideline, GuidelineEdition, Setting, Tag
from integrationsmanager.domain.funding import (
    FundingProgram,
    FundingSource,
    Grant,
    GrantStatusChange,
    Payment,
    ProgramBudget,
)
from integrationsmanager.domain.measures import Measure, ProgressEntry
from integrationsmanager.domain.meetings import (
    ActionItem,
    AgendaItem,
    Attendance,
    Meeting,
    Membership,
    WorkingGroup,
)
from integrationsmanager.domain.monitoring import Indicator, IndicatorValue
from integrationsmanager.domain.network import (
    Activity,
    Organisation,
    Person,
    PersonEmail,
    PersonPhone,
    PersonRole,
)

__all__ = [
    "ActionItem",
    "Activity",
    "AgendaItem",
    "Attendance",
    "AuditEntry",
    "Base",
    "DeletionLog",
    "FundingProgram",
    "FundingSource",
    "Grant",
    "GrantStatusChange",
    "Guideline",
    "GuidelineEdition",
    "Indicator",
    "IndicatorValue",
    "Measure",
    "Meeting",
    "Membership",
    "Organisation",
    "Payment",
    "Person",
    "PersonEmail",
    "PersonPhone",
    "PersonRole",
    "ProgramBudget",
    "ProgressEntry",
    "Setting",
    "Tag",
    "WorkingGroup",
]
