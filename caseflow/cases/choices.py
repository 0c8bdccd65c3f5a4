"""Select-field choices for the case forms, read from the reference tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from flask import has_request_context, request
from flask_babel import gettext as _
from flask_babel import ngettext

from caseflow import access
from caseflow.enums import CaseState, Role
from caseflow.extensions import db
from caseflow.models import Case, Category, Office, User

EMPTY = ("", "—")
T = TypeVar("T")


def _once(key: str, read: Callable[[], T]) -> T:
    """Return what `read` gives, read once per request: one page lists the same choices in two forms."""
    if not has_request_context():
        return read()
    cache = request.environ.setdefault("caseflow.choices", {})  # the request's own, never the app context's
    if key not in cache:
        cache[key] = read()
    return cache[key]  # type: ignore[no-any-return]


def category_choices() -> list[tuple[object, str]]:
    """Return active categories as select choices."""
    rows = _once("categories", lambda: list(db.session.scalars(
        sa.select(Category).where(Category.active.is_(True)).order_by(Category.name))))
    return [EMPTY] + [(c.id, c.label) for c in rows]


def _investigators_and_supervisors() -> list[User]:
    return _once("investigators", lambda: list(db.session.scalars(sa.select(User).where(
        User.role.in_((Role.INVESTIGATOR, Role.SUPERVISOR))).order_by(User.full_name))))


def office_choices() -> list[tuple[object, str]]:
    """Return active offices as select choices."""
    rows = db.session.scalars(sa.select(Office).where(Office.active.is_(True)).order_by(Office.name))
    return [EMPTY] + [(o.id, o.label) for o in rows]


def open_case_counts() -> dict[int, int]:
    """Return the number of open cases led by each investigator (their workload)."""
    open_states = (CaseState.TRIAGE, CaseState.INVESTIGATION, CaseState.ON_HOLD, CaseState.REPORTING)
    rows = db.session.execute(
        sa.select(Case.lead_investigator_id, sa.func.count()).where(
            Case.lead_investigator_id.is_not(None), Case.state.in_(open_states)
        ).group_by(Case.lead_investigator_id))
    return {uid: n for uid, n in rows}


def investigator_choices(case: Case) -> list[tuple[object, str]]:
    """Return assignable investigators with their workload, excluding anyone conflicted on the case."""
    users = db.session.scalars(sa.select(User).where(
        User.active.is_(True), User.role.in_((Role.INVESTIGATOR, Role.SUPERVISOR))).order_by(User.full_name))
    load = open_case_counts()
    excluded = access.excluded_user_ids(case)
    return [(u.id, ngettext("%(name)s — %(count)d open case", "%(name)s — %(count)d open cases", load.get(u.id, 0),
                            name=u.full_name, count=load.get(u.id, 0)))
            for u in users if u.id not in excluded and access.can_be_assigned(u, case)]


def staff_choices() -> list[tuple[object, str]]:
    """Return all staff accounts (to link a subject to a colleague's account)."""
    users = db.session.scalars(sa.select(User).order_by(User.full_name))
    return [EMPTY] + [(u.id, f"{u.full_name} ({u.username})") for u in users]


def assignee_choices() -> list[tuple[object, str]]:
    """Return investigators and supervisors for the list's assignee filter."""
    return [(u.id, u.full_name) for u in _investigators_and_supervisors()]


def investigator_choices_all(viewer: User) -> list[tuple[object, str]]:
    """Return the active investigators and supervisors of the viewer's units with their workload (a bulk action
    checks each case again)."""
    shown = access.visible_colleague_ids(viewer)
    users = [u for u in _investigators_and_supervisors() if u.active and (shown is None or u.id in shown)]
    load = open_case_counts()
    return [(u.id, ngettext("%(name)s — %(count)d open case", "%(name)s — %(count)d open cases", load.get(u.id, 0),
                            name=u.full_name, count=load.get(u.id, 0))) for u in users]


def unit_choices() -> list[tuple[object, str]]:
    """Return the active reporting units (and "no unit") for staff intake."""
    from caseflow.units.operations import active_units

    return [("", _("No unit"))] + [(u.id, u.label) for u in active_units()]


def default_unit_id() -> int | None:
    """Return the id of the installation's default unit (CASEFLOW_DEFAULT_UNIT), if it is set and active."""
    from caseflow.errors import ValidationError
    from caseflow.units.operations import default_unit

    try:
        unit = default_unit()
    except ValidationError:
        return None
    return unit.id if unit is not None else None
