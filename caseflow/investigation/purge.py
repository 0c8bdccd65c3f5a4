"""The retention job (cron): archive finished cases past retention and destroy their content.

Kept: the statistics fields (dates, state, category, office, channel, priority, findings, sanctions,
referral bodies and dates, evidence numbers and hashes) and the audit chain. Destroyed: texts, names,
files, and the case's data key, so anything still encrypted under it can never be opened (crypto-shredding).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from caseflow import audit, deadlines, events, workflow
from caseflow.cases.subjects import new_person
from caseflow.clock import utcnow
from caseflow.enums import CaseState
from caseflow.extensions import db
from caseflow.models import (
    Allegation,
    Case,
    CaseIdentifier,
    CaseParty,
    ConflictDeclaration,
    CustodyEvent,
    EvidenceItem,
    IdentifierTerm,
    Interview,
    IssuedReport,
    Letter,
    Note,
    OutboxMail,
    Person,
    PlanVersion,
    ProcessedMail,
    Referral,
    SubjectMatch,
    Task,
    WorkFile,
)
from caseflow.models.base import table_of
from caseflow.sqlcompat import execute_count

PURGEABLE = (CaseState.CLOSED, CaseState.DISMISSED, CaseState.REFERRED)
PURGED = "—"


@dataclass
class PurgeResult:
    """What one retention run did (or, in dry-run mode, would do)."""

    archived: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def due_for_retention(now: datetime | None = None) -> list[Case]:
    """Return the finished cases whose retention period is over (legal holds included, for reporting)."""
    now = now or utcnow()
    cases = db.session.scalars(sa.select(Case).where(Case.state.in_(PURGEABLE)).order_by(Case.id))
    return [c for c in cases if (due := deadlines.retention_due_at(c)) is not None and due <= now]


def _delete_confidential_store(case: Case) -> int:
    """Delete the case's encrypted content, attachments (and their files) and its data key (crypto-shredding)."""
    from caseflow.attachments import delete_attachment_files
    from caseflow.models import Attachment, CaseAnswers, CaseKey, IdentityReveal, ReporterMessage, ReportSubmission

    rows = db.session.execute(sa.select(Attachment.storage_name, Attachment.original_storage_name)
                              .where(Attachment.case_id == case.id)).all()
    names = [name for row in rows for name in row if name]
    removed = 0
    for model in (Attachment, ReporterMessage, IdentityReveal, ReportSubmission, CaseAnswers, CaseKey):
        removed += execute_count(sa.delete(model).where(model.case_id == case.id))
    delete_attachment_files(names)
    return removed


