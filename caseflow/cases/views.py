"""Thin views of the case workspace: parse, ask access, call one operation, render."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseflow import access, audit, deadlines, denials, uow, workflow
from caseflow.cases import bp, choices, header, subjects
from caseflow.cases import operations as ops
from caseflow.cases.forms import (
    DECISION_FIELDS,
    AllegationForm,
    AssignForm,
    CaseEditForm,
    ConfirmForm,
    FindingForm,
    MatchDecisionForm,
    NoteForm,
    PartyForm,
    TransitionForm,
)
from caseflow.cases.loading import load_case
from caseflow.enums import CaseState, MatchStatus, PartyRole
from caseflow.errors import CaseFlowError
from caseflow.extensions import db
from caseflow.formflow import run_form
from caseflow.inputs import MAX_INT4, uploaded_files
from caseflow.investigation import files, work_files
from caseflow.models import Allegation, Case, SubjectMatch, User
from caseflow.templating import split_reads


def _fill_choices(form: Any, case: Case | None = None) -> Any:
    if hasattr(form, "category_id"):
        form.category_id.choices = choices.category_choices()
    if hasattr(form, "office_id"):
        form.office_id.choices = choices.office_choices()
    if hasattr(form, "user_id") and isinstance(form, AssignForm) and case is not None:
        form.user_id.choices = choices.investigator_choices(case)
    if isinstance(form, PartyForm):
        form.user_id.choices = choices.staff_choices()
    if isinstance(form, AllegationForm) and case is not None:
        form.subject_id.choices = [(p.id, p.display_name) for p in case.parties if p.role == PartyRole.SUBJECT]
    return form


def render_case(case: Case, status: int = 200, kind: str | None = None, **forms: Any) -> ResponseReturnValue:
    """Render the case page, with any submitted forms (and their errors) kept as typed; kind filters the timeline."""
    base = {
        "assign_form": AssignForm(prefix="assign"), "party_form": PartyForm(prefix="party"),
        "allegation_form": AllegationForm(prefix="alleg"), "note_form": NoteForm(prefix="note"),
        "match_form": MatchDecisionForm(prefix="match"),
    }
    base.update(forms)
    for form in base.values():
        _fill_choices(form, case)
    transitions = workflow.offered_transitions(case, current_user)
    failed = forms.get("transition_form")
    transition_forms = {
        t.target.value: failed if failed is not None and failed._prefix == f"t-{t.target.value}-"
        else TransitionForm(prefix=f"t-{t.target.value}")
        for t, _problems in transitions
    }
    note_files = work_files.files_of_notes(case)
    note_stored = files.attachments_by_id([f.attachment_id for rows in note_files.values() for f in rows])
    events = audit.case_timeline(case.id)
    _rows, reads = split_reads(events)
    timeline = header.filter_timeline(events, kind)
    names = dict(db.session.execute(sa.select(User.username, User.full_name)).tuples().all())
    return render_template(
        "cases/case.html", case=case, transitions=transitions, transition_forms=transition_forms,
        timeline=timeline, reads=reads, names=names, clocks=deadlines.case_clocks(case),
        can_edit=access.can_edit_case(current_user, case), can_assign=access.can_assign(current_user, case),
        can_find=access.can_record_findings(current_user, case) or access.can_decide_sanction(current_user, case),
        PartyRole=PartyRole,
        matches=subjects.case_matches(case) if access.can_decide_subject_match(current_user, case) else [],
        MatchStatus=MatchStatus, head=header.case_header(case), kind=kind, kinds=header.TIMELINE_KINDS,
        note_files=note_files, note_stored=note_stored, **base,
    ), status


@bp.get("/<number>")
@login_required
def show_case(number: str) -> ResponseReturnValue:
    """Show a case: details, clocks, people, allegations, timeline and the transitions on offer."""
    case = load_case(number)
    audit.record("case.view", current_user, case)
    return render_case(case, kind=header.timeline_kind(request.args.get("kind")))


@bp.route("/<number>/edit", methods=["GET", "POST"])
@login_required
def edit_case(number: str) -> ResponseReturnValue:
    """Edit a case's triage and descriptive fields."""
    case = load_case(number)
    access.require(access.can_edit_case(current_user, case))
    form = _fill_choices(CaseEditForm(obj=case if request.method == "GET" else None))
    if request.method == "GET":
        form.priority.data = case.priority.value
        form.admissible.data = {True: "yes", False: "no"}.get(case.admissible, "")  # type: ignore[arg-type]
        form.retaliation_risk.data = case.retaliation_risk.value if case.retaliation_risk else ""
    if form.validate_on_submit():
        values = {
            "title": form.title.data, "summary": form.summary.data or "", "category_id": form.category_id.data,
            "office_id": form.office_id.data, "priority": form.priority.data,
            "admissible": {"yes": True, "no": False}.get(form.admissible.data or ""),
            "retaliation_risk": form.retaliation_risk.data or None,
            "incident_date": form.incident_date.data or None, "location_detail": form.location_detail.data or None}
        try:  # a field the request did not send keeps its value: an edit never erases what it did not touch
            ops.update_case_details(case, current_user, **{k: v for k, v in values.items() if k in request.form})
        except CaseFlowError as exc:
            uow.discard()
            flash(exc.message, "error")
            return render_template("cases/edit.html", form=form, case=case), 400
        flash(_("Case details saved."), "success")
        return redirect(url_for("cases.show_case", number=case.number))
    return render_template("cases/edit.html", form=form, case=case), 400 if form.is_submitted() else 200


