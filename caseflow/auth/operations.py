"""Sign-in and account operations: passwords, lockout, second factor, sessions; all audited."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _

from caseflow import audit
from caseflow.auth import staff_sessions, totp
from caseflow.auth.passwords import hash_password, needs_rehash, spend_verify_time, verify_password
from caseflow.auth.policy import check_password
from caseflow.cases import subjects
from caseflow.clock import utcnow
from caseflow.enums import Role
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.models import RecoveryCode, User


def is_locked(user: User) -> bool:
    """Return whether the account is locked out after too many failed attempts."""
    return user.locked_until is not None and user.locked_until > utcnow()


def register_failure(user: User, step: str) -> None:
    """Count a failed password or second-factor attempt; lock the account when the limit is reached."""
    user.failed_logins = (user.failed_logins or 0) + 1
    audit.record("auth.login_failed", user, detail={"failed": user.failed_logins, "step": step})
    if user.failed_logins >= current_app.config["CASEFLOW_LOCKOUT_ATTEMPTS"]:
        minutes = current_app.config["CASEFLOW_LOCKOUT_MINUTES"]
        user.locked_until = utcnow() + timedelta(minutes=minutes)
        user.failed_logins = 0
        audit.record("auth.lockout", user, detail={"minutes": minutes})
    db.session.flush()


def authenticate(username: str, password: str) -> User | None:
    """Return the user if the password is right and the account usable; count and audit failures."""
    user = db.session.scalar(sa.select(User).where(User.username == username.strip()))
    if user is None:
        spend_verify_time(password)
        # What was typed is not recorded: it matches no account and is often a password typed in the wrong field.
        audit.record("auth.login_failed", None, detail={"step": "password", "account": "unknown"},
                     actor_label="anonymous")
        return None
    if not user.active:
        spend_verify_time(password)
        audit.record("auth.login_failed", user, detail={"step": "password", "account": "inactive"})
        return None
    if is_locked(user):
        spend_verify_time(password)
        audit.record("auth.login_locked", user)
        return None
    if not verify_password(user.password_hash, password):
        register_failure(user, "password")
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        audit.record("auth.password_rehash", user)
    return user


def complete_login(user: User, second_factor: str) -> None:
    """Record a completed sign-in (after the second factor, when one is needed)."""
    user.failed_logins = 0
    user.last_login_at = utcnow()
    if has_request_context():  # the language they work in: the monthly report is mailed in it
        user.language = str(get_locale() or "")[:10] or None
    audit.record("auth.login", user, detail={"second_factor": second_factor})
    db.session.flush()


def create_user(username: str, full_name: str, role: Role, password: str, email: str | None = None,
                actor: User | None = None, office_id: int | None = None, badge_number: str | None = None,
                aliases: str = "") -> User:
    """Create a staff account with an argon2id password hash, enforcing the password policy.

    The account is matched at once against every person named as a subject (badge, name, aliases).
    """
    username = username.strip()
    if not username or db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise ValidationError(_("That username is empty or already taken."))
    check_password(password, username)
    user = User(username=username, full_name=full_name.strip() or username, role=Role(role),
                password_hash=hash_password(password), email=email or None, office_id=office_id,
                password_changed_at=utcnow(), active=True, session_version=1,
                badge_number=(badge_number or "").strip() or None, aliases=clean_aliases(aliases))
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", actor, detail={"user": username, "role": user.role.value})
    subjects.rematch_user(user, actor)
    return user


def clean_aliases(text: str | None) -> str:
    """Return aliases one a line, trimmed, without blanks or repeats."""
    seen: list[str] = []
    for line in (text or "").splitlines():
        line = " ".join(line.split())
        if line and line not in seen:
            seen.append(line)
    return "\n".join(seen)


def update_identity(user: User, full_name: str, badge_number: str | None, aliases: str, actor: User) -> int:
    """Change the names and badge a staff member is known by; rematch them against subjects; return new hits."""
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError(_("Give the full name."))
    before = {"full_name": user.full_name, "badge_number": user.badge_number, "aliases": user.aliases}
    user.full_name, user.badge_number = full_name, (badge_number or "").strip() or None
    user.aliases = clean_aliases(aliases)
    after = {"full_name": user.full_name, "badge_number": user.badge_number, "aliases": user.aliases}
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        audit.record("user.identity", actor, detail={"user": user.username, "changed": changed})
    return subjects.rematch_user(user, actor) if changed else 0


def _bump_sessions(user: User, reason: str) -> None:
    """End every session of the user (their server-side sessions are revoked)."""
    user.session_version = (user.session_version or 1) + 1
    staff_sessions.revoke_all(user, reason)


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password after checking the current one; every other session ends."""
    if not verify_password(user.password_hash, current):
        raise ValidationError(_("Your current password is not right."))
    if verify_password(user.password_hash, new):
        raise ValidationError(_("Choose a password different from the current one."))
    check_password(new, user.username)
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    _bump_sessions(user, "change_password")
    audit.record("auth.password_change", user)
    db.session.flush()


