"""Cookie-less protection of reporter forms, and the short reporter session opened by a receipt.

Anonymous forms carry a stateless signed token (HMAC over purpose, nonce and time): it expires, and
its nonce is spent in the same transaction as what the post creates, so a replayed post creates
nothing twice. After a correct receipt, a signed cookie names the submission; it expires when idle
and in any case a few hours after login.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, request
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from caseflow.clock import utcnow
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.models.intake import UsedFormToken

FORM_TOKEN_MAX_AGE = timedelta(hours=3)
REPORTER_COOKIE = "caseflow_reporter"
REPORTER_IDLE = timedelta(minutes=20)
REPORTER_MAX = timedelta(hours=2)


def _key(purpose: str) -> bytes:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, b"caseflow.reporting." + purpose.encode(), hashlib.sha256).digest()


def _stamp() -> int:
    return int(utcnow().timestamp())


def issue_form_token(purpose: str) -> str:
    """Return a fresh single-use token for one form (purpose binds it to that form)."""
    nonce = secrets.token_urlsafe(18)
    stamp = str(_stamp())
    mac = hmac.new(_key("form"), f"{purpose}|{nonce}|{stamp}".encode(), hashlib.sha256).hexdigest()
    return f"{nonce}.{stamp}.{mac}"


def spend_form_token(token: str, purpose: str) -> None:
    """Check a posted token and record its nonce as used; raise ValidationError if bad, old or replayed."""
    expired = ValidationError(_("This form has expired or was already sent. Nothing was saved twice. "
                                "Please fill in the form again."))
    try:
        nonce, stamp, mac = (token or "").split(".")
        issued = int(stamp)
    except ValueError:
        raise expired from None
    expected = hmac.new(_key("form"), f"{purpose}|{nonce}|{stamp}".encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, mac):
        raise expired
    now = _stamp()
    if not (now - FORM_TOKEN_MAX_AGE.total_seconds() <= issued <= now + 60):
        raise expired
    digest = hashlib.sha256(nonce.encode()).hexdigest()
    if db.session.get(UsedFormToken, digest) is not None:
        raise expired
    cutoff = utcnow() - FORM_TOKEN_MAX_AGE - timedelta(minutes=5)
    db.session.execute(sa.delete(UsedFormToken).where(UsedFormToken.used_at < cutoff))
    db.session.add(UsedFormToken(nonce_hash=digest, used_at=utcnow()))
    db.session.flush()  # a concurrent replay fails here on the primary key


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.config["SECRET_KEY"]), salt="caseflow.reporter-session")


def open_reporter_session(response: Response, submission_id: int, login_at: int | None = None) -> None:
    """Set (or refresh) the reporter's signed session cookie, scoped to the follow-up pages."""
    now = _stamp()
    value = _serializer().dumps({"s": submission_id, "l": login_at or now, "a": now})
    response.set_cookie(REPORTER_COOKIE, value, httponly=True, samesite="Strict", path="/follow-up",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))


def close_reporter_session(response: Response) -> None:
    """Delete the reporter's session cookie."""
    response.delete_cookie(REPORTER_COOKIE, path="/follow-up", httponly=True, samesite="Strict")


def reporter_session() -> tuple[int, int] | None:
    """Return (submission id, login time) of a valid, unexpired reporter session, else None."""
    raw = request.cookies.get(REPORTER_COOKIE)
    if not raw:
        return None
    try:
        data = _serializer().loads(raw)
        submission_id, login_at, active_at = int(data["s"]), int(data["l"]), int(data["a"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    now = _stamp()
    if now - active_at > REPORTER_IDLE.total_seconds() or now - login_at > REPORTER_MAX.total_seconds():
        return None
    return submission_id, login_at
