"""Reporter pages: thin views; no session, no flash, no address kept, nothing loaded from elsewhere."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, make_response, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from caseflow import deadlines, limits, uow
from caseflow.attachments import (
    UNCLEANABLE_CHOICES,
    PreparedFile,
    UncleanableFilesError,
    attachment_name,
    max_upload_bytes,
    prepare_files,
)
from caseflow.crypto import format_receipt
from caseflow.enums import CaseState, Channel
from caseflow.errors import ValidationError
from caseflow.extensions import csrf, db, limiter
from caseflow.i18n import lang_url
from caseflow.inputs import keeps_text
from caseflow.models.intake import Attachment, MessageDirection, ReportSubmission
from caseflow.models.portal import ReporterSession
from caseflow.models.units import ReportingUnit
from caseflow.questionnaires.operations import latest_published
from caseflow.reporting import bp, tokens
from caseflow.reporting import operations as ops
from caseflow.reporting.downloads import read_uploads, send_file_response
from caseflow.reporting.forms import LaterIdentityForm, ReceiptForm, ReporterMessageForm, ReportForm, identity_given
from caseflow.reporting.receipts import already_received, received_on
from caseflow.units import operations as units

STATUS_WORDS = {
    CaseState.RECEIVED: "received", CaseState.TRIAGE: "assessment", CaseState.INVESTIGATION: "investigation",
    CaseState.ON_HOLD: "investigation", CaseState.REPORTING: "investigation", CaseState.CLOSED: "closed",
    CaseState.DISMISSED: "closed", CaseState.REFERRED: "closed", CaseState.ARCHIVED: "closed",
}


def _limit(key: str) -> Any:
    return lambda: current_app.config[key]


def _no_files() -> bool:
    return not any(f.filename for f in request.files.getlist("files"))


def reporter_files_of_request() -> list[tuple[str, PreparedFile]]:
    """Read, check and clean the files of this request (before any write), with the reporter's choice for
    files that cannot be cleaned ("drop" them or "keep" them as they are; otherwise they are named first)."""
    choice = request.form.get("uncleanable", "")
    return prepare_files(read_uploads(request.files.getlist("files")), ops.REPORTER,
                         choice if choice in UNCLEANABLE_CHOICES else "")


def _report_unit(channel: Channel) -> ReportingUnit | None:
    """Return the unit the report goes to (?unit= on the link, then the form's hidden field; else the default)."""
    # A post names its unit in the form; one that does not keeps the address's (?unit=), never the default.
    key = (request.form.get("unit") or request.args.get("unit")) if request.method == "POST" \
        else request.args.get("unit")
    unit = units.unit_by_key(key) if key else units.default_unit()
    units.check_unit_accepts(unit, channel == Channel.WHISTLEBLOWER)
    return unit


def _unit_questionnaire(unit: ReportingUnit | None) -> str | None:
    """Return the address of the unit's questionnaire for a named report, if it has a published one.

    A unit that asks its own questions asks them of named reporters too: the fixed form would skip them.
    """
    if unit is None or not unit.questionnaire_key or latest_published(unit.questionnaire_key) is None:
        return None
    return lang_url("reporting.questionnaire_intro", key=unit.questionnaire_key, unit=unit.key, named=1)


def _identity_given(form: ReportForm, channel: Channel) -> bool:
    """Return whether a named report gives its name and contact; else mark each missing field with its error."""
    return channel != Channel.WEB or identity_given(form.identity.form)


def _report_page(channel: Channel) -> ResponseReturnValue:
    purpose = f"report:{channel.value}"
    form = ReportForm(request.form if request.method == "POST" else None).fill_choices()
    template = "reporting/report.html"
    problem, uncleanable, same_report = None, None, None
    try:
        unit = _report_unit(channel)
        form.unit.data = unit.key if unit is not None else ""
    except ValidationError as exc:  # an unknown or closed unit, or one that does not take this kind of report
        if request.method != "POST":
            return render_template("reporting/error.html", code=400, message=exc.message), 400
        unit, problem = None, exc.message  # posted: the form comes back with what was typed, nothing is sent
    if request.method != "POST":  # GET and HEAD
        if channel == Channel.WEB and (steps := _unit_questionnaire(unit)) is not None:
            return redirect(steps)
        form.form_token.data = tokens.issue_form_token(purpose)
        return render_template(template, form=form, channel=channel.value, unit=unit)
    if problem:  # the unit refused: nothing else is checked, nothing is sent
        pass
    elif channel == Channel.WEB and unit is not None and _unit_questionnaire(unit):  # a post skipping its questions
        problem = _("%(unit)s asks its questions step by step: use its questionnaire.", unit=unit.label)
    elif form.website.data:
        problem = _("Your report could not be accepted. Leave the field “Leave this field empty” blank.")
    elif not all([form.validate(), _identity_given(form, channel)]):  # both run: every error is shown at once
        problem = _("Please correct the errors below.")
    else:
        fingerprint = tokens.form_fingerprint(purpose, [
            (k, v) for k, v in request.form.items(multi=True) if k not in ("form_token", "website")])
        files = None
        try:
            files = reporter_files_of_request()  # before any write or spent token
            spent = tokens.spend_form_token(request.form.get("form_token", ""), purpose)
            earlier = None if request.form.get("send_again") else tokens.case_sent_with(fingerprint)
            if earlier is not None:  # Back, then Send: the reloaded form has a fresh token but the same words
                raise tokens.SameReportError(earlier)
            identity = form.identity_data()
            received = ops.submit_report(channel, form.report(), identity, files, unit=unit)
            case = received.case
            spent.case_id, spent.content_mac = case.id, fingerprint  # a replay of this form now finds this case
        except tokens.SameReportError as exc:
            uow.discard()
            problem, same_report = exc.message, received_on(exc.case_id)
        except tokens.FormAlreadySentError as exc:
            uow.discard()
            return already_received(exc.case_id, channel)
        except ValidationError as exc:
            uow.discard()
            problem = exc.message
            uncleanable = exc.names if isinstance(exc, UncleanableFilesError) else None
            if files is None:  # the files were refused: the error belongs to their field
                form.files.errors = [exc.message]
        else:
            return render_template("reporting/receipt.html", receipt=format_receipt(received.receipt or ""), case=case,
                                   feedback_due=deadlines.due_dates(case)["feedback"], channel=channel.value)
    form.form_token.data = tokens.issue_form_token(purpose)
    files_lost = not _no_files()
    return render_template(template, form=form, channel=channel.value, problem=problem, files_lost=files_lost,
                           uncleanable=uncleanable, same_report=same_report, unit=unit), 409 if same_report else 400


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


def _current() -> tuple[ReportSubmission, ReporterSession] | None:
    session = tokens.reporter_session()
    if session is None:
        return None
    submission = db.session.get(ReportSubmission, session.submission_id)
    return (submission, session) if submission is not None else None


def _ended() -> ResponseReturnValue:
    response = redirect(lang_url("reporting.follow_up", ended=1))
    if request.cookies.get(tokens.REPORTER_COOKIE):
        tokens.close_reporter_session(response)
    return response


def _login_page(form: ReceiptForm, problem: str | None = None, status: int = 200, ended: bool = False,
                carried: bool = False) -> ResponseReturnValue:
    form.receipt.data = ""
    form.form_token.data = tokens.issue_form_token("follow-up")
    response = make_response(render_template("reporting/follow_up_login.html", form=form, problem=problem,
                                             ended=ended, carried=carried), status)
    if request.cookies.get(tokens.REPORTER_COOKIE):  # an ended session's cookie is removed, never set
        tokens.close_reporter_session(response)
    return response


@bp.route("/follow-up", methods=["GET", "POST"])
@csrf.exempt
def follow_up() -> ResponseReturnValue:
    """The follow-up login: the receipt code, and nothing else, opens the reporter's case."""
    form = ReceiptForm(request.form if request.method == "POST" else None)
    carried = bool((form.carried_body.data or "").strip())
    if request.method == "GET":
        if _current() is not None:
            return redirect(lang_url("reporting.follow_up_case"))
        return _login_page(form, ended=request.args.get("ended") == "1")
    typed = form.receipt.data or ""
    refused = limits.follow_up_refused(typed)
    if refused:
        return _too_many_logins(refused)
    problem = None
    try:
        tokens.spend_form_token(request.form.get("form_token", ""), "follow-up")
    except ValidationError as exc:
        problem = exc.message
    submission = ops.find_submission(typed)  # always hashed: constant cost
    if submission is None:
        limits.record_failed_follow_up(typed)
    if submission is not None and problem is None:
        ops.record_reporter_login(submission)
        if carried:  # the reply typed too late goes back into the reply form, not sent until the reporter says
            kept = ReporterMessageForm(data={"body": form.carried_body.data})
            return _case_page(submission, None, problem=None, message_form=kept, kept=True)
        response = redirect(lang_url("reporting.follow_up_case"))
        tokens.open_reporter_session(response, submission.id)
        return response
    uow.keep()  # the spent form token stays spent: a wrong receipt cannot be replayed with it
    problem = problem or _("This receipt code does not open any report. Check the 16 digits and try again.")
    return _login_page(form, problem, 400, carried=carried)


def _too_many_logins(budget: str) -> ResponseReturnValue:
    """Say which budget refused a receipt login, and that nothing was checked."""
    messages = {
        "client": _("Too many attempts from this connection. For your protection, please wait and try again "
                    "later. Your receipt was not checked."),
        "receipt": _("Too many wrong codes beginning with these digits. For your protection, this receipt can be "
                     "tried again in an hour."),
        "all": _("The follow-up page is receiving too many wrong codes from many connections. Please try again "
                 "later; your report is safe."),
    }
    return render_template("reporting/error.html", code=429, message=messages[budget]), 429


def _case_page(submission: ReportSubmission, session: ReporterSession | None, status: int = 200,
               problem: str | None = None, message_form: ReporterMessageForm | None = None,
               kept: bool = False, uncleanable: list[str] | None = None) -> ResponseReturnValue:
    case = submission.case
    message_form = message_form or ReporterMessageForm()
    message_form.form_token.data = tokens.issue_form_token(f"reply:{submission.id}")
    identity_form = LaterIdentityForm()
    identity_form.form_token.data = tokens.issue_form_token(f"identity:{submission.id}")
    response = make_response("", status)
    if session is None:
        session = tokens.open_reporter_session(response, submission.id)
    else:
        tokens.touch_reporter_session(session)  # sliding idle limit
    files = ops.reporter_files(case)
    response.set_data(render_template(
        "reporting/follow_up_case.html", case=case, submission=submission, status=STATUS_WORDS[case.state],
        state=case.state.value, thread=ops.thread(case), feedback_due=deadlines.due_dates(case)["feedback"],
        message_form=message_form, identity_form=identity_form, problem=problem, kept=kept,
        files=[(f, attachment_name(f)) for f in files], MessageDirection=MessageDirection,
        notice=request.args.get("done"), uncleanable=uncleanable,
        session_idle_until=session.idle_until, session_ends=session.expires_at,
        logout_token=tokens.issue_form_token(f"logout:{submission.id}")))
    uow.keep()  # the reporter's session opened or slid, even on a page that says what to correct
    return response


@bp.get("/follow-up/case")
def follow_up_case() -> ResponseReturnValue:
    """The reporter's case: status in plain words, deadlines, the thread, and forms to answer."""
    current = _current()
    if current is None:
        return _ended()
    return _case_page(*current)


@bp.post("/follow-up/message")
@csrf.exempt
@limiter.shared_limit(_limit("CASEFLOW_LIMIT_UPLOAD"), scope="report-upload", exempt_when=_no_files)
@limiter.limit(_limit("CASEFLOW_LIMIT_REPORT_MESSAGES"))
def follow_up_message() -> ResponseReturnValue:
    """The reporter answers the investigators or adds information and files."""
    form = ReporterMessageForm(request.form)
    current = _current()
    if current is None:  # typed too late: keep the text, ask for the receipt again, send nothing yet
        if not (form.body.data or "").strip():
            return _ended()
        login = ReceiptForm(data={"carried_body": form.body.data})
        message = _("Your session ended before your message was sent, so it was not sent. Your text is kept "
                    "below: type your receipt code to continue, then check it and press Send. Files must be "
                    "chosen again.")
        return _login_page(login, message, 401, ended=False, carried=True)
    submission, session = current
    if not form.validate():
        return _case_page(submission, session, 400, _("Please correct the errors below."), form)
    try:
        files = reporter_files_of_request()  # before any write or spent token
        tokens.spend_form_token(request.form.get("form_token", ""), f"reply:{submission.id}")
        ops.post_reporter_message(submission, form.body.data or "", files)
    except ValidationError as exc:
        uow.discard()
        return _case_page(submission, session, 400, exc.message, form,
                          uncleanable=exc.names if isinstance(exc, UncleanableFilesError) else None)
    tokens.touch_reporter_session(session)
    return redirect(lang_url("reporting.follow_up_case", done="message"))


@bp.post("/follow-up/identity")
@csrf.exempt
@limiter.limit(_limit("CASEFLOW_LIMIT_REPORT_MESSAGES"))
def follow_up_identity() -> ResponseReturnValue:
    """The reporter adds their identity, sealed, after submission."""
    current = _current()
    if current is None:
        return _ended()
    submission, session = current
    form = LaterIdentityForm(request.form)
    try:
        tokens.spend_form_token(request.form.get("form_token", ""), f"identity:{submission.id}")
        ops.add_reporter_identity(submission, {k: v or "" for k, v in form.identity.data.items()})
    except ValidationError as exc:
        uow.discard()
        return _case_page(submission, session, 400, exc.message)
    tokens.touch_reporter_session(session)
    return redirect(lang_url("reporting.follow_up_case", done="identity"))


@bp.get("/follow-up/files/<int:attachment_id>")
def follow_up_file(attachment_id: int) -> ResponseReturnValue:
    """Download a file of the reporter's own case."""
    current = _current()
    if current is None:
        return _ended()
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.case_id != current[0].case_id or not ops.shared_with_reporter(attachment):
        abort(404)  # evidence and other internal files of the case are never served to the reporter
    return send_file_response(attachment)


@bp.post("/follow-up/logout")
@csrf.exempt
def follow_up_logout() -> ResponseReturnValue:
    """End the reporter's session: its row is deleted, so a copied cookie opens nothing, and the cookie too."""
    response = redirect(lang_url("reporting.follow_up"))
    if request.cookies.get(tokens.REPORTER_COOKIE):  # nobody signed in: not even a deleting Set-Cookie
        current = _current()
        tokens.close_reporter_session(response, current[1] if current else None)
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
