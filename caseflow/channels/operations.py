"""Verb-first operations of the channels: staff-entered and API complaints, case links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from caseflow import audit
from caseflow.channels.outbound import queue_acknowledgement
from caseflow.channels.receive import identity_of, receive, seal
from caseflow.clock import utcnow
from caseflow.enums import Channel
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.intake.operations import Received, acknowledge_case
from caseflow.models import ApiToken, Case, CaseLink, IntakeRecord, ProcessedMail, User
from caseflow.models.channels import LinkKind, MailOutcome
from caseflow.models.units import ReportingUnit

STAFF_METHODS = (Channel.PHONE, Channel.HOTLINE, Channel.LETTER, Channel.WALK_IN, Channel.INTERNAL,
                 Channel.EMAIL)
ORAL_METHODS = (Channel.PHONE, Channel.HOTLINE, Channel.WALK_IN)


def record_api_complaint(token: ApiToken, fields: dict[str, Any]) -> Received:
    """Create a complaint posted by an integration; it can read it back; a named reporter is acknowledged."""
    reporter = fields.pop("reporter", {}) or {}
    identity = None if fields["is_anonymous"] else identity_of(reporter.get("name"), reporter.get("email"),
                                                               reporter.get("phone"))
    received, _refused = receive(channel=Channel.API, identity=identity, source="api",
                                 detail={"via": f"api:{token.name}"}, **fields)
    case = received.case
    db.session.add(IntakeRecord(case_id=case.id, method=Channel.API, api_token_id=token.id, taken_at=utcnow()))
    if reporter.get("name") and reporter.get("email"):
        queue_acknowledgement(case, reporter["email"], reporter["name"])
    db.session.flush()
    return received


@dataclass
class StaffIntake:
    """What an intake officer records about a complaint taken by phone, letter, in person or from a unit."""

    method: Channel
    title: str
    content: str
    taken_at: datetime
    category_id: int | None = None
    office_id: int | None = None
    priority: str = "medium"
    incident_date: str | None = None
    location_detail: str | None = None
    subject_name: str | None = None
    subject_badge: str | None = None
    referring_unit: str | None = None
    anonymous: bool = False
    reporter_name: str | None = None
    reporter_email: str | None = None
    reporter_phone: str | None = None
    minutes: str | None = None
    minutes_offered: bool = False
    signed_scan: tuple[str, bytes] | None = None
    recording_ref: str | None = None
    language: str | None = None
    unit_id: int | None = None  # the reporting unit that receives it (None: no unit)


def _check_record(intake: StaffIntake, method: Channel) -> None:
    """Refuse an intake whose record is not what the law asks for its channel."""
    minutes = (intake.minutes or "").strip()
    recording = (intake.recording_ref or "").strip()
    if (minutes or recording) and method not in ORAL_METHODS:
        raise ValidationError(_("Minutes are for oral reports (phone, hotline, walk-in)."))
    if method in ORAL_METHODS and not (minutes or recording):
        raise ValidationError(_("An oral report needs its minutes, or the reference of its recording, before it "
                                "is saved."))
    if intake.signed_scan and method in ORAL_METHODS and not minutes:
        raise ValidationError(_("Write the minutes before attaching their signed scan."))
    if not intake.content.strip() and not (method == Channel.LETTER and intake.signed_scan):
        raise ValidationError(_("Write down what the complainant reported."))


def staff_unit(unit_id: int | None) -> ReportingUnit | None:
    """Return the active unit staff chose for a complaint, or None; a clear error for an unknown or closed one."""
    if unit_id is None:
        return None
    unit = db.session.get(ReportingUnit, unit_id)
    if unit is None or not unit.active:
        raise ValidationError(_("Choose a reporting unit that takes reports."))
    return unit


def record_staff_complaint(intake: StaffIntake, actor: User) -> Received:
    """Record a complaint taken by staff: who took it, when, how; oral-report minutes; receipt if anonymous."""
    method = Channel(intake.method)
    if method not in STAFF_METHODS:
        raise ValidationError(_("Choose how the complaint was received."))
    if intake.taken_at > utcnow():
        raise ValidationError(_("The time the complaint was taken cannot be in the future."))
    if method == Channel.INTERNAL and not (intake.referring_unit or "").strip():
        raise ValidationError(_("Name the unit that referred the complaint."))
    _check_record(intake, method)
    unit = staff_unit(intake.unit_id)
    identity = None if intake.anonymous else identity_of(intake.reporter_name, intake.reporter_email,
                                                         intake.reporter_phone)
    subjects = [{"full_name": intake.subject_name, "badge_number": intake.subject_badge}] \
        if intake.subject_name or intake.subject_badge else []
    files = [intake.signed_scan] if intake.signed_scan else []
    content = intake.content.strip() or _("The complaint is in the scanned letter attached.")
    received, refused = receive(
        channel=method, title=intake.title, content=content, identity=identity, actor=actor,
        attachments=files, issue_receipt=intake.anonymous, received_at=intake.taken_at,
        category_id=intake.category_id, office_id=intake.office_id, priority=intake.priority,
        is_anonymous=intake.anonymous, incident_date=intake.incident_date,
        location_detail=intake.location_detail, subjects=subjects, source=method.value, unit=unit,
        detail={"taken_by": actor.username, "referring_unit": intake.referring_unit or None})
    if refused:
        raise ValidationError(refused[0])
    case = received.case
    record = IntakeRecord(case_id=case.id, method=method, taken_by_id=actor.id, taken_at=intake.taken_at,
                          referring_unit=(intake.referring_unit or "").strip()[:200] or None,
                          minutes_offered=bool(intake.minutes and intake.minutes_offered),
                          minutes_signed_file=intake.signed_scan[0][:255] if intake.signed_scan else None,
                          recording_ref=(intake.recording_ref or "").strip()[:200] or None)
    if intake.minutes:
        record.minutes_sealed = seal(case, intake.minutes.strip())
    db.session.add(record)
    if not intake.anonymous and intake.reporter_email and intake.reporter_name:
        queue_acknowledgement(case, intake.reporter_email, intake.reporter_name, language=intake.language)
    if intake.anonymous and received.receipt:
        acknowledge_case(case, actor)  # the receipt is read out to the caller now: that is the acknowledgement
    if intake.minutes or record.recording_ref:
        audit.record("intake.minutes", actor, case, {"offered_to_sign": record.minutes_offered,
                                                     "signed_scan": bool(intake.signed_scan),
                                                     "recording": bool(record.recording_ref)})
    db.session.flush()
    return received


def kept_mail(limit: int = 500) -> list[ProcessedMail]:
    """Return the newest mailbox messages that did not become a case (ignored with a reason, or failed)."""
    return list(db.session.scalars(
        sa.select(ProcessedMail).where(ProcessedMail.outcome.in_((MailOutcome.IGNORED, MailOutcome.FAILED)))
        .order_by(ProcessedMail.id.desc()).limit(limit)))


def case_mails(case: Case) -> list[ProcessedMail]:
    """Return the mailbox messages of a case (its complaint, replies, bounces), oldest first."""
    return list(db.session.scalars(sa.select(ProcessedMail).where(ProcessedMail.case_id == case.id)
                                   .order_by(ProcessedMail.id)))


def intake_record(case: Case) -> IntakeRecord | None:
    """Return how a case was taken in, if recorded."""
    return db.session.scalar(sa.select(IntakeRecord).where(IntakeRecord.case_id == case.id))


def link_cases(case: Case, other: Case, kind: LinkKind | str, actor: User) -> CaseLink:
    """Link a case to another (duplicate of, related to); the link shows on both; audited on both."""
    kind = LinkKind(kind)
    if case.id == other.id:
        raise ValidationError(_("A case cannot be linked to itself."))
    exists = db.session.scalar(sa.select(CaseLink.id).where(
        sa.or_(sa.and_(CaseLink.case_id == case.id, CaseLink.other_case_id == other.id),
               sa.and_(CaseLink.case_id == other.id, CaseLink.other_case_id == case.id))))
    if exists is not None:
        raise ValidationError(_("These cases are already linked."))
    link = CaseLink(case_id=case.id, other_case_id=other.id, kind=kind, created_by_id=actor.id,
                    created_at=utcnow())
    db.session.add(link)
    db.session.flush()
    audit.record("case.link", actor, case, {"kind": kind.value, "case": other.number})
    audit.record("case.link", actor, other, {"kind": f"{kind.value} (from)", "case": case.number})
    return link


def unlink_cases(link: CaseLink, actor: User) -> None:
    """Remove a link between two cases; audited on both."""
    audit.record("case.unlink", actor, link.case, {"case": link.other_case.number})
    audit.record("case.unlink", actor, link.other_case, {"case": link.case.number})
    db.session.delete(link)
    db.session.flush()
