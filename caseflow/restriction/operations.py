"""Naming who may see a restricted case; every change is audited."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from caseflow import access, audit
from caseflow.errors import ConflictOfInterestError, ValidationError
from caseflow.extensions import db
from caseflow.models import Case, CaseAccessGrant, User


def named_users(case: Case) -> list[User]:
    """Return the users named on the case's access list, by name."""
    return list(db.session.scalars(
        sa.select(User).join(CaseAccessGrant, CaseAccessGrant.user_id == User.id)
        .where(CaseAccessGrant.case_id == case.id).order_by(User.full_name)))


def eligible_users(case: Case) -> list[User]:
    """Return active staff with case roles who could be named (not yet named, not barred from the case)."""
    named = {u.id for u in named_users(case)}
    users = db.session.scalars(sa.select(User).where(User.active.is_(True), User.role.in_(access.CASE_ROLES))
                               .order_by(User.full_name))
    excluded = access.excluded_user_ids(case)
    return [u for u in users if u.id not in named and u.id not in excluded and access.passes_unit_wall(u, case)]


def grant_access(case: Case, user: User, actor: User) -> None:
    """Name a user on a restricted case's access list, refusing anyone barred from the case."""
    if not case.restricted:
        raise ValidationError(_("This case is not restricted: everyone with need-to-know already sees it."))
    if not user.active or user.role not in access.CASE_ROLES:
        raise ValidationError(_("%(name)s has no role that works on cases.", name=user.full_name))
    if access.is_excluded(user, case):
        raise ConflictOfInterestError(
            _("%(name)s is a subject of this case or declared a conflict of interest.", name=user.full_name))
    if not access.passes_unit_wall(user, case):  # a grant never lets anyone through the unit's wall
        raise ValidationError(_("%(name)s is not on the staff of the unit %(unit)s, which receives this case.",
                                name=user.full_name, unit=case.unit.label if case.unit else ""))
    if access.is_granted(user, case):
        raise ValidationError(_("%(name)s is already named.", name=user.full_name))
    db.session.add(CaseAccessGrant(case_id=case.id, user_id=user.id, granted_by_id=actor.id))
    audit.record("case.access_grant", actor, case, {"user": user.username})
    db.session.flush()


def revoke_access(case: Case, user: User, actor: User) -> None:
    """Take a user off a restricted case's access list; their access ends at once."""
    if user.id == actor.id:
        raise ValidationError(_("You cannot take yourself off the list; ask another supervisor."))
    if access.is_on_team(user, case):
        raise ValidationError(_("%(name)s is assigned to the case: take them off the team first.",
                                name=user.full_name))
    deleted = db.session.execute(sa.delete(CaseAccessGrant).where(
        CaseAccessGrant.case_id == case.id, CaseAccessGrant.user_id == user.id))
    if not getattr(deleted, "rowcount", 0):
        raise ValidationError(_("%(name)s is not named on this case.", name=user.full_name))
    audit.record("case.access_revoke", actor, case, {"user": user.username})
    db.session.flush()
