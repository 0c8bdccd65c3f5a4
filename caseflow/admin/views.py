"""Thin administration views: parse, ask access, call one operation, commit, redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from caseflow import access, uow
from caseflow.admin import bp
from caseflow.admin import operations as ops
from caseflow.admin.forms import (
    CategoryForm,
    ConfirmForm,
    HeadcountForm,
    IdentityForm,
    OfficeForm,
    PasswordResetForm,
    RenameForm,
    RoleForm,
    UnitNameForm,
    UserCreateForm,
)
from caseflow.auth import operations as auth_ops
from caseflow.enums import Role
from caseflow.errors import CaseFlowError
from caseflow.extensions import db
from caseflow.i18n import unit_names_shown
from caseflow.inputs import column_length
from caseflow.models import Category, Office, UnitName, User


@bp.before_request
@login_required
def _admins_only() -> None:
    """Every page here is for administrators only."""
    access.require(access.can_administer(current_user))


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _apply(action: Callable[[], Any], success: str, target: str) -> ResponseReturnValue:
    """Run one operation, commit, flash the outcome and go back to the page."""
    try:
        action()
    except CaseFlowError as exc:
        uow.discard()
        flash(exc.message, "error")
        return redirect(target)
    flash(success, "success")
    return redirect(target)


def _office_choices() -> list[tuple[int, str]]:
    offices = db.session.scalars(sa.select(Office).where(Office.active.is_(True)).order_by(Office.name))
    return [(0, _("None"))] + [(o.id, o.label) for o in offices]


def _user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.get("/")
def index() -> ResponseReturnValue:
    """Send administrators to the accounts page."""
    return redirect(url_for("admin.users"))


@bp.route("/users", methods=["GET", "POST"])
def users() -> ResponseReturnValue:
    """List staff accounts and create one."""
    form = UserCreateForm()
    form.office_id.choices = _office_choices()
    status = 200
    if form.validate_on_submit():
        try:
            user = auth_ops.create_user(form.username.data or "", form.full_name.data or "", Role(form.role.data),
                                        form.password.data or "", email=form.email.data, actor=_me(),
                                        office_id=form.office_id.data or None,
                                        badge_number=form.badge_number.data, aliases=form.aliases.data or "")
        except CaseFlowError as exc:
            uow.discard()
            form.password.errors = [exc.message]
        else:
            flash(_("Account %(name)s created. Give the initial password to its owner in person.",
                    name=user.username), "success")
            return redirect(url_for("admin.users"))
    if form.errors:
        status = 400
    accounts = list(db.session.scalars(sa.select(User).order_by(User.active.desc(), User.username)))
    return render_template("admin/users.html", form=form, accounts=accounts), status


@bp.get("/users/<int:user_id>")
def user(user_id: int) -> ResponseReturnValue:
    """Show one account and what can be done to it."""
    account = _user(user_id)
    role_form = RoleForm(role=account.role.value)
    identity_form = IdentityForm(full_name=account.full_name, badge_number=account.badge_number,
                                 aliases=account.aliases)
    return render_template("admin/user.html", account=account, role_form=role_form, identity_form=identity_form,
                           password_form=PasswordResetForm(), confirm=ConfirmForm(),
                           recovery_left=auth_ops.remaining_recovery_codes(account))


def _user_action(user_id: int, run: Callable[[User], Any], success: str,
                 form: Any = None) -> ResponseReturnValue:
    account = _user(user_id)
    form = form or ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    return _apply(lambda: run(account), success, url_for("admin.user", user_id=account.id))


@bp.post("/users/<int:user_id>/identity")
def change_identity(user_id: int) -> ResponseReturnValue:
    """Change the names and badge a user is known by (rematched against every subject at once)."""
    form = IdentityForm()
    return _user_action(user_id, lambda u: auth_ops.update_identity(
        u, form.full_name.data or "", form.badge_number.data, form.aliases.data or "", _me()),
        _("Names and badge saved; every case naming this person is closed to them."), form)


@bp.post("/users/<int:user_id>/role")
def change_role(user_id: int) -> ResponseReturnValue:
    """Change a user's role."""
    form = RoleForm()
    return _user_action(user_id, lambda u: ops.change_role(u, Role(form.role.data), _me()),
                        _("Role changed; the user must sign in again."), form)


@bp.post("/users/<int:user_id>/active")
def toggle_active(user_id: int) -> ResponseReturnValue:
    """Deactivate or reactivate an account."""
    active = request.form.get("active") == "1"
    return _user_action(user_id, lambda u: ops.set_active(u, active, _me()),
                        _("Account reactivated.") if active else _("Account deactivated and signed out."))


