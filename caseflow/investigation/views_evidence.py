"""Thin views of interviews, the evidence register and its chain of custody, and workspace file downloads."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseflow import access, audit, deadlines, uow
from caseflow.cases.forms import ConfirmForm
from caseflow.errors import CaseFlowError
from caseflow.extensions import db
from caseflow.formflow import run_form
from caseflow.investigation import bp, files
from caseflow.investigation import evidence as ev
from caseflow.investigation import operations as ops
from caseflow.investigation.forms import NEW_PERSON, EvidenceForm, HandOverForm, InterviewForm
from caseflow.investigation.workspace import owner_choices, workspace_case
from caseflow.models import Case, EvidenceItem, Interview


def _upload(field: Any) -> tuple[str, bytes] | None:
    data = field.data
    if data is None or not getattr(data, "filename", ""):
        return None
    return data.filename, data.read()


def _interview_form(case: Case, form: InterviewForm | None = None) -> InterviewForm:
    """Return the interview form with its lists filled: the case's people (and someone new), the interviewers."""
    form = form or InterviewForm(prefix="iv")
    people = [(str(p.id), _("%(name)s (%(role)s)", name=p.display_name, role=p.role.label) if p.person is not None
               else _("The reporter (identity sealed)")) for p in case.parties]
    form.party_id.choices = [*people, (NEW_PERSON, _("Someone new: add them to the case's people"))]
    form.interviewer_id.choices = [("", "—")] + owner_choices(case)
    return form


def _party_id(form: InterviewForm) -> int | None:
    value = form.party_id.data or NEW_PERSON
    return None if value == NEW_PERSON else int(value)


def _render_interviews(case: Case, status: int = 200, form: InterviewForm | None = None) -> ResponseReturnValue:
    form = _interview_form(case, form)
    if not form.is_submitted():
        form.interviewer_id.data = current_user.id
    interviews = list(db.session.scalars(sa.select(Interview).where(Interview.case_id == case.id)
                                         .order_by(Interview.held_at, Interview.id)))
    stored = files.attachments_by_id([i.statement_attachment_id for i in interviews])
    return render_template("investigation/interviews.html", case=case, interviews=interviews, form=form,
                           stored=stored,
                           can_work=access.can_work_case(current_user, case),
                           local=deadlines.utc_to_local), status


@bp.get("/<number>/investigation/interviews", endpoint="interviews")
@login_required
def interviews(number: str) -> ResponseReturnValue:
    """The interviews of the case."""
    return _render_interviews(workspace_case(number))


@bp.post("/<number>/investigation/interviews", endpoint="add_interview")
@login_required
def add_interview(number: str) -> ResponseReturnValue:
    """Record an interview, with the signed statement if given."""
    case = workspace_case(number)
    access.require(access.can_work_case(current_user, case))
    form = _interview_form(case)
    return run_form(form, lambda: ops.record_interview(
        case, current_user, form.interviewee.data or "", form.role.data,
        deadlines.local_to_utc(form.held_at.data), form.location.data or "", form.interviewer_id.data,
        form.summary.data or "", _upload(form.statement), party_id=_party_id(form),
        badge_number=form.badge_number.data), _("Interview recorded."),
        url_for("investigation.interviews", number=number), lambda status: _render_interviews(case, status, form))


def _render_register(case: Case, status: int = 200, form: EvidenceForm | None = None) -> ResponseReturnValue:
    items = list(db.session.scalars(sa.select(EvidenceItem).where(EvidenceItem.case_id == case.id)
                                    .order_by(EvidenceItem.seq)))
    return render_template("investigation/evidence.html", case=case, items=items,
                           stored=files.attachments_by_id([i.attachment_id for i in items]),
                           form=form or EvidenceForm(prefix="ev"),
                           can_work=access.can_work_case(current_user, case)), status


@bp.get("/<number>/investigation/evidence", endpoint="evidence")
@login_required
def evidence(number: str) -> ResponseReturnValue:
    """The evidence register of the case."""
    return _render_register(workspace_case(number))


@bp.post("/<number>/investigation/evidence", endpoint="add_evidence")
@login_required
def add_evidence(number: str) -> ResponseReturnValue:
    """Register an item of evidence (with a file, whose SHA-256 is recorded)."""
    case = workspace_case(number)
    access.require(access.can_work_case(current_user, case))
    form = EvidenceForm(prefix="ev")
    return run_form(form, lambda: ev.register_evidence(
        case, current_user, form.description.data or "", form.source.data or "", form.storage_location.data or "",
        _upload(form.upload), deadlines.local_to_utc(form.received_at.data)), _("Evidence registered."),
        url_for("investigation.evidence", number=number), lambda status: _render_register(case, status, form))


