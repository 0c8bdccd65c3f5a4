"""Thin views of the investigation workspace: conflict declaration, triage record, plan, tasks, referrals, hold."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseflow import access, deadlines, workflow
from caseflow.cases import choices
from caseflow.cases.forms import ConfirmForm
from caseflow.cases.loading import load_case
from caseflow.enums import CaseState, PartyRole
from caseflow.extensions import db
from caseflow.formflow import run_form
from caseflow.inputs import uploaded_files
from caseflow.investigation import bp, files, sweep, work_files
from caseflow.investigation import operations as ops
from caseflow.investigation.forms import (
    DeclarationForm,
    LegalHoldForm,
    PlanForm,
    ReferralForm,
    ResponseForm,
    TaskFilesForm,
    TaskForm,
    TriageForm,
)
from caseflow.investigation.workspace import owner_choices, workspace_case
from caseflow.models import Case, PlanVersion, Referral, Task


@bp.before_app_request
def conflict_gate() -> ResponseReturnValue | None:
    """Send an assignee who has not yet declared (no) conflict of interest to the declaration page."""
    number = (request.view_args or {}).get("number")
    if not number or request.endpoint == "investigation.declare" or not current_user.is_authenticated:
        return None
    case = db.session.scalar(sa.select(Case).where(Case.number == number))
    if case is not None and access.needs_conflict_declaration(current_user, case):
        return redirect(url_for("investigation.declare", number=number))
    return None


@bp.route("/<number>/investigation/declaration", methods=["GET", "POST"], endpoint="declare")
@login_required
def declare(number: str) -> ResponseReturnValue:
    """Ask an assignee, on first opening the case, to declare whether they have a conflict of interest."""
    case = load_case(number)
    if not access.needs_conflict_declaration(current_user, case):
        return redirect(url_for("cases.show_case", number=number))
    form = DeclarationForm()

    def render(status: int) -> ResponseReturnValue:
        subjects = [p for p in case.parties if p.role == PartyRole.SUBJECT and p.person is not None]
        return render_template("investigation/declare.html", case=case, form=form, subjects=subjects), status

    if request.method == "GET":
        return render(200)
    conflicted = form.has_conflict.data == "yes"
    target = url_for("cases.list_cases") if conflicted else url_for("cases.show_case", number=number)
    message = (_("Your conflict of interest is recorded; you have been taken off this case.") if conflicted
               else _("Thank you: your declaration of no conflict of interest is recorded."))
    return run_form(form, lambda: ops.declare_conflict(case, current_user, conflicted, form.statement.data or ""),
                    message, target, render)


def _triage_form(case: Case) -> TriageForm:
    form = TriageForm()
    form.category_id.choices = choices.category_choices()
    if request.method == "GET":
        form.admissible.data = {True: "yes", False: "no"}.get(case.admissible, "")  # type: ignore[arg-type]
        form.category_id.data = case.category_id
        form.priority.data = case.priority.value
        form.retaliation_risk.data = case.retaliation_risk.value if case.retaliation_risk else ""
    return form


@bp.route("/<number>/investigation/triage", methods=["GET", "POST"], endpoint="triage")
@login_required
def triage(number: str) -> ResponseReturnValue:
    """The triage record: the assessment and the decision, each decision a transition of the workflow table."""
    case = workspace_case(number)
    form = _triage_form(case)

    def render(status: int) -> ResponseReturnValue:
        offered = workflow.offered_transitions(case, current_user) if access.can_triage(current_user, case) else []
        return render_template("investigation/triage.html", case=case, form=form, transitions=offered,
                               can_triage=access.can_triage(current_user, case)), status

    if request.method == "GET":
        return render(200)
    access.require(access.can_triage(current_user, case))
    decision = request.form.get("decision", "")
    target_state: CaseState | None = None
    if decision:
        try:
            target_state = CaseState(decision)
        except ValueError:
            abort(400)

    def act() -> None:
        ops.record_triage(case, current_user, {"yes": True, "no": False}.get(form.admissible.data or ""),
                          form.category_id.data, form.priority.data, form.retaliation_risk.data or None)
        if target_state is not None:
            ops.decide_triage(case, current_user, target_state, form.reason.data or "",
                              form.receiving_body.data or "", form.body_kind.data, form.reference.data or "")

    done = (_("The case is now “%(state)s”.", state=target_state.label) if target_state
            else _("Triage assessment saved."))
    return run_form(form, act, done, url_for("investigation.triage", number=number), render)


def render_workspace(case: Case, status: int = 200, **forms: Any) -> ResponseReturnValue:
    """Render the workspace overview, with any submitted form (and its errors) kept as typed."""
    plan_form = forms.get("plan_form") or PlanForm(prefix="plan")
    latest = ops.current_plan(case)
    if latest is not None and not plan_form.is_submitted():
        plan_form.body.data = latest.body
    task_form = forms.get("task_form") or TaskForm(prefix="task")
    task_form.owner_id.choices = [("", "—")] + owner_choices(case)
    if not task_form.is_submitted() and any(value == case.lead_investigator_id for value, _label in
                                            task_form.owner_id.choices):
        task_form.owner_id.data = case.lead_investigator_id  # most tasks are the lead's own
    hold_form = forms.get("hold_form") or LegalHoldForm(prefix="hold")
    tasks = list(db.session.scalars(sa.select(Task).where(Task.case_id == case.id)
                                    .order_by(Task.done_at.is_not(None), Task.due_date, Task.id)))
    versions = list(db.session.scalars(sa.select(PlanVersion).where(PlanVersion.case_id == case.id)
                                       .order_by(PlanVersion.version.desc())))
    marks = {t.id: deadlines.task_status(t.due_date, t.done_at) for t in tasks}
    task_files = work_files.files_of_tasks(case)
    return render_template(
        "investigation/workspace.html", case=case, plan=latest, versions=versions, tasks=tasks, marks=marks,
        plan_form=plan_form, task_form=task_form, hold_form=hold_form, task_files=task_files,
        stored=files.attachments_by_id([f.attachment_id for rows in task_files.values() for f in rows]),
        files_forms={t.id: TaskFilesForm(prefix=f"tf{t.id}") for t in tasks}, confirm=ConfirmForm(prefix="task"),
        can_work=access.can_work_case(current_user, case), can_hold=access.can_set_legal_hold(current_user, case),
        clocks=deadlines.case_clocks(case), retention_due=deadlines.retention_due_at(case)), status


@bp.get("/<number>/investigation", endpoint="workspace")
@login_required
def workspace(number: str) -> ResponseReturnValue:
    """The workspace overview: clocks, retention and legal hold, the plan and the tasks."""
    return render_workspace(workspace_case(number))


@bp.post("/<number>/investigation/plan", endpoint="save_plan")
@login_required
def save_plan(number: str) -> ResponseReturnValue:
    """Save a new version of the investigation plan."""
    case = workspace_case(number)
    access.require(access.can_work_case(current_user, case))
    form = PlanForm(prefix="plan")
    return run_form(form, lambda: ops.save_plan(case, current_user, form.body.data or ""), _("Plan saved."),
                    url_for("investigation.workspace", number=number),
                    lambda status: render_workspace(case, status, plan_form=form))


@bp.post("/<number>/investigation/tasks", endpoint="add_task")
@login_required
def add_task(number: str) -> ResponseReturnValue:
    """Add a task with an owner and a due date."""
    case = workspace_case(number)
    access.require(access.can_work_case(current_user, case))
    form = TaskForm(prefix="task")
    form.owner_id.choices = [("", "—")] + owner_choices(case)

    def act() -> None:
        task = ops.add_task(case, current_user, form.title.data or "", form.owner_id.data, form.due_date.data)
        work_files.attach_files(case, current_user, uploaded_files(form.files), task=task)

    return run_form(form, act, _("Task added."),
                    url_for("investigation.workspace", number=number),
                    lambda status: render_workspace(case, status, task_form=form))


@bp.post("/<number>/investigation/tasks/<int:task_id>/<any(done, reopen):mark>", endpoint="mark_task")
@login_required
def mark_task(number: str, task_id: int, mark: str) -> ResponseReturnValue:
    """Mark a task done, or open it again."""
    case = workspace_case(number)
    access.require(access.can_work_case(current_user, case))
    task = db.session.get(Task, task_id)
    if task is None or task.case_id != case.id:
        abort(404)
    return run_form(ConfirmForm(prefix="task"), lambda: ops.set_task_done(task, current_user, mark == "done"),
                    _("Task updated."), url_for("investigation.workspace", number=number),
                    lambda status: render_workspace(case, status))


@bp.post("/<number>/investigation/legal-hold", endpoint="legal_hold")
@login_required
def legal_hold(number: str) -> ResponseReturnValue:
    """Set or lift a legal hold (supervisors), with a reason."""
    case = workspace_case(number)
    access.require(access.can_set_legal_hold(current_user, case))
    form = LegalHoldForm(prefix="hold")
    hold = not case.legal_hold
    return run_form(form, lambda: ops.set_legal_hold(case, current_user, hold, form.reason.data or ""),
                    _("Legal hold set.") if hold else _("Legal hold lifted."),
                    url_for("investigation.workspace", number=number),
                    lambda status: render_workspace(case, status, hold_form=form))


def _render_referrals(case: Case, status: int = 200, form: ReferralForm | None = None,
                      failed: tuple[int, ResponseForm] | None = None) -> ResponseReturnValue:
    referrals = list(db.session.scalars(sa.select(Referral).where(Referral.case_id == case.id)
                                        .order_by(Referral.referred_on, Referral.id)))
    responses = {r.id: (failed[1] if failed and failed[0] == r.id else ResponseForm(prefix=f"resp{r.id}"))
                 for r in referrals}
    return render_template("investigation/referrals.html", case=case, referrals=referrals, responses=responses,
                           form=form or ReferralForm(prefix="ref"),
                           can_refer=access.can_record_referral(current_user, case)), status


@bp.get("/<number>/investigation/referrals", endpoint="referrals")
@login_required
def referrals(number: str) -> ResponseReturnValue:
    """The referrals of the case to external bodies and their responses."""
    return _render_referrals(workspace_case(number))


@bp.post("/<number>/investigation/referrals", endpoint="add_referral")
@login_required
def add_referral(number: str) -> ResponseReturnValue:
    """Record a referral to an external body."""
    case = workspace_case(number)
    access.require(access.can_record_referral(current_user, case))
    form = ReferralForm(prefix="ref")
    return run_form(form, lambda: ops.add_referral(case, current_user, form.body_kind.data, form.body_name.data or "",
                                                   form.referred_on.data, form.reference.data or ""),
                    _("Referral recorded."), url_for("investigation.referrals", number=number),
                    lambda status: _render_referrals(case, status, form=form))


@bp.post("/<number>/investigation/referrals/<int:referral_id>/response", endpoint="referral_response")
@login_required
def referral_response(number: str, referral_id: int) -> ResponseReturnValue:
    """Record the receiving body's response."""
    case = workspace_case(number)
    access.require(access.can_record_referral(current_user, case))
    referral = db.session.get(Referral, referral_id)
    if referral is None or referral.case_id != case.id:
        abort(404)
    form = ResponseForm(prefix=f"resp{referral.id}")
    return run_form(form, lambda: ops.record_referral_response(referral, current_user, form.response.data or "",
                                                               form.response_on.data, form.reference.data),
                    _("Response recorded."), url_for("investigation.referrals", number=number),
                    lambda status: _render_referrals(case, status, failed=(referral.id, form)))


@bp.route("/my-reminders", methods=["GET", "POST"], endpoint="reminders")
@login_required
def reminders() -> ResponseReturnValue:
    """The signed-in user's reminders and escalations from the clock sweep."""
    access.require(access.can_view_reminders(current_user))
    form = ConfirmForm(prefix="read")
    if request.method == "POST":
        if form.validate_on_submit():
            sweep.mark_reminders_read(current_user)
            flash(_("All reminders marked read."), "success")
        return redirect(url_for("investigation.reminders"))
    items = sweep.my_reminders(current_user)
    visible = [r for r in items if r.case is None or access.can_view_case(current_user, r.case)]
    return render_template("investigation/reminders.html", reminders=visible, form=form)


@bp.app_template_global("unread_reminders")
def unread_reminders() -> int:
    """Return the signed-in user's unread reminder count (for the navigation bar)."""
    from caseflow.models import Reminder

    if not current_user.is_authenticated:
        return 0
    return db.session.scalar(sa.select(sa.func.count(Reminder.id)).where(
        Reminder.user_id == current_user.id, Reminder.read_at.is_(None))) or 0
