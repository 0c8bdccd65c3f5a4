"""Thin views of the channel pages: staff intake, CSV import, API tokens, case links and minutes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseflow import access, audit, uow
from caseflow.api.tokens import create_token, revoke_token
from caseflow.cases import choices
from caseflow.channels import bp
from caseflow.channels.csvimport import COLUMNS, import_csv, template_csv
from caseflow.channels.forms import ApiTokenForm, CsvImportForm, LinkForm, StaffIntakeForm
from caseflow.channels.links import case_links, likely_duplicates
from caseflow.channels.operations import (
    StaffIntake,
    case_mails,
    intake_record,
    kept_mail,
    link_cases,
    record_staff_complaint,
    unlink_cases,
)
from caseflow.channels.receive import unseal
from caseflow.clock import utcnow
from caseflow.crypto import format_receipt
from caseflow.enums import Channel
from caseflow.errors import CaseFlowError
from caseflow.extensions import db
from caseflow.inputs import ascii_digits, received_problem
from caseflow.models import ApiToken, Case, CaseLink

NO_STORE = {"Cache-Control": "no-store"}


def _case(number: str) -> Case:
    case = db.session.scalar(sa.select(Case).where(Case.number == number))
    if case is None:
        abort(404)
    access.require(access.can_view_case(current_user, case))
    return case


def _parse_taken_at(value: str | None) -> datetime | None:
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(ascii_digits((value or "").strip()), fmt)
        except ValueError:
            continue
    return None


def _scan_name(scan: Any) -> str:
    return (scan.filename if scan is not None else None) or "minutes.pdf"


@bp.route("/new", methods=["GET", "POST"])
@login_required
def record_complaint() -> ResponseReturnValue:
    """Record a complaint taken by phone, hotline, letter, in person, by e-mail or from another unit."""
    access.require(access.can_create_case(current_user))
    form = StaffIntakeForm()
    form.category_id.choices = choices.category_choices()
    form.office_id.choices = choices.office_choices()
    form.unit_id.choices = choices.unit_choices()
    if request.method == "GET":
        form.taken_at.data = utcnow().strftime("%Y-%m-%d %H:%M")
        form.unit_id.data = choices.default_unit_id()
    if form.validate_on_submit():
        taken_at = _parse_taken_at(form.taken_at.data)
        scan = request.files.get(form.signed_scan.name)
        scan_data = scan.read() if scan and scan.filename else b""
        try:
            if taken_at is None:
                raise CaseFlowError(_("Give the time as YYYY-MM-DD HH:MM."))
            if problem := received_problem(taken_at, utcnow()):
                raise CaseFlowError(problem)
            received = record_staff_complaint(StaffIntake(
                method=Channel(form.method.data), title=form.title.data or "", content=form.content.data or "",
                taken_at=taken_at, category_id=form.category_id.data, office_id=form.office_id.data,
                priority=form.priority.data, incident_date=form.incident_date.data or None,
                location_detail=form.location_detail.data or None, subject_name=form.subject_name.data or None,
                subject_badge=form.subject_badge.data or None, referring_unit=form.referring_unit.data or None,
                anonymous=bool(form.anonymous.data), reporter_name=form.reporter_name.data or None,
                reporter_email=form.reporter_email.data or None, reporter_phone=form.reporter_phone.data or None,
                minutes=form.minutes.data or None, minutes_offered=bool(form.minutes_offered.data),
                recording_ref=form.recording_ref.data or None, language=form.language.data or None,
                unit_id=form.unit_id.data,
                signed_scan=(_scan_name(scan), scan_data) if scan_data else None), current_user)
        except CaseFlowError as exc:
            uow.discard()
            flash(exc.message, "error")
            return render_template("channels/record.html", form=form), 400
        case = received.case
        if received.receipt:
            return render_template("channels/receipt.html", case=case,
                                   receipt=format_receipt(received.receipt)), 200, NO_STORE
        if not access.can_view_case(current_user, case):  # sent to a unit the recorder is not part of
            flash(_("Case %(number)s recorded and sent to %(unit)s.", number=case.number,
                    unit=case.unit.label if case.unit else ""), "success")
            return redirect(url_for("cases.list_cases"))
        flash(_("Case %(number)s recorded.", number=case.number), "success")
        return redirect(url_for("cases.show_case", number=case.number))
    return render_template("channels/record.html", form=form), 400 if form.is_submitted() else 200


@bp.get("/cases/<number>/minutes")
@login_required
def show_minutes(number: str) -> ResponseReturnValue:
    """Show the minutes of an oral report (the reading is audited)."""
    case = _case(number)
    record = intake_record(case)
    if record is None or record.minutes_sealed is None:
        abort(404)
    text = unseal(case, record.minutes_sealed)
    audit.record("intake.minutes_view", current_user, case)
    return render_template("channels/minutes.html", case=case, record=record, text=text), 200, NO_STORE


@bp.get("/mail")
@login_required
def mail_log() -> ResponseReturnValue:
    """List the mail that did not become a case: not a complaint (with the reason) and failed messages."""
    access.require(access.can_view_mail_log(current_user))
    entries = kept_mail(limit=500)
    return render_template("channels/mail_log.html", entries=entries), 200, NO_STORE


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_page() -> ResponseReturnValue:
    """Upload a CSV file of complaints; show the row-level report."""
    access.require(access.can_import_csv(current_user))
    form = CsvImportForm()
    report = None
    if form.validate_on_submit():
        upload = request.files.get(form.file.name)
        if upload is None or not upload.filename:
            flash(_("Choose a CSV file."), "error")
            return render_template("channels/import.html", form=form, columns=COLUMNS, report=None), 400
        report = import_csv(upload.read(), current_user, skip_bad_rows=form.mode.data == "skip")
        status = 200 if report.created or not report.errors else 422
        return render_template("channels/import.html", form=form, columns=COLUMNS, report=report), status
    return render_template("channels/import.html", form=form, columns=COLUMNS, report=report), \
        400 if form.is_submitted() else 200


@bp.get("/import/template.csv")
@login_required
def import_template() -> ResponseReturnValue:
    """Download the CSV template (header and one example row)."""
    access.require(access.can_import_csv(current_user))
    return Response(template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=caseflow-import-template.csv"})


@bp.route("/api-tokens", methods=["GET", "POST"])
@login_required
def api_tokens() -> ResponseReturnValue:
    """List, create and revoke the JSON API tokens of integrations."""
    access.require(access.can_manage_api_tokens(current_user))
    form = ApiTokenForm()
    secret = None
    status = 200
    if form.validate_on_submit():
        try:
            token, secret = create_token(form.name.data or "", list(form.scopes.data or []), current_user,
                                         list(form.units.data or []))
        except CaseFlowError as exc:
            uow.discard()
            flash(exc.message, "error")
            status = 400
        else:
            flash(_("Token for %(name)s created. Copy it now: it is not shown again.", name=token.name), "success")
    elif form.is_submitted():
        status = 400
    tokens = list(db.session.scalars(sa.select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.name)))
    return render_template("channels/api_tokens.html", form=form, tokens=tokens, secret=secret), status, NO_STORE


@bp.post("/api-tokens/<int:token_id>/revoke")
@login_required
def revoke_api_token(token_id: int) -> ResponseReturnValue:
    """Revoke an integration's token."""
    access.require(access.can_manage_api_tokens(current_user))
    token = db.session.get(ApiToken, token_id)
    if token is None:
        abort(404)
    revoke_token(token, current_user)
    flash(_("Token %(name)s revoked.", name=token.name), "success")
    return redirect(url_for("channels.api_tokens"))