@bp.post("/users/<int:user_id>/password")
def reset_password(user_id: int) -> ResponseReturnValue:
    """Set a new password for a user (their sessions end)."""
    form = PasswordResetForm()
    return _user_action(user_id, lambda u: auth_ops.reset_password(u, form.password.data or "", _me()),
                        _("Password set; the user's sessions were ended."), form)


@bp.post("/users/<int:user_id>/logout")
def force_logout(user_id: int) -> ResponseReturnValue:
    """End every session of a user at once."""
    return _user_action(user_id, lambda u: auth_ops.force_logout(u, _me()), _("All sessions of the user ended."))


@bp.post("/users/<int:user_id>/reset-2fa")
def reset_two_step(user_id: int) -> ResponseReturnValue:
    """Remove a user's second factor; they set it up again at next sign-in."""
    return _user_action(user_id, lambda u: auth_ops.reset_second_factor(u, _me()),
                        _("Two-step sign-in removed; the user will set it up again at next sign-in."))


def _reference_page(model: type[ops.Reference], form: Any) -> ResponseReturnValue:
    status = 200
    if form.validate_on_submit():
        try:
            ops.add_reference(model, form.code.data or "", form.name.data or "", _me())
        except CaseFlowError as exc:
            uow.discard()
            form.code.errors = [exc.message]
        else:
            flash(_("Added."), "success")
            return redirect(request.path)
    if form.errors:
        status = 400
    rows = list(db.session.scalars(sa.select(model).order_by(model.active.desc(), model.name)))
    kind = "category" if model is Category else "office"
    title = _("Complaint categories") if model is Category else _("Offices")
    return render_template("admin/reference.html", form=form, rows=rows, rename=RenameForm(), confirm=ConfirmForm(),
                           staff=HeadcountForm(), kind=kind, title=title), status


@bp.route("/categories", methods=["GET", "POST"])
def categories() -> ResponseReturnValue:
    """List, add, rename and withdraw complaint categories."""
    return _reference_page(Category, CategoryForm())


@bp.post("/categories/<int:category_id>")
def update_category(category_id: int) -> ResponseReturnValue:
    """Rename a category, or withdraw / restore it."""
    return _update(db.session.get(Category, category_id) or abort(404), url_for("admin.categories"))


@bp.route("/offices", methods=["GET", "POST"])
def offices() -> ResponseReturnValue:
    """List, add, rename and withdraw offices."""
    return _reference_page(Office, OfficeForm())


@bp.post("/offices/<int:office_id>")
def update_office(office_id: int) -> ResponseReturnValue:
    """Rename an office, or withdraw / restore it."""
    return _update(db.session.get(Office, office_id) or abort(404), url_for("admin.offices"))


def _update(row: Any, back: str) -> ResponseReturnValue:
    if "active" in request.form:
        if not ConfirmForm().validate_on_submit():
            abort(400)
        active = request.form.get("active") == "1"
        return _apply(lambda: ops.set_reference_active(row, active, _me()), _("Saved."), back)
    if "headcount" in request.form and isinstance(row, Office):
        staff = HeadcountForm()
        if not staff.validate_on_submit():
            flash(_("A headcount is a whole number from 1 to 1,000,000, or empty if not known."), "error")
            return redirect(back)
        return _apply(lambda: ops.set_office_headcount(row, staff.headcount.data, _me()), _("Saved."), back)
    form = RenameForm()
    limit = column_length(type(row).name)
    names = form.names()
    if not form.validate_on_submit() or any(len(n.strip()) > limit for n in names.values()):
        flash(ngettext("A name is needed (at most %(n)d character).",
                       "A name is needed (at most %(n)d characters).", limit, n=limit), "error")
        return redirect(back)
    return _apply(lambda: ops.rename_reference(row, names, _me()), _("Renamed."), f"{back}#ref-{row.id}")


@bp.route("/unit", methods=["GET", "POST"])
def unit() -> ResponseReturnValue:
    """The unit's name in each language, as printed on reports and pages."""
    form = UnitNameForm()
    if form.validate_on_submit():
        return _apply(lambda: ops.set_unit_names(form.names(), _me()), _("Saved."), url_for("admin.unit"))
    if request.method == "GET":
        given = {row.lang: row.name for row in db.session.scalars(sa.select(UnitName))}
        for lang, name in given.items():
            if hasattr(form, f"name_{lang}"):
                getattr(form, f"name_{lang}").data = name
    return render_template("admin/unit.html", form=form, shown=unit_names_shown()), 400 if form.errors else 200
