"""Thin views of the reporting units' admin pages: list, create, edit, deactivate (administrators only)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseflow import access, uow
from caseflow.admin.forms import ConfirmForm
from caseflow.enums import Role
from caseflow.errors import CaseFlowError
from caseflow.extensions import db
from caseflow.models import User
from caseflow.models.units import UNIT_LANGUAGES, ReportingUnit
from caseflow.units import operations as ops
from caseflow.units.forms import LANGUAGE_NAMES, UnitForm

bp = Blueprint("units", __name__, url_prefix="/admin/units")


@bp.before_request
@login_required
def _admins_only() -> None:
    """Every page here is for administrators only."""
    access.require(access.can_administer_units(current_user))


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _fill(form: UnitForm) -> UnitForm:
    staff = list(db.session.scalars(sa.select(User).where(User.active.is_(True), User.role.in_(ops.MEMBER_ROLES))
                                    .order_by(User.full_name)))
    form.members.choices = [(u.id, f"{u.full_name} ({u.role.label})") for u in staff]
    form.supervisors.choices = [(u.id, u.full_name) for u in staff if u.role == Role.SUPERVISOR]
    return form


def _unit(unit_id: int) -> ReportingUnit:
    return db.session.get(ReportingUnit, unit_id) or abort(404)


def _page(form: UnitForm, unit: ReportingUnit | None, status: int = 200) -> ResponseReturnValue:
    return render_template("units/edit.html", form=form, unit=unit, languages=UNIT_LANGUAGES,
                           language_names=LANGUAGE_NAMES, confirm=ConfirmForm()), status


@bp.get("/")
def list_units() -> ResponseReturnValue:
    """List the reporting units."""
    return render_template("units/list.html", units=ops.all_units(), confirm=ConfirmForm())


@bp.route("/new", methods=["GET", "POST"])
def new_unit() -> ResponseReturnValue:
    """Create a reporting unit."""
    form = _fill(UnitForm())
    if request.method == "GET":
        return _page(form, None)
    if not form.validate_on_submit():
        return _page(form, None, 400)
    try:
        unit = ops.create_unit(form.fields(), _me())
    except CaseFlowError as exc:
        uow.discard()
        form.key.errors = [exc.message]
        return _page(form, None, 400)
    flash(_("Unit %(key)s created.", key=unit.key), "success")
    return redirect(url_for("units.edit_unit", unit_id=unit.id))


@bp.route("/<int:unit_id>", methods=["GET", "POST"])
def edit_unit(unit_id: int) -> ResponseReturnValue:
    """Edit a reporting unit (its key stays)."""
    unit = _unit(unit_id)
    if request.method == "GET":
        form = _fill(UnitForm(obj=unit))
        form.members.data = [u.id for u in unit.members]
        form.supervisors.data = [u.id for u in unit.supervisors]
        return _page(form, unit)
    form = _fill(UnitForm())
    form.key.data = unit.key  # not editable: the portal's links and the mailboxes name it
    if not form.validate_on_submit():
        return _page(form, unit, 400)
    try:
        ops.update_unit(unit, form.fields(), _me())
    except CaseFlowError as exc:
        uow.discard()
        form.name_en.errors = [exc.message]
        return _page(form, _unit(unit_id), 400)
    flash(_("Unit %(key)s saved.", key=unit.key), "success")
    return redirect(url_for("units.edit_unit", unit_id=unit.id))


@bp.post("/<int:unit_id>/active")
def toggle_unit(unit_id: int) -> ResponseReturnValue:
    """Deactivate a unit (no new reports; its cases keep it) or restore it."""
    unit = _unit(unit_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    ops.set_unit_active(unit, active, _me())
    flash(_("Unit restored.") if active else _("Unit deactivated: it takes no new reports."), "success")
    return redirect(url_for("units.list_units"))
