"""Reporter pages: thin views; no session, no flash, no address kept, nothing loaded from elsewhere."""

from __future__ import annotations

import io
from typing import Any

from flask import abort, current_app, make_response, redirect, render_template, request, send_file
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import FileStorage

from caseflow import deadlines
from caseflow.attachments import (
    UNCLEANABLE_CHOICES,
    PreparedFile,
    UncleanableFilesError,
    attachment_name,
    max_upload_bytes,
    prepare_files,
    read_attachment,
)
from caseflow.crypto import format_receipt
from caseflow.enums import CaseState, Channel
from caseflow.errors import ValidationError
from caseflow.extensions import csrf, db, limiter
from caseflow.i18n import lang_url
from caseflow.inputs import keeps_text
from caseflow.models.intake import Attachment, MessageDirection, ReportSubmission
from caseflow.reporting import bp, tokens
from caseflow.reporting import operations as ops
from caseflow.reporting.forms import LaterIdentityForm, ReceiptForm, ReporterMessageForm, ReportForm

STATUS_WORDS = {
    CaseState.RECEIVED: "received", CaseState.TRIAGE: "assessment", CaseState.INVESTIGATION: "investigation",
    CaseState.ON_HOLD: "investigation", CaseState.REPORTING: "investigation", CaseState.CLOSED: "closed",
    CaseState.DISMISSED: "closed", CaseState.REFERRED: "closed", CaseState.ARCHIVED: "closed",
}


def _limit(key: str) -> Any:
    return lambda: current_app.config[key]


def _no_files() -> bool:
    return not any(f.filename for f in request.files.getlist("files"))