def _post(case: Case, form: Any, action: Any, success: str, form_key: str) -> ResponseReturnValue:
    """Run one operation from a validated form; on refusal re-show the case page with the form kept."""
    return run_form(form, action, success, url_for("cases.show_case", number=case.number),
                    lambda status: render_case(case, status, **{form_key: form}))


@bp.post("/<number>/transition")
@login_required
def transition(number: str) -> ResponseReturnValue:
    """Move the case to another state through the workflow table."""
    case = load_case(number)
    try:
        to_state = CaseState(request.form.get("target", ""))
    except ValueError:
        abort(400)
    form = TransitionForm(prefix=f"t-{to_state.value}")

    def act() -> None:
        workflow.transition_case(case, to_state, current_user, reason=form.reason.data,
                                 receiving_body=form.receiving_body.data, outcome=form.outcome.data)

    return _post(case, form, act, _("The case is now “%(state)s”.", state=to_state.label), "transition_form")


@bp.post("/<number>/assign")
@login_required
def assign(number: str) -> ResponseReturnValue:
    """Assign the lead investigator or add a team member (conflicts of interest refused)."""
    case = load_case(number)
    access.require(access.can_assign(current_user, case))
    form = _fill_choices(AssignForm(prefix="assign"), case)
    offered = {value for value, _label in form.user_id.choices}
    if form.user_id.data is not None and form.user_id.data not in offered:  # a conflicted or unknown person
        target = db.session.get(User, form.user_id.data) if 0 < form.user_id.data <= MAX_INT4 else None
        denials.note_refusal(f"assign {target.username if target else form.user_id.data}",
                            _("This person cannot be assigned to this case."), case)

    def act() -> None:
        user = db.session.get(User, form.user_id.data)
        if user is None:
            abort(400)
        if form.as_lead.data:
            ops.assign_lead_investigator(case, user, current_user)
        else:
            ops.add_team_member(case, user, current_user)

    return _post(case, form, act, _("Assignment saved."), "assign_form")


@bp.post("/<number>/team/<int:user_id>/remove")
@login_required
def remove_member(number: str, user_id: int) -> ResponseReturnValue:
    """Take an investigator off the team."""
    case = load_case(number)
    access.require(access.can_assign(current_user, case))
    user = db.session.get(User, user_id) or abort(404)
    form = ConfirmForm(prefix="remove")
    return _post(case, form, lambda: ops.remove_team_member(case, user, current_user),
                 _("%(name)s was taken off the team.", name=user.full_name), "remove_form")


@bp.post("/<number>/parties")
@login_required
def add_party(number: str) -> ResponseReturnValue:
    """Name a subject or witness."""
    case = load_case(number)
    access.require(access.can_edit_case(current_user, case))
    form = _fill_choices(PartyForm(prefix="party"), case)
    return _post(case, form, lambda: ops.add_party(
        case, current_user, PartyRole(form.role.data), form.full_name.data or "", form.badge_number.data,
        form.position.data, form.user_id.data), _("Person added."), "party_form")


@bp.post("/<number>/matches/<int:match_id>")
@login_required
def decide_match(number: str, match_id: int) -> ResponseReturnValue:
    """Confirm or dismiss a probable match between a subject and a member of staff."""
    case = load_case(number)
    access.require(access.can_decide_subject_match(current_user, case))
    match = db.session.get(SubjectMatch, match_id)
    if match is None or match.case_id != case.id:
        abort(404)
    form = MatchDecisionForm(prefix="match")
    return _post(case, form, lambda: subjects.decide_match(match, current_user, form.decision.data == "confirm",
                                                           form.reason.data or ""),
                 _("Decision recorded."), "match_form")


