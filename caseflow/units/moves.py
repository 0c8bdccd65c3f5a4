"""Moving a case to another reporting unit: a report sent to the wrong body goes where it belongs.

The unit's wall follows the case at once: whoever on its team is not staff of the new unit is taken off it
(lead included) and loses access, and the new unit's supervisors are told, so they assign a lead of their own.
The legal clocks keep running from the day of receipt, whatever the new unit's own clocks say.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from caseflow import access, audit, events
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.intake.operations import source_reference_taken
from caseflow.models import Case, CaseAccessGrant, ReportingUnit, User

MIN_REASON = 5


def _check_target(case: Case, unit: ReportingUnit | None) -> ReportingUnit:
    if unit is None or not unit.active:
        raise ValidationError(_("Choose an active reporting unit."))
    if unit.id == case.unit_id:
        raise ValidationError(_("The case is already in %(unit)s.", unit=unit.label))
    if case.is_anonymous and not unit.allows_anonymous:
        raise ValidationError(_("%(unit)s takes no anonymous reports: this one cannot go there.", unit=unit.label))
    if not case.is_anonymous and not unit.allows_named:
        raise ValidationError(_("%(unit)s takes only anonymous reports: this named one cannot go there.",
                                unit=unit.label))
    return unit


def _take_off(case: Case, unit: ReportingUnit) -> list[User]:
    """Take off the case every assigned user who is not staff of the unit; return them."""
    removed: list[User] = []
    lead = case.lead_investigator
    if lead is not None and not access.is_in_unit(lead, unit.id):
        case.lead_investigator_id = None
        case.lead_investigator = None
        removed.append(lead)
    for member in list(case.team):
        if not access.is_in_unit(member.user, unit.id):
            case.team.remove(member)
            if member.user not in removed:
                removed.append(member.user)
    if removed:
        db.session.execute(sa.delete(CaseAccessGrant).where(CaseAccessGrant.case_id == case.id,
                                                            CaseAccessGrant.user_id.in_([u.id for u in removed])))
    return removed


def move_case_to_unit(case: Case, unit: ReportingUnit | None, actor: User, reason: str) -> list[User]:
    """Move a case to another reporting unit, with the reason; return the staff taken off it."""
    target = _check_target(case, unit)
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise ValidationError(_("Say why the case moves to another unit."))
    previous = case.unit
    # A source reference is unique per unit. When the new unit already holds this one, the moved case lets it
    # go rather than refuse: a refusal would tell the mover that the other unit has such a case.
    clash = bool(case.source_reference) and source_reference_taken(case.source_reference or "", target)
    detail = {"previous_unit": previous.key if previous else None, "unit": target.key, "reason": reason}
    if clash:
        detail["source_reference_released"] = case.source_reference
        case.source_reference = None
    case.unit_id = target.id
    case.unit = target
    removed = _take_off(case, target)
    audit.record("case.move_unit", actor, case, {**detail, "removed": [u.username for u in removed]})
    db.session.flush()
    for user in removed:
        events.case_unassigned.send(case, user=user, actor=actor)
    events.case_moved_unit.send(case, unit=target, previous=previous, actor=actor)
    return removed


def units_to_move_to(case: Case) -> list[ReportingUnit]:
    """Return the active units this case could move to."""
    units = db.session.scalars(sa.select(ReportingUnit).where(ReportingUnit.active.is_(True))
                               .order_by(ReportingUnit.key))
    return [u for u in units if u.id != case.unit_id
            and (u.allows_anonymous if case.is_anonymous else u.allows_named)]
