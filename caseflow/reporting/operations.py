"""Verb-first mutations of confidential reporting: submissions, receipts, the thread, sealed identity, reveals."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from caseflow import audit, events
from caseflow.attachments import Upload, store_attachment
from caseflow.casekeys import open_text, seal_text
from caseflow.clock import reporter_time, utcnow
from caseflow.crypto import IDENTITY_BUCKET, is_well_formed_receipt, receipt_lookup_hash, same_hash
from caseflow.enums import Channel
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.intake.confidential import MAX_TEXT, REPORTER, clean_identity
from caseflow.intake.operations import Received, acknowledge_case, receive_complaint
from caseflow.models import Case, Category, User
from caseflow.models.intake import (
    Attachment,
    IdentityReveal,
    MessageDirection,
    ReporterMessage,
    ReportSubmission,
    RevealStatus,
)
from caseflow.models.units import ReportingUnit
from caseflow.units.operations import check_unit_accepts


@dataclass
class Report:
    """What a reporter typed into a public form (already trimmed)."""

    what: str
    when: str = ""
    where: str = ""
    how_known: str = ""
    involved: list[dict[str, str]] | None = None
    category_id: int | None = None
    office_id: int | None = None


def compose_content(report: Report) -> str:
    """Return the complaint as one readable text, the way investigators will read it."""
    lines = [_("What happened:"), report.what]
    if report.when:
        lines += ["", _("When: %(v)s", v=report.when)]
    if report.where:
        lines += [_("Where: %(v)s", v=report.where)]
    if report.how_known:
        lines += ["", _("How the reporter knows:"), report.how_known]
    people = [p for p in report.involved or [] if p.get("full_name") or p.get("badge_number")]
    if people:
        lines += ["", _("People involved:")]
        lines += ["- " + " · ".join(v for v in (p.get("full_name"), p.get("position"), p.get("badge_number")) if v)
                  for p in people]
    return "\n".join(lines)


def _title(channel: Channel, category_id: int | None) -> str:
    category = db.session.get(Category, category_id) if category_id else None
    label = category.label if category is not None else _("no category given")
    if channel == Channel.WHISTLEBLOWER:
        return _("Anonymous report: %(category)s", category=label)
    return _("Web complaint: %(category)s", category=label)


def submit_report(channel: Channel, report: Report, identity: dict[str, str] | None,
                  files: Sequence[Upload], unit: ReportingUnit | None = None,
                  composed: tuple[str, str] | None = None) -> Received:
    """Create a case from a public form, issue the receipt and record the acknowledgement (the receipt page).

    With a `unit` the report goes to that reporting unit, which must accept named (or anonymous) reports.
    `composed` is (title, complaint text) when the report was written elsewhere (a questionnaire's answers).
    """
    if not report.what:
        raise ValidationError(_("Describe what happened."))
    if len(report.what) > MAX_TEXT * (2 if composed else 1):
        raise ValidationError(ngettext("The description is longer than %(n)d character.",
                                       "The description is longer than %(n)d characters.", MAX_TEXT, n=MAX_TEXT))
    identity = clean_identity(identity)
    check_unit_accepts(unit, channel == Channel.WHISTLEBLOWER)
    if channel == Channel.WEB and (identity is None or not identity.get("name") or not identity.get("contact")):
        raise ValidationError(_("Give your name and a way to contact you, or use the anonymous form."))
    subjects = [p for p in report.involved or [] if p.get("full_name") or p.get("badge_number")]
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # the reporter's language is a fingerprint
        title, content = composed or (_title(channel, report.category_id), compose_content(report))
    received = receive_complaint(
        channel=channel, title=title, actor=None, category_id=report.category_id,
        office_id=report.office_id, is_anonymous=identity is None, subjects=subjects,
        incident_date=report.when[:80] or None, location_detail=report.where[:200] or None,
        content=content, identity=identity, attachments=list(files), issue_receipt=True, unit=unit,
        received_at=reporter_time())
    acknowledge_case(received.case, None)
    return received


def find_submission(code: str) -> ReportSubmission | None:
    """Return the submission a receipt opens, or None; a wrong code costs the same hashing as a right one."""
    digest = receipt_lookup_hash(code)
    submission = db.session.scalar(sa.select(ReportSubmission).where(ReportSubmission.receipt_hash == digest))
    if submission is None or not is_well_formed_receipt(code) or not same_hash(submission.receipt_hash or "", digest):
        return None
    return submission


def record_reporter_login(submission: ReportSubmission) -> None:
    """Note the day the reporter came back with their receipt: once a day, no time, address or device."""
    today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    if submission.last_reporter_login_at == today:
        return
    submission.last_reporter_login_at = today
    audit.record("reporter.login", None, submission.case, actor_label=REPORTER, day_only=True)
    db.session.flush()
    events.reporter_returned.send(submission.case)


def _message(case: Case, direction: MessageDirection, body: str, actor: User | None,
             files: Sequence[Upload]) -> ReporterMessage:
    body = (body or "").strip()
    if not body and not files:
        raise ValidationError(_("Write a message or add a file."))
    if len(body) > MAX_TEXT:
        raise ValidationError(ngettext("The message is longer than %(n)d character.",
                                       "The message is longer than %(n)d characters.", MAX_TEXT, n=MAX_TEXT))
    message = ReporterMessage(case_id=case.id, direction=direction, author_id=actor.id if actor else None,
                              body_blob=seal_text(case, body),
                              created_at=reporter_time() if direction == MessageDirection.REPORTER else utcnow())
    db.session.add(message)
    db.session.flush()
    for filename, data in files:
        store_attachment(case, filename, data, actor, REPORTER if actor is None else "staff", message=message)
    return message


def post_reporter_message(submission: ReportSubmission, body: str,
                          files: Sequence[Upload] | None = None) -> ReporterMessage:
    """Add the reporter's answer or new information (with files) to the case thread."""
    message = _message(submission.case, MessageDirection.REPORTER, body, None, files or [])
    audit.record("reporter.message", None, submission.case, {"message": message.id, "files": len(files or [])},
                 actor_label=REPORTER)
    events.reporter_message_posted.send(submission.case, message_id=message.id)
    return message


def reply_to_reporter(case: Case, actor: User, body: str,
                      files: Sequence[Upload] | None = None) -> ReporterMessage:
    """Send the reporter a message; the first one given is the feedback the legal clock waits for."""
    message = _message(case, MessageDirection.STAFF, body, actor, files or [])
    audit.record("reporter.reply", actor, case, {"message": message.id, "files": len(files or [])})
    first = case.feedback_given_at is None
    if first:
        case.feedback_given_at = utcnow()
        audit.record("case.feedback", actor, case)
    db.session.flush()
    if first:
        events.feedback_given.send(case, actor=actor)
    return message


def add_reporter_identity(submission: ReportSubmission, identity: dict[str, str]) -> None:
    """Let the reporter give a sealed identity later (once)."""
    if submission.identity_blob is not None:
        raise ValidationError(_("You have already given your identity; it is kept sealed."))
    cleaned = clean_identity(identity)
    if cleaned is None or not cleaned.get("name"):
        raise ValidationError(_("Give at least your name."))
    submission.identity_blob = seal_text(submission.case, json.dumps(cleaned, ensure_ascii=False),
                                        IDENTITY_BUCKET)
    submission.identity_added_at = reporter_time()
    audit.record("reporter.identity_add", None, submission.case, actor_label=REPORTER)
    db.session.flush()


def submission_of(case: Case) -> ReportSubmission | None:
    """Return the case's confidential submission, if it came with one."""
    return db.session.scalar(sa.select(ReportSubmission).where(ReportSubmission.case_id == case.id))


def read_complaint(case: Case, actor: User) -> str | None:
    """Decrypt the complaint text and the thread for an authorised reader; the reading is audited."""
    submission = submission_of(case)
    seen = db.session.scalar(sa.select(sa.func.max(ReporterMessage.id)).where(ReporterMessage.case_id == case.id))
    # what was read is said by message id: a reporter's message is dated to the hour, so a time cannot say it
    audit.record("reporter.content_view", actor, case, {"seen": int(seen or 0)})
    db.session.flush()
    if submission is None or submission.content_blob is None:
        return None
    return open_text(case, submission.content_blob)


def thread(case: Case) -> list[tuple[ReporterMessage, str]]:
    """Return the case's reporter thread, oldest first, with each body decrypted."""
    messages = db.session.scalars(sa.select(ReporterMessage).where(ReporterMessage.case_id == case.id)
                                  .order_by(ReporterMessage.id))  # reporters' times are to the hour
    return [(m, open_text(case, m.body_blob)) for m in messages]


def shared_with_reporter(attachment: Attachment) -> bool:
    """Return whether a file belongs to the reporter's exchange (their own, or sent to them in the thread)."""
    return attachment.message_id is not None or attachment.source == REPORTER


# Files the investigation keeps in the case: each has its own page and its own rule (workspace, report, letter),
# so the Reporter tab neither lists nor serves them.
INTERNAL_SOURCES = ("evidence", "interview_statement", "task", "note", "report", "letter")


def is_reporter_file(attachment: Attachment) -> bool:
    """Return whether a file came with the report or the thread with the reporter (not an internal file)."""
    return attachment.message_id is not None or attachment.source not in INTERNAL_SOURCES


def reporter_files(case: Case) -> list[Attachment]:
    """Return the files that came with the report or the thread (not evidence, work files, reports or letters)."""
    return list(db.session.scalars(sa.select(Attachment).where(
        Attachment.case_id == case.id,
        sa.or_(Attachment.message_id.is_not(None), Attachment.source.not_in(INTERNAL_SOURCES)))
        .order_by(Attachment.id)))


def current_reveal(case: Case) -> IdentityReveal | None:
    """Return the case's pending or approved reveal request, if any."""
    return db.session.scalar(sa.select(IdentityReveal).where(
        IdentityReveal.case_id == case.id,
        IdentityReveal.status.in_((RevealStatus.PENDING, RevealStatus.APPROVED))).order_by(IdentityReveal.id.desc()))


def request_reveal(case: Case, actor: User, reason: str) -> IdentityReveal:
    """Ask to reveal the reporter's sealed identity; needs a reason and, later, a second supervisor."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError(_("Explain why the identity must be revealed (at least 10 characters)."))
    submission = submission_of(case)
    if submission is None or submission.identity_blob is None:
        raise ValidationError(_("The reporter gave no identity."))
    if current_reveal(case) is not None:
        raise ValidationError(_("A request to reveal this identity is already pending or approved."))
    reveal = IdentityReveal(case_id=case.id, reason=reason[:MAX_TEXT], requested_by_id=actor.id,
                            requested_at=utcnow())
    db.session.add(reveal)
    db.session.flush()
    audit.record("identity.reveal_request", actor, case, {"reveal": reveal.id, "reason": reason[:500]})
    return reveal


def decide_reveal(reveal: IdentityReveal, actor: User, approve: bool, note: str = "") -> None:
    """Approve or refuse a reveal request; the decider must be a different person from the requester."""
    if reveal.status != RevealStatus.PENDING:
        raise ValidationError(_("This request was already decided."))
    if reveal.requested_by_id == actor.id:
        raise ValidationError(_("A second supervisor must decide: you cannot approve your own request."))
    reveal.status = RevealStatus.APPROVED if approve else RevealStatus.REFUSED
    reveal.decided_by_id = actor.id
    reveal.decided_at = utcnow()
    reveal.decision_note = (note or "").strip()[:MAX_TEXT] or None
    action = "identity.reveal_approve" if approve else "identity.reveal_refuse"
    audit.record(action, actor, db.session.get(Case, reveal.case_id), {"reveal": reveal.id})
    db.session.flush()


def read_identity(case: Case, actor: User) -> dict[str, Any]:
    """Decrypt the reporter's identity for an authorised reader after an approved reveal; audited."""
    submission = submission_of(case)
    if submission is None or submission.identity_blob is None:
        raise ValidationError(_("The reporter gave no identity."))
    audit.record("identity.view", actor, case)
    db.session.flush()
    return json.loads(open_text(case, submission.identity_blob))
