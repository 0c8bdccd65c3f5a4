"""Administration operations on accounts and reference lists; every change is audited."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from caseflow import audit
from caseflow.enums import Role
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.models import Category, Office, User


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
    audit.record("user.role_change", actor, detail={"user": user.username, "from": previous.value, "to": role.value})
    db.session.flush()


def set_active(user: User, active: bool, actor: User) -> None:
    """Deactivate (or reactivate) an account; a deactivated user is signed out at once."""
    _not_self(user, actor)
    user.active = active
    user.session_version = (user.session_version or 1) + 1
    audit.record("user.activate" if active else "user.deactivate", actor, detail={"user": user.username})
    db.session.flush()


def add_category(code: str, name: str, actor: User) -> Category:
    """Add a complaint category."""
    code, name = code.strip().lower(), name.strip()
    if db.session.scalar(sa.select(Category.id).where(Category.code == code)):
        raise ValidationError(_("A category with this code already exists."))
    category = Category(code=code, name=name, active=True)
    db.session.add(category)
    db.session.flush()
    audit.record("category.add", actor, detail={"code": code, "name": name})
    return category


def rename_category(category: Category, name: str, actor: User) -> None:
    """Rename a category (its cases keep it)."""
    previous, category.name = category.name, name.strip()
    audit.record("category.rename", actor, detail={"code": category.code, "from": previous, "to": category.name})
    db.session.flush()


def set_category_active(category: Category, active: bool, actor: User) -> None:
    """Withdraw a category from new cases (existing cases keep it), or bring it back."""
    category.active = active
    audit.record("category.activate" if active else "category.deactivate", actor, detail={"code": category.code})
    db.session.flush()


def add_office(code: str, name: str, actor: User) -> Office:
    """Add an office."""
    code, name = code.strip(), name.strip()
    if db.session.scalar(sa.select(Office.id).where(Office.code == code)):
        raise ValidationError(_("An office with this code already exists."))
    office = Office(code=code, name=name, active=True)
    db.session.add(office)
    db.session.flush()
    audit.record("office.add", actor, detail={"code": code, "name": name})
    return office


def rename_office(office: Office, name: str, actor: User) -> None:
    """Rename an office."""
    previous, office.name = office.name, name.strip()
    audit.record("office.rename", actor, detail={"code": office.code, "from": previous, "to": office.name})
    db.session.flush()


def set_office_active(office: Office, active: bool, actor: User) -> None:
    """Withdraw an office from new cases and accounts, or bring it back."""
    office.active = active
    audit.record("office.activate" if active else "office.deactivate", actor, detail={"code": office.code})
    db.session.flush()