def reset_password(user: User, new: str, actor: User) -> None:
    """Set a user's password (administrator); their sessions end and the lockout is lifted."""
    check_password(new, user.username)
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    _bump_sessions(user, "reset_password")
    audit.record("user.password_reset", actor, detail={"user": user.username})
    db.session.flush()


def force_logout(user: User, actor: User) -> None:
    """End every session of a user at once (administrator)."""
    _bump_sessions(user, "force_logout")
    audit.record("user.force_logout", actor, detail={"user": user.username})
    db.session.flush()


def begin_totp_enrolment(user: User) -> str:
    """Give the user a new, not yet active, TOTP secret and return it."""
    if user.totp_enabled:
        raise ValidationError(_("Two-step sign-in is already set up for this account."))
    user.totp_secret = totp.new_secret()
    user.totp_last_step = None
    db.session.flush()
    return user.totp_secret


def confirm_totp_enrolment(user: User, code: str) -> list[str]:
    """Activate the second factor once the user proves the app works; return ten recovery codes (shown once)."""
    if user.totp_enabled or not user.totp_secret:
        raise ValidationError(_("Start the set-up again."))
    step = totp.matching_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        raise ValidationError(_("That code is not right. Check the time on your phone and try again."))
    user.totp_enabled = True
    user.totp_last_step = step
    codes = replace_recovery_codes(user)
    audit.record("auth.2fa_enrol", user)
    db.session.flush()
    return codes


def replace_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones; return them in clear, once."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=totp.recovery_hash(c)) for c in codes)
    db.session.flush()
    return codes


def remaining_recovery_codes(user: User) -> int:
    """Return how many unused recovery codes the user has."""
    return db.session.scalar(sa.select(sa.func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def verify_second_factor(user: User, code: str) -> str | None:
    """Return "totp" or "recovery" if the code is a valid, unused second factor (consuming it), else None."""
    if not user.totp_enabled or not user.totp_secret:
        return None
    step = totp.matching_step(user.totp_secret, code, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return "totp"
    if len(totp.normalise_recovery_code(code)) == 10:
        row = db.session.scalar(sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == totp.recovery_hash(code),
            RecoveryCode.used_at.is_(None)))
        if row is not None:
            row.used_at = utcnow()
            audit.record("auth.recovery_code_used", user, detail={"left": remaining_recovery_codes(user) - 1})
            return "recovery"
    return None


def reset_second_factor(user: User, actor: User) -> None:
    """Remove a user's second factor (lost phone); they enrol again at next sign-in. Sessions end."""
    user.totp_enabled = False
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    _bump_sessions(user, "reset_second_factor")
    audit.record("user.2fa_reset", actor, detail={"user": user.username})
    db.session.flush()
