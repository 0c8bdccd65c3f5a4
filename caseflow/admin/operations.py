"""Administration operations on accounts and reference lists; every change is audited."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from caseflow import audit
from caseflow.auth import staff_sessions
from caseflow.enums import Role
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.models import Category, Office, UnitName, User
from caseflow.models.cases import NAME_LANGUAGES


def _not_self(user: User, actor: User) -> None:
    if user.id == actor.id:
        raise ValidationError(_("You cannot do this to your own account; ask another administrator."))


def change_role(user: User, role: Role, actor: User) -> None:
    """Give a user another role; their sessions end so the new rights apply at once."""
    _not_self(user, actor)
    role = Role(role)
    if role == user.role:
        return
    previous = user.role
    user.role = role
    user.session_version = (user.session_version or 1) + 1
    staff_sessions.revoke_all(user, "role_changed")
    audit.record("user.role_change", actor, detail={"user": user.username, "from": previous.value, "to": role.value})
    db.session.flush()


def set_active(user: User, active: bool, actor: User) -> None:
    """Deactivate (or reactivate) an account; a deactivated user is signed out at once."""
    _not_self(user, actor)
    user.active = active
    user.session_version = (user.session_version or 1) + 1
    staff_sessions.revoke_all(user, "deactivated" if not active else "reactivated")
    audit.record("user.activate" if active else "user.deactivate", actor, detail={"user": user.username})
    db.session.flush()


Reference = Category | Office


def _kind(row: type[Reference] | Reference) -> str:
    return "category" if row is Category or isinstance(row, Category) else "office"


def add_reference(model: type[Reference], code: str, name: str, actor: User) -> Reference:
    """Add a complaint category or an office."""
    code, name = code.strip(), name.strip()
    if model is Category:
        code = code.lower()
    if db.session.scalar(sa.select(model.id).where(model.code == code)):
        raise ValidationError(_("An entry with this code already exists."))
    row = model(code=code, name=name, active=True)
    db.session.add(row)
    db.session.flush()
    audit.record(f"{_kind(model)}.add", actor, detail={"code": code, "name": name})
    return row


def rename_reference(row: Reference, names: dict[str, str] | str, actor: User) -> None:
    """Rename a category or office (its cases keep it): its English name and, given a dict, its name in each
    other language (an empty one falls back to English)."""
    if isinstance(names, str):
        names = {"en": names}
    previous, row.name = row.name, (names.get("en") or row.name).strip()
    if previous != row.name:
        audit.record(f"{_kind(row)}.rename", actor, detail={"code": row.code, "from": previous, "to": row.name})
    changed = {}
    for lang in NAME_LANGUAGES:
        if lang not in names:
            continue
        new = names[lang].strip() or None
        if new != getattr(row, f"name_{lang}"):
            setattr(row, f"name_{lang}", new)
            changed[lang] = new or ""
    if changed:
        audit.record(f"{_kind(row)}.translate", actor, detail={"code": row.code, **changed})
    db.session.flush()


def set_unit_names(names: dict[str, str], actor: User) -> None:
    """Set the unit's name per language (an empty one removes it: the configured name, else English, shows)."""
    rows = {row.lang: row for row in db.session.scalars(sa.select(UnitName))}
    changed = {}
    for lang, raw in names.items():
        new, row = raw.strip(), rows.get(lang)
        if new and row is None:
            db.session.add(UnitName(lang=lang, name=new))
        elif new and row is not None and row.name != new:
            row.name = new
        elif not new and row is not None:
            db.session.delete(row)
        else:
            continue
        changed[lang] = new
    if changed:
        audit.record("unit.rename", actor, detail=changed)
    db.session.flush()


def set_office_headcount(office: Office, headcount: int | None, actor: User) -> None:
    """Set how many staff an office has (None: unknown), the base of its rates per 100 staff."""
    previous, office.headcount = office.headcount, headcount
    audit.record("office.headcount", actor, detail={"code": office.code, "from": previous, "to": headcount})
    db.session.flush()


def set_reference_active(row: Reference, active: bool, actor: User) -> None:
    """Withdraw a category or office from new cases (existing cases keep it), or bring it back."""
    row.active = active
    audit.record(f"{_kind(row)}.{'activate' if active else 'deactivate'}", actor, detail={"code": row.code})
    db.session.flush()