@bp.post("/<number>/allegations")
@login_required
def add_allegation(number: str) -> ResponseReturnValue:
    """Record an allegation against a subject."""
    case = load_case(number)
    access.require(access.can_edit_case(current_user, case))
    form = _fill_choices(AllegationForm(prefix="alleg"), case)

    def act() -> None:
        subject = next((p for p in case.parties if p.id == form.subject_id.data), None)
        if subject is None:
            raise CaseFlowError(_("Choose a subject of this case."))
        ops.add_allegation(case, current_user, subject, form.conduct.data or "", form.category_id.data)

    return _post(case, form, act, _("Allegation recorded."), "allegation_form")


def _finding_form(allegation: Allegation) -> FindingForm:
    """Return the finding form, pre-filled with every stored value on GET (an edit never starts blank)."""
    form = FindingForm()
    if request.method == "GET":
        form.finding.data = allegation.finding.value if allegation.finding else ""
        form.reasoning.data = allegation.finding_reasoning or ""
        form.recommended_sanction.data = allegation.recommended_sanction.value if allegation.recommended_sanction \
            else ""
        form.decided_sanction.data = allegation.decided_sanction.value if allegation.decided_sanction else ""
        form.sanction_date.data = allegation.sanction_date
        form.sanction_reference.data = allegation.sanction_reference or ""
    return form


def _decision_changed(allegation: Allegation, form: FindingForm) -> bool:
    stored = (allegation.decided_sanction.value if allegation.decided_sanction else "",
              allegation.sanction_date, allegation.sanction_reference or "")
    posted = (form.decided_sanction.data or "", form.sanction_date.data, (form.sanction_reference.data or "").strip())
    return any(name in request.form for name in DECISION_FIELDS) and posted != stored


@bp.route("/<number>/allegations/<int:allegation_id>/finding", methods=["GET", "POST"])
@login_required
def record_finding(number: str, allegation_id: int) -> ResponseReturnValue:
    """Record or edit the finding on one allegation; the disciplinary authority also records the decided sanction."""
    case = load_case(number)
    may_find = access.can_record_findings(current_user, case)
    may_decide = access.can_decide_sanction(current_user, case)
    access.require(may_find or may_decide)
    allegation = db.session.get(Allegation, allegation_id)
    if allegation is None or allegation.case_id != case.id:
        abort(404)
    form = _finding_form(allegation)
    if not may_find:  # the authority deciding after the report: the finding itself is not open to change
        form.finding.data = form.finding.data or (allegation.finding.value if allegation.finding else "")
        form.reasoning.data = form.reasoning.data or allegation.finding_reasoning

    def render(status: int) -> ResponseReturnValue:
        return render_template("cases/finding.html", form=form, case=case, allegation=allegation,
                               may_find=may_find, may_decide=may_decide), status

    if request.method == "POST" and not may_decide and any(request.form.get(n) for n in DECISION_FIELDS):
        access.deny(_("Only the disciplinary authority (a supervisor) may record the decided sanction; "
                      "an investigator recommends one."))
    if not form.validate_on_submit():
        return render(400 if form.is_submitted() else 200)
    try:
        if may_find:  # only the fields the form sent change; one left out keeps its value
            extra = {n: form[n].data or None for n in ("recommended_sanction",) if n in request.form}
            ops.record_finding(allegation, current_user, form.finding.data, form.reasoning.data, **extra)
        if may_decide and _decision_changed(allegation, form):
            ops.decide_sanction(allegation, current_user, form.decided_sanction.data or None, form.sanction_date.data,
                                form.sanction_reference.data)
    except CaseFlowError as exc:
        uow.discard()
        flash(exc.message, "error")
        return render(409)
    flash(_("Finding recorded."), "success")
    return redirect(url_for("cases.show_case", number=case.number))


@bp.post("/<number>/notes")
@login_required
def add_note(number: str) -> ResponseReturnValue:
    """Add an internal note."""
    case = load_case(number)
    access.require(access.can_edit_case(current_user, case))
    form = NoteForm(prefix="note")

    def act() -> None:

        note = ops.add_note(case, current_user, form.body.data or "")
        work_files.attach_files(case, current_user, uploaded_files(form.files), note=note)

    return _post(case, form, act, _("Note added."), "note_form")
