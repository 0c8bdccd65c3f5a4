"""Thin views of a case's access list (restricted cases)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseflow import access, uow
from caseflow.cases import operations as case_ops
from caseflow.cases.loading import load_case
from caseflow.errors import CaseFlowError
from caseflow.extensions import db
from caseflow.models import Case, ReportingUnit, User
from caseflow.restriction import bp
from caseflow.restriction import operations as ops
from caseflow.units.moves import move_case_to_unit, units_to_move_to


def _managed(number: str) -> Case:
    case = load_case(number)
    access.require(access.can_manage_restriction(current_user, case))
    return case


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _run(case: Case, action: Callable[[], Any], success: str) -> ResponseReturnValue:
    try:
        action()
    except CaseFlowError as exc:
        uow.discard()
        flash(exc.message, "error")
        return redirect(url_for("restriction.manage", number=case.number))
    flash(success, "success")
    return redirect(url_for("restriction.manage", number=case.number))


@bp.get("/<number>/access")
@login_required
def manage(number: str) -> ResponseReturnValue:
    """Show whether the case is restricted and who is named on it."""
    case = _managed(number)
    return render_template("restriction/manage.html", case=case, named=ops.named_users(case),
                           eligible=ops.eligible_users(case) if case.restricted else [],
                           move_to=units_to_move_to(case) if access.can_move_case_unit(current_user, case) else [])


@bp.post("/<number>/access/unit")
@login_required
def move_unit(number: str) -> ResponseReturnValue:
    """Move the case to another reporting unit; its staff who are not in that unit are taken off it."""
    case = load_case(number)
    access.require(access.can_move_case_unit(current_user, case))
    unit = db.session.scalar(sa.select(ReportingUnit).where(ReportingUnit.key == request.form.get("unit", "")))
    try:
        removed = move_case_to_unit(case, unit, _me(), request.form.get("reason", "")[:500])
    except CaseFlowError as exc:
        uow.discard()
        flash(exc.message, "error")
        return redirect(url_for("restriction.manage", number=case.number))
    message = _("The case is now in %(unit)s.", unit=case.unit.label if case.unit else "")
    if removed:
        message += " " + _("Taken off it, as they are not staff of that unit: %(names)s.",
                           names=", ".join(u.full_name for u in removed))
    flash(message, "success")
    if not access.can_view_case(current_user, case):
        return redirect(url_for("cases.list_cases"))
    return redirect(url_for("restriction.manage", number=case.number))


@bp.post("/<number>/access/restrict")
@login_required
def restrict(number: str) -> ResponseReturnValue:
    """Restrict the case to named users, or lift the restriction."""
    case = _managed(number)
    on = request.form.get("restricted") == "1"
    return _run(case, lambda: case_ops.set_restricted(case, _me(), on),
                _("The case is now restricted to the named users.") if on else _("The restriction is lifted."))


@bp.post("/<number>/access/grant")
@login_required
def grant(number: str) -> ResponseReturnValue:
    """Name a user on the access list."""
    case = _managed(number)
    try:
        user = db.session.get(User, int(request.form.get("user_id", "")))
    except ValueError:
        user = None
    if user is None:
        abort(400)
    return _run(case, lambda: ops.grant_access(case, user, _me()), _("%(name)s may now see the case.",
                                                                      name=user.full_name))


@bp.post("/<number>/access/<int:user_id>/revoke")
@login_required
def revoke(number: str, user_id: int) -> ResponseReturnValue:
    """Take a user off the access list."""
    case = _managed(number)
    user = db.session.get(User, user_id) or abort(404)
    return _run(case, lambda: ops.revoke_access(case, user, _me()), _("%(name)s no longer sees the case.",
                                                                       name=user.full_name))
