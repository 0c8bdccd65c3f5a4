"""Thin views of the case list: sort, saved views and the supervisors' bulk actions (no JavaScript needed)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from caseflow import access, exports, uow
from caseflow.cases import bp, bulk, choices, savedviews
from caseflow.cases.forms import BulkForm, ConfirmForm, ViewNameForm
from caseflow.cases.queries import DEFAULT_SORT, CaseFilters, list_cases
from caseflow.clock import utcnow
from caseflow.enums import CaseState, Channel, Priority
from caseflow.errors import CaseFlowError
from caseflow.extensions import db
from caseflow.models import SavedView, User
from caseflow.reporting.tokens import FormAlreadySentError, issue_form_token, spend_form_token

BULK_PURPOSE = "cases.bulk"


def _bulk_form() -> BulkForm:
    form = BulkForm()
    form.lead.choices = [("", "—"), *choices.investigator_choices_all(current_user)]
    form.category.choices = choices.category_choices()
    return form


def render_list(filters: CaseFilters, status: int = 200, outcomes: list[bulk.BulkOutcome] | None = None,
                bulk_form: BulkForm | None = None, view_form: ViewNameForm | None = None,
                action: str | None = None) -> ResponseReturnValue:
    """Render the case list with its saved views, sort links and (for supervisors) the bulk form."""
    page = list_cases(current_user, filters)
    offer_bulk = access.can_use_bulk_actions(current_user)
    form = bulk_form or (_bulk_form() if offer_bulk else None)
    if form is not None:
        form.form_token.data = issue_form_token(BULK_PURPOSE)
        form.back.data = urlencode(filters.as_args())
    view_form = view_form or ViewNameForm()
    view_form.query.data = urlencode(filters.as_args(page=1))
    views = savedviews.user_views(current_user)
    current = filters.as_args(page=1)
    view_args = {v.id: savedviews.view_filters(v).as_args(page=1) for v in views}
    active = next((v for v in views if view_args[v.id] == current), None)
    return render_template(
        "cases/list.html", page=page, filters=filters, states=CaseState, channels=Channel, priorities=Priority,
        categories=choices.category_choices()[1:], offices=choices.office_choices()[1:],
        assignees=choices.assignee_choices(), can_create=access.can_create_case(current_user),
        default_sort=DEFAULT_SORT, views=views, v_args=view_args, active_view=active, view_form=view_form,
        bulk_form=form, outcomes=outcomes, bulk_action=bulk.ACTIONS.get(action or ""),
        now=utcnow()), status


@bp.get("", endpoint="list_cases")
@login_required
def list_cases_page() -> ResponseReturnValue:
    """List the cases the user may see, filtered, sorted and paged."""
    access.require(access.can_list_cases(current_user))
    return render_list(CaseFilters.from_args(request.args))


def _filters_from(query: str | None) -> CaseFilters:
    return CaseFilters.from_args(MultiDict(parse_qsl(query or "")))


@bp.post("/bulk")
@login_required
def bulk_action() -> ResponseReturnValue:
    """Apply one action to the selected cases, each through the one-by-one rule; report per case."""
    access.require(access.can_use_bulk_actions(current_user), _("Only supervisors may act on several cases at once."))
    form = _bulk_form()
    filters = _filters_from(form.back.data)
    numbers = request.form.getlist("case")
    if not form.validate_on_submit() or not numbers:
        flash(_("Tick at least one case and choose what to do.") if not numbers
              else _("Please correct the errors in the form."), "error")
        return render_list(filters, 400, bulk_form=form)
    action = form.action.data
    if action != "export":  # a write: the form is single-use, so a replay or a double click does nothing twice
        try:
            spend_form_token(form.form_token.data or "", BULK_PURPOSE)
        except FormAlreadySentError as exc:
            uow.discard()
            flash(exc.message, "error")
            return render_list(filters, 409)
        except CaseFlowError as exc:
            uow.discard()
            flash(exc.message, "error")
            return render_list(filters, 400)
    cases, refused = bulk.selected_cases(current_user, numbers, action)
    if action == "export":
        return _export(filters, cases, refused)
    if action == "assign_lead":
        lead = db.session.get(User, form.lead.data) if form.lead.data else None
        if lead is None:
            uow.discard()
            flash(_("Choose the lead investigator."), "error")
            return render_list(filters, 400, bulk_form=form)
        outcomes = bulk.assign_lead(current_user, cases, lead)
    elif action == "priority":
        if not form.priority.data:
            uow.discard()
            flash(_("Choose the priority."), "error")
            return render_list(filters, 400, bulk_form=form)
        outcomes = bulk.set_details(current_user, cases, action, priority=form.priority.data)
    else:
        if not form.category.data:
            uow.discard()
            flash(_("Choose the category."), "error")
            return render_list(filters, 400, bulk_form=form)
        outcomes = bulk.set_details(current_user, cases, action, category_id=form.category.data)
    return render_list(filters, outcomes=outcomes + refused, action=action)


def _export(filters: CaseFilters, cases: list[Any], refused: list[bulk.BulkOutcome]) -> ResponseReturnValue:
    """Download the selected cases as CSV, or say which cannot be exported (then nothing is)."""
    if refused or not cases:
        return render_list(filters, outcomes=refused + [bulk.BulkOutcome(c.number, False, _("Not exported."))
                                                        for c in cases], action="export")
    data, mime = exports.export_cases(current_user, CaseFilters(), "csv", case_ids=[c.id for c in cases])
    return Response(data, content_type=mime, headers={
        "Content-Disposition": f'attachment; filename="caseflow-cases-{utcnow():%Y%m%d-%H%M}.csv"',
        "Cache-Control": "no-store"})


def _own_view(view_id: int) -> SavedView:
    view = db.session.get(SavedView, view_id)
    if not access.owns_saved_view(current_user, view):
        abort(404)  # another user's view is answered as one that does not exist
    assert view is not None
    return view


@bp.post("/views")
@login_required
def save_view() -> ResponseReturnValue:
    """Save the list's current filters and sort under a name."""
    access.require(access.can_save_views(current_user))
    form = ViewNameForm()
    filters = _filters_from(form.query.data)
    if form.validate_on_submit():
        try:
            savedviews.save_view(current_user, form.name.data, filters)
        except CaseFlowError as exc:
            uow.discard()
            flash(exc.message, "error")
            return render_list(filters, 409, view_form=form)
        flash(_("View “%(name)s” saved.", name=" ".join((form.name.data or "").split())), "success")
        return redirect(url_for("cases.list_cases", **filters.as_args()))
    flash(_("Give the view a name."), "error")
    return render_list(filters, 400, view_form=form)


