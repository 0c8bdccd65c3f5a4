"""Verb-first operations on reporting units, and the checks intake makes against a report's unit."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from caseflow import audit
from caseflow.enums import Role
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.models import User
from caseflow.models.units import UNIT_LANGUAGES, ReportingUnit
from caseflow.questionnaires.operations import latest_published

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
MEMBER_ROLES = (Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR)
MAX_ACK_DAYS = 90
MAX_FEEDBACK_MONTHS = 12


@dataclass
class UnitFields:
    """What an administrator says about a unit."""

    key: str
    names: dict[str, str]
    descriptions: dict[str, str] = field(default_factory=dict)
    allows_named: bool = True
    allows_anonymous: bool = True
    questionnaire_key: str | None = None
    ack_days: int | None = None
    feedback_months: int | None = None
    member_ids: list[int] = field(default_factory=list)
    supervisor_ids: list[int] = field(default_factory=list)


def _users(ids: list[int], roles: tuple[Role, ...], problem: str) -> list[User]:
    wanted = sorted(set(ids))
    users = list(db.session.scalars(sa.select(User).where(User.id.in_(wanted)))) if wanted else []
    if len(users) != len(wanted) or any(u.role not in roles for u in users):
        raise ValidationError(problem)
    return users


def _apply(unit: ReportingUnit, fields: UnitFields) -> dict[str, object]:
    """Write the fields onto the unit after checking them; return what the audit log keeps."""
    if not fields.allows_named and not fields.allows_anonymous:
        raise ValidationError(_("A unit must accept named reports, anonymous reports, or both."))
    if fields.ack_days is not None and not 1 <= fields.ack_days <= MAX_ACK_DAYS:
        raise ValidationError(ngettext("The acknowledgement period must be between 1 and %(n)d day.",
                                       "The acknowledgement period must be between 1 and %(n)d days.",
                                       MAX_ACK_DAYS, n=MAX_ACK_DAYS))
    if fields.feedback_months is not None and not 1 <= fields.feedback_months <= MAX_FEEDBACK_MONTHS:
        raise ValidationError(ngettext("The feedback period must be between 1 and %(n)d month.",
                                       "The feedback period must be between 1 and %(n)d months.",
                                       MAX_FEEDBACK_MONTHS, n=MAX_FEEDBACK_MONTHS))
    members = _users(fields.member_ids, MEMBER_ROLES,
                     _("Members must be intake officers, investigators or supervisors."))
    supervisors = _users(fields.supervisor_ids, (Role.SUPERVISOR,), _("Supervisors of a unit must be supervisors."))
    for code in UNIT_LANGUAGES:
        setattr(unit, f"name_{code}", (fields.names.get(code) or "").strip()[:160])
        setattr(unit, f"description_{code}", (fields.descriptions.get(code) or "").strip()[:4000])
    if not unit.name_en:
        raise ValidationError(_("Give the unit a name in English at least."))
    unit.allows_named, unit.allows_anonymous = fields.allows_named, fields.allows_anonymous
    unit.questionnaire_key = (fields.questionnaire_key or "").strip()[:80] or None
    if unit.questionnaire_key and latest_published(unit.questionnaire_key) is None:
        raise ValidationError(_("No questionnaire %(key)s is published: publish it first, or leave the field empty.",
                                key=unit.questionnaire_key))
    unit.ack_days, unit.feedback_months = fields.ack_days, fields.feedback_months
    unit.members, unit.supervisors = members, supervisors
    return {"unit": unit.key, "named": unit.allows_named, "anonymous": unit.allows_anonymous,
            "ack_days": unit.ack_days, "feedback_months": unit.feedback_months,
            "members": sorted(u.username for u in members), "supervisors": sorted(u.username for u in supervisors)}


def create_unit(fields: UnitFields, actor: User | None) -> ReportingUnit:
    """Create a reporting unit with its names, accepted reports, clocks and staff; audited."""
    key = (fields.key or "").strip().lower()
    if not KEY_RE.match(key):
        raise ValidationError(_("The key is 1 to 40 lower-case letters, digits and dashes, starting with a letter "
                                "or digit."))
    if db.session.scalar(sa.select(ReportingUnit.id).where(ReportingUnit.key == key)) is not None:
        raise ValidationError(_("A unit with the key %(key)s already exists.", key=key))
    unit = ReportingUnit(key=key, active=True)
    detail = _apply(unit, fields)
    db.session.add(unit)
    db.session.flush()
    audit.record("unit.create", actor, detail=detail)
    return unit


def update_unit(unit: ReportingUnit, fields: UnitFields, actor: User) -> ReportingUnit:
    """Change a unit's names, accepted reports, clocks and staff (its key never changes: links carry it)."""
    detail = _apply(unit, fields)
    db.session.flush()
    audit.record("unit.update", actor, detail=detail)
    return unit


def set_unit_active(unit: ReportingUnit, active: bool, actor: User) -> None:
    """Deactivate a unit (it takes no new report; its cases keep it and stay behind its wall) or restore it."""
    if unit.active == active:
        return
    unit.active = active
    db.session.flush()
    audit.record("unit.activate" if active else "unit.deactivate", actor, detail={"unit": unit.key})


def all_units() -> list[ReportingUnit]:
    """Return every unit, active first, by key."""
    return list(db.session.scalars(sa.select(ReportingUnit).order_by(ReportingUnit.active.desc(),
                                                                     ReportingUnit.key)))


def portal_units() -> list[ReportingUnit]:
    """Return the units the portal lists: active and named in every language."""
    units = db.session.scalars(sa.select(ReportingUnit).where(ReportingUnit.active.is_(True))
                               .order_by(ReportingUnit.id))
    return [u for u in units if u.translated]


def active_units() -> list[ReportingUnit]:
    """Return the active units (staff intake offers these)."""
    return list(db.session.scalars(sa.select(ReportingUnit).where(ReportingUnit.active.is_(True))
                                   .order_by(ReportingUnit.key)))


def unit_by_key(key: str | None) -> ReportingUnit | None:
    """Return the active unit with this key; None for no key; a clear error for an unknown or closed one."""
    key = (key or "").strip().lower()
    if not key:
        return None
    unit = db.session.scalar(sa.select(ReportingUnit).where(ReportingUnit.key == key[:40]))
    if unit is None or not unit.active:
        raise ValidationError(_("There is no reporting unit %(key)s taking reports.", key=key[:40]))
    return unit


def default_unit() -> ReportingUnit | None:
    """Return the unit set as CASEFLOW_DEFAULT_UNIT (for intake that names none), or None."""
    return unit_by_key(current_app.config.get("CASEFLOW_DEFAULT_UNIT") or None)


def check_unit_accepts(unit: ReportingUnit | None, anonymous: bool) -> None:
    """Refuse a named report to a unit that takes only anonymous ones, and the other way round."""
    if unit is None:
        return
    if not unit.active:
        raise ValidationError(_("The unit %(unit)s no longer takes reports.", unit=unit.label))
    if anonymous and not unit.allows_anonymous:
        raise ValidationError(_("%(unit)s does not accept anonymous reports. You can report with your name "
                                "(it is kept sealed), or choose another unit.", unit=unit.label))
    if not anonymous and not unit.allows_named:
        raise ValidationError(_("%(unit)s accepts only anonymous reports. Use the anonymous form, or choose "
                                "another unit.", unit=unit.label))
