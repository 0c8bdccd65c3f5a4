"""Server-side staff sessions: opened at sign-in, checked on every request, revoked at sign-out and beyond."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, request

from caseflow.clock import utcnow
from caseflow.extensions import db
from caseflow.models import StaffSession, User

SESSION_ID_PREFIX = "s."     # Flask-Login's user id in the cookie is "s.<random>", never the account's id
TOUCH_SECONDS = 60      # last_seen_at is written at most once a minute per session


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def open_session(user: User) -> str:
    """Record a new session for the user; return the opaque id the cookie will carry."""
    token = SESSION_ID_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(StaffSession(token_hash=_hash(token), user_id=user.id, session_version=user.session_version,
                                created_at=now, last_seen_at=now))
    db.session.flush()
    return token


def _find(token: str | None) -> StaffSession | None:
    if not token or not token.startswith(SESSION_ID_PREFIX) or len(token) > 100:
        return None
    found = request.environ.get("caseflow.staff_session") if has_request_context() else None  # once a request
    if found is not None and found[0] == token:
        return found[1]  # type: ignore[no-any-return]
    row = db.session.scalar(sa.select(StaffSession).where(StaffSession.token_hash == _hash(token)))
    if has_request_context():
        request.environ["caseflow.staff_session"] = (token, row)
    return row


def _standing(row: StaffSession, user: User | None) -> str | None:
    """Return why the session no longer stands (revoked, deactivated, superseded), or None if it does."""
    if row.revoked_at is not None:
        return row.revoked_reason or "revoked"
    if user is None or not user.active:
        return "deactivated"
    if user.session_version != row.session_version:
        return "superseded"  # password changed, role changed, signed out everywhere by an admin
    return None


def user_for(token: str | None) -> User | None:
    """Return the user of a standing session, or None (a session found superseded is marked revoked)."""
    row = _find(token)
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    reason = _standing(row, user)
    if reason is None:
        return user
    if row.revoked_at is None:
        row.revoked_at, row.revoked_reason = utcnow(), reason
        db.session.flush()
    return None


def timeout_reason(token: str | None) -> str | None:
    """Return "idle" or "lifetime" if the session has timed out, else None (and note that it was seen)."""
    row = _find(token)
    if row is None:
        return "missing"
    now = utcnow()
    idle = current_app.config.get("CASEFLOW_IDLE_MINUTES") or 0
    hours = current_app.config.get("CASEFLOW_SESSION_HOURS") or 0
    if idle and now - row.last_seen_at > timedelta(minutes=idle):
        return "idle"
    if hours and now - row.created_at > timedelta(hours=hours):
        return "lifetime"
    if (now - row.last_seen_at).total_seconds() >= TOUCH_SECONDS:
        row.last_seen_at = now
        db.session.flush()
    return None


def revoke(token: str | None, reason: str) -> None:
    """Revoke one session (sign-out)."""
    row = _find(token)
    if row is not None and row.revoked_at is None:
        row.revoked_at, row.revoked_reason = utcnow(), reason[:32]
        db.session.flush()


def revoke_all(user: User, reason: str) -> int:
    """Revoke every standing session of a user (password change, deactivation); return how many."""
    result = db.session.execute(sa.update(StaffSession).where(
        StaffSession.user_id == user.id, StaffSession.revoked_at.is_(None)).values(
        revoked_at=utcnow(), revoked_reason=reason[:32]))
    db.session.flush()
    return int(getattr(result, "rowcount", 0) or 0)
