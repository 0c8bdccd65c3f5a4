"""Staff sessions: two-step sign-in state, idle timeout and absolute lifetime."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Flask, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from caseflow import access, audit
from caseflow.auth import staff_sessions
from caseflow.clock import utcnow
from caseflow.extensions import db
from caseflow.models import User

PENDING = "cf_pending"      # {"uid", "ver", "at", "step": "totp" | "enrol"} between password and second factor
AUTH_AT = "cf_auth_at"      # when the password and second factor were accepted
SEEN = "cf_seen"            # the last request of this session
PENDING_MINUTES = 5
_EXEMPT = {"static", "health.healthz", "auth.login", "auth.logout"}


def needs_second_factor(user: User) -> bool:
    """Return whether this user must pass (or set up) a second factor to sign in."""
    return bool(user.totp_enabled) or access.requires_second_factor(user)


def start_pending(user: User, step: str) -> None:
    """Remember that the password was right; the user is NOT signed in until the second step."""
    session.pop(PENDING, None)
    session[PENDING] = {"uid": user.id, "ver": user.session_version, "at": utcnow().isoformat(), "step": step}


def pending_user(step: str | None = None) -> User | None:
    """Return the user half-way through sign-in (password accepted, recently), or None."""
    data: Any = session.get(PENDING)
    if not isinstance(data, dict) or (step is not None and data.get("step") != step):
        return None
    try:
        started = datetime.fromisoformat(str(data["at"]))
    except (KeyError, ValueError):
        return None
    if utcnow() - started > timedelta(minutes=PENDING_MINUTES):
        session.pop(PENDING, None)
        return None
    user = db.session.get(User, int(data.get("uid", 0)))
    if user is None or not user.active or user.session_version != data.get("ver"):
        return None
    return user


def start_session(user: User) -> None:
    """Sign the user in for real: a fresh server-side session whose random id is all the cookie holds."""
    session.clear()
    token = staff_sessions.open_session(user)
    login_user(user)
    # Flask-Login keeps the account's id under _user_id; the cookie carries the session's random id instead,
    # which the user loader resolves through the staff_sessions table (so revoking the row ends the session).
    session["_user_id"] = token
    now = utcnow().isoformat()
    session[AUTH_AT] = now
    session[SEEN] = now


def end_session(reason: str = "signed_out") -> None:
    """Sign out: revoke the server-side session and forget everything in the cookie."""
    staff_sessions.revoke(session.get("_user_id"), reason)
    logout_user()
    session.clear()


def _expired() -> str | None:
    """Return why the current session has expired (idle or too old, by the server's record), or None."""
    return staff_sessions.timeout_reason(session.get("_user_id"))


def check_session() -> ResponseReturnValue | None:
    """Before each request: end a session that has been idle too long or lived too long."""
    if request.endpoint in _EXEMPT or "_user_id" not in session or not current_user.is_authenticated:
        return None
    reason = _expired()
    if reason is None:
        session[SEEN] = utcnow().isoformat()
        return None
    audit.record("auth.session_expired", current_user._get_current_object(), detail={"reason": reason})
    end_session(reason)
    if reason == "idle":
        flash(_("You were signed out after a period of inactivity. Please sign in again."), "info")
    else:
        flash(_("Your session has ended. Please sign in again."), "info")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target) if target else url_for("auth.login"))


def init_app(app: Flask) -> None:
    """Register the session checks."""
    app.before_request(check_session)
