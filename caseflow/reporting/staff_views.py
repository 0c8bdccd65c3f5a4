"""The case page's "Reporter" section: complaint text, thread, files, and the sealed identity with its reveal."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseflow import access, audit, uow
from caseflow.attachments import attachment_name, read_original
from caseflow.cases import bp
from caseflow.cases.loading import load_case
from caseflow.errors import CaseFlowError
from caseflow.extensions import db, limiter
from caseflow.i18n import current_language
from caseflow.models import Case
from caseflow.models.intake import Attachment, IdentityReveal, MessageDirection, RevealStatus
from caseflow.questionnaires.drafts import read_answers
from caseflow.reporting import operations as ops
from caseflow.reporting.downloads import read_uploads, send_bytes_response, send_file_response
from caseflow.reporting.forms import RevealDecisionForm, RevealRequestForm, StaffReplyForm


def _page(case: Case, status: int = 200, **forms: Any) -> ResponseReturnValue:
    submission = ops.submission_of(case)
    content = ops.read_complaint(case, current_user)  # audited read of confidential content
    answers = read_answers(case, current_user, current_language()) if access.can_read_case_answers(
        current_user, case) else None
    reveal = ops.current_reveal(case)
    approved = reveal is not None and reveal.status == RevealStatus.APPROVED
    identity = None
    if approved and access.can_view_identity(current_user, case, True) and request.args.get("identity") == "show":
        identity = ops.read_identity(case, current_user)
    named = [(f, attachment_name(f)) for f in ops.reporter_files(case)]
    past = db.session.scalars(sa.select(IdentityReveal).where(IdentityReveal.case_id == case.id)
                              .order_by(IdentityReveal.id)).all()
    uow.keep()  # the audited read stands even when the page reports a refused action
    return render_template(
        "reporting/staff_case.html", case=case, submission=submission, content=content, answers=answers,
        thread=ops.thread(case), files=named, file_names={f.id: name for f, name in named}, reveal=reveal,
        reveals=past, identity=identity, approved=approved, MessageDirection=MessageDirection,
        can_message=access.can_message_reporter(current_user, case),
        can_request=access.can_request_reveal(current_user, case),
        can_decide=reveal is not None and reveal.status == RevealStatus.PENDING
        and access.can_decide_reveal(current_user, case, reveal.requested_by_id),
        can_see_identity=approved and access.can_view_identity(current_user, case, True),
        can_open_originals=access.can_open_sealed_original(current_user, case, approved),
        reply_form=forms.get("reply_form") or StaffReplyForm(prefix="reply"),
        reveal_form=forms.get("reveal_form") or RevealRequestForm(prefix="reveal"),
        decision_form=forms.get("decision_form") or RevealDecisionForm(prefix="decide")), status


@bp.get("/<number>/reporter")
@login_required
def reporter_page(number: str) -> ResponseReturnValue:
    """What the reporter sent and the thread with them; the identity stays sealed unless a reveal was approved."""
    case = load_case(number)
    access.require(access.can_read_reporter_content(current_user, case))
    return _page(case)


def _done(case: Case, form_key: str, form: Any, action: Any, success: str) -> ResponseReturnValue:
    if not form.validate_on_submit():
        flash(_("Please correct the errors in the form."), "error")
        return _page(case, 400, **{form_key: form})
    try:
        action()
    except CaseFlowError as exc:
        uow.discard()
        flash(exc.message, "error")
        return _page(case, 409, **{form_key: form})
    flash(success, "success")
    return redirect(url_for("cases.reporter_page", number=case.number))


@bp.post("/<number>/reporter/reply")
@login_required
@limiter.limit("60 per hour")
def reporter_reply(number: str) -> ResponseReturnValue:
    """Send the reporter a message (the first one given starts counting as feedback)."""
    case = load_case(number)
    access.require(access.can_message_reporter(current_user, case))
    form = StaffReplyForm(prefix="reply")
    return _done(case, "reply_form", form, lambda: ops.reply_to_reporter(
        case, current_user, form.body.data or "", read_uploads(request.files.getlist("reply-files"))),
        _("Message sent to the reporter."))


@bp.post("/<number>/reporter/reveal")
@login_required
def request_reveal(number: str) -> ResponseReturnValue:
    """Ask to reveal the reporter's identity, with a reason (a second supervisor must approve)."""
    case = load_case(number)
    access.require(access.can_request_reveal(current_user, case))
    form = RevealRequestForm(prefix="reveal")
    return _done(case, "reveal_form", form, lambda: ops.request_reveal(case, current_user, form.reason.data or ""),
                 _("Request recorded. A second supervisor must approve it."))


@bp.post("/<number>/reporter/reveal/<int:reveal_id>")
@login_required
def decide_reveal(number: str, reveal_id: int) -> ResponseReturnValue:
    """Approve or refuse a pending reveal request (not by the supervisor who asked)."""
    case = load_case(number)
    reveal = db.session.get(IdentityReveal, reveal_id)
    if reveal is None or reveal.case_id != case.id:
        abort(404)
    access.require(access.can_decide_reveal(current_user, case, reveal.requested_by_id))
    form = RevealDecisionForm(prefix="decide")
    return _done(case, "decision_form", form, lambda: ops.decide_reveal(
        reveal, current_user, form.decision.data == "approve", form.note.data or ""), _("Decision recorded."))


@bp.get("/<number>/attachments/<int:attachment_id>")
@login_required
def download_attachment(number: str, attachment_id: int) -> ResponseReturnValue:
    """Download a case file (decrypted, checked against its fingerprint); every download is audited."""
    case = load_case(number)
    access.require(access.can_read_reporter_content(current_user, case))
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.case_id != case.id or not ops.is_reporter_file(attachment):
        abort(404)  # evidence, work files, reports and letters are served by their own pages, under their rules
    audit.record("attachment.download", current_user, case, {"attachment": attachment.id})
    return send_file_response(attachment)


@bp.get("/<number>/attachments/<int:attachment_id>/original")
@login_required
def download_original(number: str, attachment_id: int) -> ResponseReturnValue:
    """Download a reporter file exactly as received (sealed like the identity: only after an approved reveal)."""
    case = load_case(number)
    reveal = ops.current_reveal(case)
    approved = reveal is not None and reveal.status == RevealStatus.APPROVED
    access.require(access.can_open_sealed_original(current_user, case, approved))
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.case_id != case.id or not ops.is_reporter_file(attachment):
        abort(404)
    try:
        data = read_original(attachment)
    except CaseFlowError as exc:
        flash(exc.message, "error")
        return redirect(url_for("cases.reporter_page", number=case.number))
    audit.record("attachment.original_view", current_user, case, {"attachment": attachment.id})
    return send_bytes_response(data, attachment)
