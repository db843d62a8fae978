"""Enumerations of the domain; values are stable English codes, labels are German."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabelledEnum(StrEnum):
    """A string enum whose members carry a German label for the user."""

    @property
    def label(self) -> str:
        return _LABELS[type(self).__name__][self.value]

    @classmethod
    def from_label(cls, text: str) -> Self | None:
        """Find the member whose label or code equals ``text`` (case-insensitive)."""
        wanted = text.strip().casefold()
        for member in cls:
            if wanted in (member.label.casefold(), member.value.casefold()):
                return member
        return None


class Responsibility(LabelledEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    NONE = "none"


class MeasureStatus(LabelledEnum):
    PLANNED = "planned"
    RUNNING = "running"
    COMPLETED = "completed"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


class Priority(LabelledEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class PlanningDocument(LabelledEnum):
    NONE = "none"
    FAMILY_PLAN = "family_plan"
    YOUTH_PLAN = "youth_plan"
    POVERTY_PREVENTION = "poverty_prevention"
    OTHER = "other"


class OrganisationKind(LabelledEnum):
    ASSOCIATION = "association"
    INDEPENDENT_PROVIDER = "independent_provider"
    MUNICIPALITY = "municipality"
    AUTHORITY = "authority"
    JOBCENTER = "jobcenter"
    EDUCATION = "education"
    COMPANY = "company"
    MIGRANT_ORGANISATION = "migrant_organisation"
    HEALTH = "health"
    HOUSING = "housing"
    CULTURE_SPORT = "culture_sport"
    RELIGIOUS = "religious"
    OTHER = "other"


class ActivityKind(LabelledEnum):
    CALL = "call"
    MEETING = "meeting"
    EMAIL = "email"
    VISIT = "visit"
    NOTE = "note"


class GroupKind(LabelledEnum):
    WORKING_GROUP = "working_group"
    ADVISORY_BOARD = "advisory_board"
    NETWORK = "network"


class MemberRole(LabelledEnum):
    CHAIR = "chair"
    DEPUTY = "deputy"
    MEMBER = "member"
    GUEST = "guest"


class AttendanceStatus(LabelledEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    PRESENT = "present"
    EXCUSED = "excused"


class MeetingStatus(LabelledEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class ActionStatus(LabelledEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class FundingKind(LabelledEnum):
    FIXED = "fixed"
    SHARE = "share"
    DEFICIT = "deficit"


class GrantStatus(LabelledEnum):
    DRAFT = "draft"
    RECEIVED = "received"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    PAYING = "paying"
    PROOF_DUE = "proof_due"
    PROOF_RECEIVED = "proof_received"
    PROOF_CHECKED = "proof_checked"
    CLOSED = "closed"
    REPAYMENT = "repayment"


class PaymentStatus(LabelledEnum):
    PLANNED = "planned"
    INSTRUCTED = "instructed"
    PAID = "paid"
    CANCELLED = "cancelled"


class Direction(LabelledEnum):
    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"
    NEUTRAL = "neutral"


class AuditAction(LabelledEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"
    IMPORT = "import"


_LABELS: dict[str, dict[str, str]] = {
    "Responsibility": {
        "direct": "direkt",
        "indirect": "mittelbar",
        "none": "keine unmittelbare Zuständigkeit",
    },
    "MeasureStatus": {
        "planned": "geplant",
        "running": "laufend",
        "completed": "abgeschlossen",
        "suspended": "ausgesetzt",
        "cancelled": "abgebrochen",
    },
    "Priority": {"high": "hoch", "medium": "mittel", "low": "niedrig"},
    "PlanningDocument": {
        "none": "keine",
        "family_plan": "Familienplan",
        "youth_plan": "Jugendförderplan",
        "poverty_prevention": "Armutsprävention",
        "other": "andere",
    },
    "OrganisationKind": {
        "association": "Verein",
        "independent_provider": "freier Träger",
        "municipality": "Kommune",
        "authority": "Behörde",
        "jobcenter": "Jobcenter/Agentur für Arbeit",
        "education": "Kita/Schule/Bildungsträger",
        "company": "Unternehmen",
        "migrant_organisation": "Migrantenorganisation",
        "health": "Gesundheit/Psychosoziales Zentrum",
        "housing": "Wohnungswirtschaft",
        "culture_sport": "Kultur/Sport",
        "religious": "Religionsgemeinschaft",
        "other": "Sonstige",
    },
    "ActivityKind": {
        "call": "Anruf",
        "meeting": "Treffen",
        "email": "E-Mail",
        "visit": "Besuch",
        "note": "Notiz",
    },
    "GroupKind": {
        "working_group": "Arbeitskreis",
        "advisory_board": "Beirat",
        "network": "Netzwerk",
    },
    "MemberRole": {
        "chair": "Vorsitz",
        "deputy": "Stellvertretung",
        "member": "Mitglied",
        "guest": "Gast",
    },
    "AttendanceStatus": {
        "invited": "eingeladen",
        "accepted": "zugesagt",
        "declined": "abgesagt",
        "present": "anwesend",
        "excused": "entschuldigt",
    },
    "MeetingStatus": {"planned": "geplant", "held": "durchgeführt", "cancelled": "abgesagt"},
    "ActionStatus": {
        "open": "offen",
        "in_progress": "in Arbeit",
        "done": "erledigt",
        "dropped": "verworfen",
    },
    "FundingKind": {
        "fixed": "Festbetrag",
        "share": "Anteilfinanzierung",
        "deficit": "Fehlbedarfsfinanzierung",
    },
    "GrantStatus": {
        "draft": "Entwurf",
        "received": "eingegangen",
        "in_review": "in Prüfung",
        "approved": "bewilligt",
        "rejected": "abgelehnt",
        "withdrawn": "zurückgezogen",
        "paying": "Auszahlung",
        "proof_due": "Verwendungsnachweis fällig",
        "proof_received": "Verwendungsnachweis eingegangen",
        "proof_checked": "Verwendungsnachweis geprüft",
        "closed": "abgeschlossen",
        "repayment": "Rückforderung",
    },
    "PaymentStatus": {
        "planned": "geplant",
        "instructed": "angewiesen",
        "paid": "ausgezahlt",
        "cancelled": "storniert",
    },
    "Direction": {
        "higher": "höher ist besser",
        "lower": "niedriger ist besser",
        "neutral": "neutral",
    },
    "AuditAction": {
        "insert": "angelegt",
        "update": "geändert",
        "delete": "gelöscht",
        "import": "importiert",
    },
}

MUNICIPALITIES: tuple[str, ...] = (
    "Altenburg",
    "Altkirchen",
    "Dobitschen",
    "Fockendorf",
    "Gerstenberg",
    "Gößnitz",
    "Göhren",
    "Göpfersdorf",
    "Haselbach",
    "Heyersdorf",
    "Jonaswalde",
    "Kriebitzsch",
    "Langenleuba-Niederhain",
    "Lödla",
    "Löbichau",
    "Lucka",
    "Meuselwitz",
    "Mehna",
    "Monstab",
    "Nobitz",
    "Ponitz",
    "Posterstein",
    "Rositz",
    "Schmölln",
    "Starkenberg",
    "Thonhausen",
    "Treben",
    "Vollmershain",
    "Windischleuba",
)
"""Towns and communities of the Altenburger Land (pick list for addresses)."""
