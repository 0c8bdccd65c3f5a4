"""The data model, one aggregate per module."""

from caseflow.models.audit import AuditEvent, AuditHead
from caseflow.models.cases import (
    Case,
    CaseAccessGrant,
    CaseCounter,
    CaseTeamMember,
    Category,
    ConflictDeclaration,
    Note,
    Office,
    UnitName,
)
from caseflow.models.channels import ApiToken, CaseLink, IntakeRecord, OutboxMail, ProcessedMail
from caseflow.models.directory import CaseIdentifier, IdentifierKind, IdentifierTerm, PersonTerm
from caseflow.models.intake import (
    Attachment,
    CaseKey,
    IdentityReveal,
    ReporterMessage,
    ReportSubmission,
    UsedFormToken,
)
from caseflow.models.investigation import Allegation
from caseflow.models.letters import Letter, LetterKind, LetterTemplate
from caseflow.models.people import CaseParty, Person, PersonSound, SubjectMatch
from caseflow.models.portal import ReporterSession
from caseflow.models.questionnaires import (
    AnswerDraft,
    AnswerDraftFile,
    CaseAnswers,
    Question,
    Questionnaire,
    QuestionnaireStep,
)
from caseflow.models.reports import IssuedReport, ReportDraft
from caseflow.models.rollup import DashboardCell, DashboardDuration, DashboardFinding, DashboardMonth, DashboardStale
from caseflow.models.savedviews import SavedView
from caseflow.models.security import RecoveryCode, StaffSession
from caseflow.models.units import ReportingUnit
from caseflow.models.users import User
from caseflow.models.workspace import (
    ClockNotice,
    CustodyEvent,
    EvidenceItem,
    Interview,
    PlanVersion,
    Referral,
    Reminder,
    Task,
    WorkFile,
)

__all__ = [
    "SavedView",
    "AnswerDraft",
    "AnswerDraftFile",
    "CaseAnswers",
    "Question",
    "Questionnaire",
    "QuestionnaireStep",
    "ReporterSession",
    "Attachment",
    "CaseIdentifier",
    "IdentifierKind",
    "IdentifierTerm",
    "PersonTerm",
    "DashboardCell",
    "DashboardDuration",
    "DashboardFinding",
    "DashboardMonth",
    "DashboardStale",
    "CaseKey",
    "IdentityReveal",
    "ReporterMessage",
    "ReportSubmission",
    "UsedFormToken",
    "Allegation",
    "Letter",
    "LetterKind",
    "LetterTemplate",
    "ApiToken",
    "CaseLink",
    "IntakeRecord",
    "OutboxMail",
    "ProcessedMail",
    "AuditEvent",
    "AuditHead",
    "Case",
    "CaseAccessGrant",
    "CaseCounter",
    "CaseParty",
    "CaseTeamMember",
    "Category",
    "ConflictDeclaration",
    "Note",
    "IssuedReport",
    "ReportDraft",
    "Office",
    "UnitName",
    "Person",
    "PersonSound",
    "SubjectMatch",
    "RecoveryCode",
    "StaffSession",
    "User",
    "ReportingUnit",
    "ClockNotice",
    "CustodyEvent",
    "EvidenceItem",
    "Interview",
    "PlanVersion",
    "Referral",
    "Reminder",
    "Task",
    "WorkFile",
]