def read_uploads(storages: list[FileStorage]) -> list[tuple[str, bytes]]:
    """Return (name, content) of the uploaded files, refusing an oversize one before reading it all."""
    files = []
    limit = max_upload_bytes()
    for storage in storages:
        if not storage or not storage.filename:
            continue
        data = storage.stream.read(limit + 1)
        if len(data) > limit:
            raise ValidationError(ngettext("The file %(name)s is larger than %(mb)d MB.",
                                           "The file %(name)s is larger than %(mb)d MB.",
                                           limit // (1024 * 1024), name=storage.filename[-80:],
                                           mb=limit // (1024 * 1024)))
        files.append((storage.filename, data))
    return files


def reporter_files_of_request() -> list[tuple[str, PreparedFile]]:
    """Read, check and clean the files of this request (before any write), with the reporter's choice for
    files that cannot be cleaned ("drop" them or "keep" them as they are; otherwise they are named first)."""
    choice = request.form.get("uncleanable", "")
    return prepare_files(read_uploads(request.files.getlist("files")), ops.REPORTER,
                         choice if choice in UNCLEANABLE_CHOICES else "")


def _report_page(channel: Channel) -> ResponseReturnValue:
    purpose = f"report:{channel.value}"
    form = ReportForm(request.form if request.method == "POST" else None).fill_choices()
    template = "reporting/report.html"
    if request.method != "POST":  # GET and HEAD
        form.form_token.data = tokens.issue_form_token(purpose)
        return render_template(template, form=form, channel=channel.value)
    problem, uncleanable = None, None
    if form.website.data:
        problem = _("Your report could not be accepted. Leave the field “Leave this field empty” blank.")
    elif not form.validate():
        problem = _("Please correct the errors below.")
    else:
        try:
            files = reporter_files_of_request()  # before any write or spent token
            tokens.spend_form_token(request.form.get("form_token", ""), purpose)
            identity = form.identity_data()
            case = ops.submit_report(channel, form.report(), identity, files)
        except ValidationError as exc:
            db.session.rollback()
            problem = exc.message
            uncleanable = exc.names if isinstance(exc, UncleanableFilesError) else None
        else:
            db.session.commit()
            receipt = format_receipt(case.issued_receipt)  # type: ignore[attr-defined]
            return render_template("reporting/receipt.html", receipt=receipt, case=case,
                                   feedback_due=deadlines.due_dates(case)["feedback"], channel=channel.value)
    form.form_token.data = tokens.issue_form_token(purpose)
    files_lost = not _no_files()
    return render_template(template, form=form, channel=channel.value, problem=problem, files_lost=files_lost,
                           uncleanable=uncleanable), 400


@bp.route("/report", methods=["GET", "POST"])
@csrf.exempt
@limiter.shared_limit(_limit("CASEFLOW_LIMIT_REPORT"), scope="report-submit", methods=["POST"])
@limiter.shared_limit(_limit("CASEFLOW_LIMIT_UPLOAD"), scope="report-upload", methods=["POST"],
                      exempt_when=_no_files)
@keeps_text
def report_named() -> ResponseReturnValue:
    """The public complaint form: the reporter says who they are (kept sealed)."""
    return _report_page(Channel.WEB)


@bp.route("/whistleblow", methods=["GET", "POST"])
@csrf.exempt
@limiter.shared_limit(_limit("CASEFLOW_LIMIT_REPORT"), scope="report-submit", methods=["POST"])
@limiter.shared_limit(_limit("CASEFLOW_LIMIT_UPLOAD"), scope="report-upload", methods=["POST"],
                      exempt_when=_no_files)
@keeps_text
def report_anonymous() -> ResponseReturnValue:
    """The anonymous whistleblower form: no identity asked; a receipt code is the only key back."""
    return _report_page(Channel.WHISTLEBLOWER)


def _current_submission() -> tuple[ReportSubmission, int] | None:
    session = tokens.reporter_session()
    if session is None:
        return None
    submission = db.session.get(ReportSubmission, session[0])
    return (submission, session[1]) if submission is not None else None


def _ended() -> ResponseReturnValue:
    response = redirect(lang_url("reporting.follow_up", ended=1))
    if request.cookies.get(tokens.REPORTER_COOKIE):
        tokens.close_reporter_session(response)
    return response


@bp.route("/follow-up", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit(_limit("CASEFLOW_LIMIT_FOLLOW_UP"), methods=["POST"])
@limiter.shared_limit(_limit("CASEFLOW_LIMIT_FOLLOW_UP_ALL"), scope="follow-up-all", key_func=lambda: "all",
                      methods=["POST"])
def follow_up() -> ResponseReturnValue:
    """The follow-up login: the receipt code, and nothing else, opens the reporter's case."""
    form = ReceiptForm(request.form if request.method == "POST" else None)
    problem = None
    if request.method == "POST":
        try:
            tokens.spend_form_token(request.form.get("form_token", ""), "follow-up")
        except ValidationError as exc:
            problem = exc.message
        submission = ops.find_submission(form.receipt.data or "")  # always hashed: constant cost
        if submission is not None and problem is None:
            ops.record_reporter_login(submission)
            db.session.commit()
            response = redirect(lang_url("reporting.follow_up_case"))
            tokens.open_reporter_session(response, submission.id)
            return response
        db.session.commit()
        problem = problem or _("This receipt code does not open any report. Check the 16 digits and try again.")
    elif _current_submission() is not None:
        return redirect(lang_url("reporting.follow_up_case"))
    form.receipt.data = ""
    form.form_token.data = tokens.issue_form_token("follow-up")
    ended = request.args.get("ended") == "1"
    return render_template("reporting/follow_up_login.html", form=form, problem=problem,
                           ended=ended), 400 if problem else 200


def _case_page(submission: ReportSubmission, login_at: int, status: int = 200, problem: str | None = None,
               message_form: ReporterMessageForm | None = None,
               uncleanable: list[str] | None = None) -> ResponseReturnValue:
    case = submission.case
    message_form = message_form or ReporterMessageForm()
    message_form.form_token.data = tokens.issue_form_token(f"reply:{submission.id}")
    identity_form = LaterIdentityForm()
    identity_form.form_token.data = tokens.issue_form_token(f"identity:{submission.id}")
    files = ops.reporter_files(case)
    html = render_template(
        "reporting/follow_up_case.html", case=case, submission=submission, status=STATUS_WORDS[case.state],
        state=case.state.value, thread=ops.thread(case), feedback_due=deadlines.due_dates(case)["feedback"],
        message_form=message_form, identity_form=identity_form, problem=problem,
        files=[(f, attachment_name(f)) for f in files], MessageDirection=MessageDirection,
        notice=request.args.get("done"), uncleanable=uncleanable,
        logout_token=tokens.issue_form_token(f"logout:{submission.id}"))
    response = make_response(html, status)
    tokens.open_reporter_session(response, submission.id, login_at)  # sliding idle expiry
    return response


@bp.get("/follow-up/case")
def follow_up_case() -> ResponseReturnValue:
    """The reporter's case: status in plain words, deadlines, the thread, and forms to answer."""
    current = _current_submission()
    if current is None:
        return _ended()
    return _case_page(*current)


@bp.post("/follow-up/message")
@csrf.exempt
@limiter.shared_limit(_limit("CASEFLOW_LIMIT_UPLOAD"), scope="report-upload", exempt_when=_no_files)
@limiter.limit(_limit("CASEFLOW_LIMIT_REPORT_MESSAGES"))
def follow_up_message() -> ResponseReturnValue:
    """The reporter answers the investigators or adds information and files."""
    current = _current_submission()
    if current is None:
        return _ended()
    submission, login_at = current
    form = ReporterMessageForm(request.form)
    if not form.validate():
        return _case_page(submission, login_at, 400, _("Please correct the errors below."), form)
    try:
        files = reporter_files_of_request()  # before any write or spent token
        tokens.spend_form_token(request.form.get("form_token", ""), f"reply:{submission.id}")
        ops.post_reporter_message(submission, form.body.data or "", files)
    except ValidationError as exc:
        db.session.rollback()
        return _case_page(submission, login_at, 400, exc.message, form,
                          exc.names if isinstance(exc, UncleanableFilesError) else None)
    db.session.commit()
    response = redirect(lang_url("reporting.follow_up_case", done="message"))
    tokens.open_reporter_session(response, submission.id, login_at)
    return response


@bp.post("/follow-up/identity")
@csrf.exempt
@limiter.limit(_limit("CASEFLOW_LIMIT_REPORT_MESSAGES"))
def follow_up_identity() -> ResponseReturnValue:
    """The reporter adds their identity, sealed, after submission."""
    current = _current_submission()
    if current is None:
        return _ended()
    submission, login_at = current
    form = LaterIdentityForm(request.form)
    try:
        tokens.spend_form_token(request.form.get("form_token", ""), f"identity:{submission.id}")
        ops.add_reporter_identity(submission, {k: v or "" for k, v in form.identity.data.items()})
    except ValidationError as exc:
        db.session.rollback()
        return _case_page(submission, login_at, 400, exc.message)
    db.session.commit()
    response = redirect(lang_url("reporting.follow_up_case", done="identity"))
    tokens.open_reporter_session(response, submission.id, login_at)
    return response


@bp.get("/follow-up/files/<int:attachment_id>")
def follow_up_file(attachment_id: int) -> ResponseReturnValue:
    """Download a file of the reporter's own case."""
    current = _current_submission()
    if current is None:
        return _ended()
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.case_id != current[0].case_id or not ops.shared_with_reporter(attachment):
        abort(404)  # evidence and other internal files of the case are never served to the reporter
    return send_file_response(attachment)


def send_file_response(attachment: Attachment) -> ResponseReturnValue:
    """Return a stored file as a download with a safe name (never displayed inline)."""
    return send_bytes_response(read_attachment(attachment), attachment)


def send_bytes_response(data: bytes, attachment: Attachment) -> ResponseReturnValue:
    """Return these bytes of a case file as a download with the file's safe name (never displayed inline)."""
    # The bare type: werkzeug adds "; charset=utf-8" to text types itself (else it would appear twice).
    mimetype = attachment.content_type.split(";")[0].strip()
    response = send_file(io.BytesIO(data), mimetype=mimetype,
                         as_attachment=True, download_name=attachment_name(attachment))
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.post("/follow-up/logout")
@csrf.exempt
def follow_up_logout() -> ResponseReturnValue:
    """End the reporter's session (the cookie is deleted)."""
    response = redirect(lang_url("reporting.follow_up"))
    tokens.close_reporter_session(response)
    return response


@bp.errorhandler(413)
def _too_large(exc: Exception) -> ResponseReturnValue:
    message = ngettext("What you sent is too large. Each file may be at most %(mb)d MB; send large files one by one.",
                       "What you sent is too large. Each file may be at most %(mb)d MB; send large files one by one.",
                       max_upload_bytes() // (1024 * 1024), mb=max_upload_bytes() // (1024 * 1024))
    return render_template("reporting/error.html", code=413, message=message), 413


@bp.errorhandler(429)
def _too_many(exc: Exception) -> ResponseReturnValue:
    message = _("Too many attempts from this connection. For your protection, please wait an hour and try again. "
                "Nothing you typed was sent.")
    return render_template("reporting/error.html", code=429, message=message), 429
