"""Sign-in and account operations, audited."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from caseflow import audit
from caseflow.auth.passwords import hash_password, needs_rehash, spend_verify_time, verify_password
from caseflow.clock import utcnow
from caseflow.enums import Role
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.models import User


def authenticate(username: str, password: str) -> User | None:
    """Return the user if the credentials are right, upgrading an outdated hash; audit failures."""
    user = db.session.scalar(sa.select(User).where(User.username == username.strip()))
    if user is None or not user.active:
        spend_verify_time(password)
        audit.record("auth.login_failed", None, detail={"username": username[:64]}, actor_label="anonymous")
        return None
    if not verify_password(user.password_hash, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        audit.record("auth.login_failed", user, detail={"failed": user.failed_logins})
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.last_login_at = utcnow()
    audit.record("auth.login", user)
    return user


def create_user(username: str, full_name: str, role: Role, password: str, email: str | None = None,
                actor: User | None = None, office_id: int | None = None) -> User:
    """Create a staff account with an argon2id password hash."""
    username = username.strip()
    if not username or db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise ValidationError(_("That username is empty or already taken."))
    user = User(username=username, full_name=full_name.strip() or username, role=Role(role),
                password_hash=hash_password(password), email=email, office_id=office_id,
                password_changed_at=utcnow())
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", actor, detail={"user": username, "role": user.role.value})
    return user