def destroy_case_content(case: Case) -> dict[str, int]:
    """Clear a case's texts, names and files, keeping its statistics fields; return what was cleared."""
    counts: dict[str, int] = {}
    counts["confidential_rows"] = _delete_confidential_store(case)
    case.title, case.summary = PURGED, ""
    case.incident_date = case.location_detail = case.outcome = None
    case.decision_reason = case.hold_reason = None
    counts["work_files"] = execute_count(sa.delete(WorkFile).where(WorkFile.case_id == case.id))
    counts["notes"] = execute_count(sa.delete(Note).where(Note.case_id == case.id))
    counts["outbox_mails"] = execute_count(
        sa.delete(OutboxMail).where(OutboxMail.case_id == case.id))
    db.session.execute(sa.update(ProcessedMail).where(ProcessedMail.case_id == case.id)
                       .values(sender=None, subject=None))
    counts["plan_versions"] = execute_count(
        sa.delete(PlanVersion).where(PlanVersion.case_id == case.id))
    parties = list(db.session.scalars(sa.select(CaseParty).where(CaseParty.case_id == case.id)))
    for party in parties:
        party.sealed_identity = None
        party.note = None
        if party.person is not None:
            person = party.person
            person.full_name, person.badge_number, person.position = PURGED, None, None
            person.name_key = person.badge_key = None
            person.sounds, person.terms = [], []  # no blind index may still answer for a destroyed name
            person.user_ref = None  # nor a link to the colleague it named
    counts["parties"] = len(parties)
    # Which colleague the case named (a match, its reason) goes with the names; whoever holds the keys could
    # otherwise try each staff id against the stored reference.
    counts["subject_matches"] = execute_count(sa.delete(SubjectMatch).where(SubjectMatch.case_id == case.id))
    db.session.execute(sa.update(ConflictDeclaration).where(ConflictDeclaration.case_id == case.id)
                       .values(statement=""))
    identifiers = sa.select(CaseIdentifier.id).where(CaseIdentifier.case_id == case.id).scalar_subquery()
    db.session.execute(sa.delete(IdentifierTerm).where(IdentifierTerm.identifier_id.in_(identifiers)))
    counts["identifiers"] = execute_count(sa.delete(CaseIdentifier).where(CaseIdentifier.case_id == case.id))
    db.session.execute(sa.update(Allegation).where(Allegation.case_id == case.id)
                       .values(conduct="", finding_reasoning=None))
    db.session.execute(sa.update(Task).where(Task.case_id == case.id).values(title=PURGED))
    counts["interviews"] = execute_count(
        sa.update(Interview).where(Interview.case_id == case.id).values(
            interviewee=PURGED, location="", summary="", statement_attachment_id=None,
            statement_filename=None))
    items = sa.select(EvidenceItem.id).where(EvidenceItem.case_id == case.id).scalar_subquery()
    counts["evidence"] = execute_count(
        sa.update(EvidenceItem).where(EvidenceItem.case_id == case.id).values(
            description=PURGED, source="", storage_location="", attachment_id=None, filename=None))
    # The custody chain keeps its dates and shape; the names and reasons go (plain SQL: the ORM refuses edits).
    db.session.execute(sa.update(table_of(CustodyEvent)).where(table_of(CustodyEvent).c.evidence_id.in_(items))
                       .values(from_holder=PURGED, to_holder=PURGED, reason=""))
    db.session.execute(sa.update(Referral).where(Referral.case_id == case.id).values(reference="", response=""))
    # letters keep their record (kind, hash, who, when) for verification; the PDFs went with the attachments
    counts["letters"] = execute_count(sa.update(Letter).where(Letter.case_id == case.id).values(recipient=PURGED))
    db.session.execute(sa.update(IssuedReport).where(IssuedReport.case_id == case.id).values(attachment_id=None))
    db.session.flush()
    db.session.expire_all()
    return counts


def _shared_people(case: Case) -> None:
    """Refuse to blank a person who is also named in another case (people are per case in practice)."""
    shared = db.session.scalar(sa.select(sa.func.count()).select_from(CaseParty).join(
        Person, CaseParty.person_id == Person.id).where(
        Person.id.in_(sa.select(CaseParty.person_id).where(CaseParty.case_id == case.id)),
        CaseParty.case_id != case.id))
    if shared:
        for party in case.parties:
            other = db.session.scalar(sa.select(sa.func.count()).select_from(CaseParty).where(
                CaseParty.person_id == party.person_id, CaseParty.case_id != case.id))
            if other and party.person is not None:
                clone = new_person(party.person.full_name, party.person.badge_number, party.person.position,
                                   office_id=party.person.office_id, linked_ref=party.person.user_ref)
                party.person = clone
        db.session.flush()


def archive_case(case: Case) -> dict[str, int]:
    """Archive one case through the workflow (actor: the retention job) and destroy its content; audit it."""
    workflow.transition_case(case, CaseState.ARCHIVED, None)
    _shared_people(case)
    counts = destroy_case_content(case)
    audit.record("case.purge", None, None, counts, case_id=case.id, actor_label="retention job")
    db.session.flush()
    events.case_purged.send(case, counts=counts)  # its reporter's follow-up is gone: the month's count changes
    return counts


def run_purge(dry_run: bool = False, now: datetime | None = None) -> PurgeResult:
    """Archive every case past retention unless under legal hold; in dry-run mode change nothing."""
    result = PurgeResult()
    for case in due_for_retention(now):
        if case.legal_hold:
            result.held.append(case.number)
            result.lines.append(f"{case.number} kept: legal hold")
            continue
        result.archived.append(case.number)
        if dry_run:
            result.lines.append(f"{case.number} would be archived ({case.state.value} since "
                                f"{(case.closed_at or case.state_changed_at):%Y-%m-%d}); content would be destroyed")
            continue
        archive_case(case)
        result.lines.append(f"{case.number} archived; content destroyed")
    return result