def _item(case: Case, evidence_id: int) -> EvidenceItem:
    item = db.session.get(EvidenceItem, evidence_id)
    if item is None or item.case_id != case.id:
        abort(404)
    return item


def _render_item(case: Case, item: EvidenceItem, status: int = 200,
                 form: HandOverForm | None = None) -> ResponseReturnValue:
    return render_template("investigation/evidence_item.html", case=case, item=item,
                           stored=files.attachments_by_id([item.attachment_id]).get(item.attachment_id or 0),
                           form=form or HandOverForm(prefix="ho"), confirm=ConfirmForm(prefix="check"),
                           can_work=access.can_work_case(current_user, case), local=deadlines.utc_to_local,
                           mismatches=audit_mismatches(item)), status


def audit_mismatches(item: EvidenceItem) -> int:
    """Return how many re-checks of the item found a hash mismatch (from the audit log)."""
    from caseflow.models import AuditEvent

    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.case_id == item.case_id, AuditEvent.action == "evidence.hash_mismatch",
        AuditEvent.detail.contains(f'"evidence":"{item.number}"'))) or 0


@bp.get("/<number>/investigation/evidence/<int:evidence_id>", endpoint="evidence_item")
@login_required
def evidence_item(number: str, evidence_id: int) -> ResponseReturnValue:
    """One evidence item with its custody timeline."""
    case = workspace_case(number)
    return _render_item(case, _item(case, evidence_id))


@bp.post("/<number>/investigation/evidence/<int:evidence_id>/custody", endpoint="hand_over")
@login_required
def hand_over(number: str, evidence_id: int) -> ResponseReturnValue:
    """Append a hand-over to the item's chain of custody."""
    case = workspace_case(number)
    access.require(access.can_work_case(current_user, case))
    item = _item(case, evidence_id)
    form = HandOverForm(prefix="ho")
    return run_form(form, lambda: ev.hand_over(item, current_user, form.to_holder.data or "",
                                               deadlines.local_to_utc(form.occurred_at.data), form.reason.data or "",
                                               form.storage_location.data), _("Hand-over recorded."),
                    url_for("investigation.evidence_item", number=number, evidence_id=item.id),
                    lambda status: _render_item(case, item, status, form))


@bp.post("/<number>/investigation/evidence/<int:evidence_id>/check", endpoint="recheck")
@login_required
def recheck(number: str, evidence_id: int) -> ResponseReturnValue:
    """Recompute the file's SHA-256 and compare it with the register."""
    case = workspace_case(number)
    access.require(access.can_work_case(current_user, case))
    item = _item(case, evidence_id)
    form = ConfirmForm(prefix="check")
    if not form.validate_on_submit():
        abort(400)
    try:
        ok = ev.recheck_evidence(item, current_user)
    except CaseFlowError as exc:
        uow.discard()
        flash(exc.message, "error")
        return _render_item(case, item, 409)
    if ok:
        flash(_("The file matches its recorded SHA-256."), "success")
    else:
        flash(_("HASH MISMATCH: the file no longer matches its recorded SHA-256. This is recorded in the "
                "audit log."), "error")
    return redirect(url_for("investigation.evidence_item", number=number, evidence_id=item.id))


@bp.get("/<number>/investigation/files/<any(evidence, statement):kind>/<int:row_id>", endpoint="download")
@login_required
def download(number: str, kind: str, row_id: int) -> ResponseReturnValue:
    """Download an evidence file or a signed statement (audited)."""
    case = workspace_case(number)
    row: Any = db.session.get(EvidenceItem if kind == "evidence" else Interview, row_id)
    if row is None or row.case_id != case.id:
        abort(404)
    data = files.read_file(row.attachment_id if kind == "evidence" else row.statement_attachment_id)
    if data is None:
        abort(404)
    name = files.clean_name((row.filename if kind == "evidence" else row.statement_filename) or "file")
    audit.record("file.download", current_user, case, {"kind": kind, "id": row_id})
    return send_file(BytesIO(data), download_name=name, as_attachment=True,
                     mimetype="application/octet-stream")
