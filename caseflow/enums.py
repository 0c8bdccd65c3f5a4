"""The enumerations CaseFlow stores: states, channels, roles, priorities, party roles, findings, sanctions."""

from __future__ import annotations

import enum
from typing import Any

from flask_babel import lazy_gettext as _l


class LabelledEnum(enum.StrEnum):
    """A string enum whose members carry a translatable label."""

    @property
    def label(self) -> str:
        """Return the member's translated, human-readable label."""
        return str(_LABELS.get(self, self.value))

    @property
    def lazy_label(self) -> Any:
        """Return the label translated when rendered (for choices built once, at import)."""
        return _LABELS.get(self, self.value)

    @classmethod
    def choices(cls) -> list[tuple[str, Any]]:
        """Return (value, label) pairs for form select fields; labels are translated when rendered."""
        return [(m.value, m.lazy_label) for m in cls]


class CaseState(LabelledEnum):
    """Where a case stands in the workflow (DESIGN.md)."""

    RECEIVED = "received"
    TRIAGE = "triage"
    INVESTIGATION = "investigation"
    ON_HOLD = "on_hold"
    REPORTING = "reporting"
    CLOSED = "closed"
    DISMISSED = "dismissed"
    REFERRED = "referred"
    ARCHIVED = "archived"


class Channel(LabelledEnum):
    """How a complaint reached the unit."""

    WEB = "web"
    WHISTLEBLOWER = "whistleblower"
    EMAIL = "email"
    PHONE = "phone"
    HOTLINE = "hotline"
    LETTER = "letter"
    WALK_IN = "walk_in"
    API = "api"
    CSV = "csv"
    INTERNAL = "internal"


class Role(LabelledEnum):
    """A staff user's role (DESIGN.md security model)."""

    INTAKE_OFFICER = "intake_officer"
    INVESTIGATOR = "investigator"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Priority(LabelledEnum):
    """How urgent a case is; drives the investigation target."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class PartyRole(LabelledEnum):
    """The part a person plays in a case."""

    REPORTER = "reporter"
    SUBJECT = "subject"
    WITNESS = "witness"


class MatchStatus(LabelledEnum):
    """Where a possible match between a named person and a staff account stands."""

    LINKED = "linked"  # sure (same badge): linked and excluded at once
    PENDING = "pending"  # probable (same name, another spelling): excluded until a supervisor decides
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class Finding(LabelledEnum):
    """The conclusion reached on one allegation."""

    SUSTAINED = "sustained"
    NOT_SUSTAINED = "not_sustained"
    UNFOUNDED = "unfounded"
    EXONERATED = "exonerated"
    POLICY_FAILURE = "policy_failure"


class Sanction(LabelledEnum):
    """A disciplinary measure recommended or decided on a sustained finding."""

    NONE = "none"
    TRAINING = "training"
    VERBAL_REPRIMAND = "verbal_reprimand"
    WRITTEN_REPRIMAND = "written_reprimand"
    SUSPENSION = "suspension"
    DEMOTION = "demotion"
    DISMISSAL = "dismissal"
    CRIMINAL_REFERRAL = "criminal_referral"


class RiskLevel(LabelledEnum):
    """Risk of retaliation against the reporter, assessed at triage."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


_LABELS = {
    CaseState.RECEIVED: _l("Received"),
    CaseState.TRIAGE: _l("Triage"),
    CaseState.INVESTIGATION: _l("Investigation"),
    CaseState.ON_HOLD: _l("On hold"),
    CaseState.REPORTING: _l("Reporting"),
    CaseState.CLOSED: _l("Closed"),
    CaseState.DISMISSED: _l("Dismissed"),
    CaseState.REFERRED: _l("Referred"),
    CaseState.ARCHIVED: _l("Archived"),
    Channel.WEB: _l("Web form"),
    Channel.WHISTLEBLOWER: _l("Anonymous whistleblower"),
    Channel.EMAIL: _l("E-mail"),
    Channel.PHONE: _l("Phone"),
    Channel.HOTLINE: _l("Hotline"),
    Channel.LETTER: _l("Letter"),
    Channel.WALK_IN: _l("Walk-in"),
    Channel.API: _l("API"),
    Channel.CSV: _l("CSV import"),
    Channel.INTERNAL: _l("Internal referral"),
    Role.INTAKE_OFFICER: _l("Intake officer"),
    Role.INVESTIGATOR: _l("Investigator"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.MANAGER: _l("Manager"),
    Role.AUDITOR: _l("Auditor"),
    Role.ADMIN: _l("Administrator"),
    Priority.LOW: _l("Low"),
    Priority.MEDIUM: _l("Medium"),
    Priority.HIGH: _l("High"),
    Priority.CRITICAL: _l("Critical"),
    PartyRole.REPORTER: _l("Reporter"),
    PartyRole.SUBJECT: _l("Subject"),
    PartyRole.WITNESS: _l("Witness"),
    MatchStatus.LINKED: _l("Same badge number: linked"),
    MatchStatus.PENDING: _l("Probable match: to be decided"),
    MatchStatus.CONFIRMED: _l("Confirmed by a supervisor"),
    MatchStatus.DISMISSED: _l("Dismissed by a supervisor"),
    Finding.SUSTAINED: _l("Sustained"),
    Finding.NOT_SUSTAINED: _l("Not sustained"),
    Finding.UNFOUNDED: _l("Unfounded"),
    Finding.EXONERATED: _l("Exonerated"),
    Finding.POLICY_FAILURE: _l("Policy failure"),
    Sanction.NONE: _l("None"),
    Sanction.TRAINING: _l("Training"),
    Sanction.VERBAL_REPRIMAND: _l("Verbal reprimand"),
    Sanction.WRITTEN_REPRIMAND: _l("Written reprimand"),
    Sanction.SUSPENSION: _l("Suspension"),
    Sanction.DEMOTION: _l("Demotion"),
    Sanction.DISMISSAL: _l("Dismissal"),
    Sanction.CRIMINAL_REFERRAL: _l("Criminal referral"),
    RiskLevel.LOW: _l("Low"),
    RiskLevel.MEDIUM: _l("Medium"),
    RiskLevel.HIGH: _l("High"),
}