@bp.get("/views/<int:view_id>")
@login_required
def open_view(view_id: int) -> ResponseReturnValue:
    """Open a saved view: the list with its filters, applied to what the user may see now."""
    view = _own_view(view_id)
    return redirect(url_for("cases.list_cases", **savedviews.view_filters(view).as_args()))


@bp.route("/views/<int:view_id>/edit", methods=["GET", "POST"])
@login_required
def edit_view(view_id: int) -> ResponseReturnValue:
    """Rename or delete a saved view."""
    view = _own_view(view_id)
    form = ViewNameForm(obj=view if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            savedviews.rename_view(view, current_user, form.name.data)
        except CaseFlowError as exc:
            uow.discard()
            flash(exc.message, "error")
            return render_template("cases/view_edit.html", view=view, form=form, delete_form=ConfirmForm()), 409
        flash(_("View renamed."), "success")
        return redirect(url_for("cases.list_cases", **savedviews.view_filters(view).as_args()))
    status = 400 if form.is_submitted() else 200
    return render_template("cases/view_edit.html", view=view, form=form, delete_form=ConfirmForm()), status


@bp.post("/views/<int:view_id>/delete")
@login_required
def delete_view(view_id: int) -> ResponseReturnValue:
    """Delete a saved view."""
    view = _own_view(view_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    savedviews.delete_view(view, current_user)
    flash(_("View deleted."), "success")
    return redirect(url_for("cases.list_cases"))