@bp.post("/cases/<number>/links")
@login_required
def add_link(number: str) -> ResponseReturnValue:
    """Link a case to another (duplicate of, related to)."""
    case = _case(number)
    access.require(access.can_edit_case(current_user, case))
    form = LinkForm(prefix="link")
    if not form.validate_on_submit():
        flash(_("Give the other case's number."), "error")
        return redirect(url_for("cases.show_case", number=case.number))
    other = db.session.scalar(sa.select(Case).where(Case.number == (form.other_number.data or "").strip()))
    if other is None or not access.can_view_case(current_user, other):
        flash(_("No case %(number)s that you may see.", number=form.other_number.data), "error")
        return redirect(url_for("cases.show_case", number=case.number))
    try:
        link_cases(case, other, form.kind.data, current_user)
    except CaseFlowError as exc:
        uow.discard()
        flash(exc.message, "error")
        return redirect(url_for("cases.show_case", number=case.number))
    flash(_("Cases linked."), "success")
    return redirect(url_for("cases.show_case", number=case.number))


@bp.post("/links/<int:link_id>/remove")
@login_required
def remove_link(link_id: int) -> ResponseReturnValue:
    """Remove a link between two cases."""
    link = db.session.get(CaseLink, link_id)
    if link is None:
        abort(404)
    access.require(access.can_link_cases(current_user, link.case, link.other_case))
    number = link.case.number
    unlink_cases(link, current_user)
    flash(_("Link removed."), "success")
    return redirect(url_for("cases.show_case", number=number))


@bp.app_context_processor
def _case_page_helpers() -> dict[str, Any]:
    """Give the case page its channel panel: intake record, links, likely duplicates, the link form."""
    return {"channel_panel": _channel_panel}


def _channel_panel(case: Case) -> dict[str, Any]:
    from caseflow.enums import CaseState

    can_link = access.can_edit_case(current_user, case)
    at_triage = case.state in (CaseState.RECEIVED, CaseState.TRIAGE)
    return {"record": intake_record(case), "mails": case_mails(case),
            "links": case_links(case, current_user), "can_link": can_link,
            "duplicates": likely_duplicates(case, current_user) if can_link and at_triage else [],
            "form": LinkForm(prefix="link")}
