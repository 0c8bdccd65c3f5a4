"""Cookie-less protection of reporter forms, and the short reporter session opened by a receipt.

Anonymous forms carry a stateless signed token (HMAC over purpose, nonce and time): it expires, and
its nonce is spent in the same transaction as what the post creates, so a replayed post creates
nothing twice. After a correct receipt, a server-side session row is opened and the cookie holds only
its random id (the row stores a hash of it); Leave deletes the row, and so do the idle and absolute limits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from caseflow import uow
from caseflow.clock import utcnow
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.models.intake import UsedFormToken
from caseflow.models.portal import ReporterSession

FORM_TOKEN_MAX_AGE = timedelta(hours=3)
REPORTER_COOKIE = "caseflow_reporter"


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


class FormAlreadySentError(ValidationError):
    """The post carries a token already spent (replay, reload, double click): nothing new was saved."""

    def __init__(self, case_id: int | None) -> None:
        super().__init__(_("This form was already sent. Nothing was saved twice."))
        self.case_id = case_id


class SameReportError(ValidationError):
    """A fresh form carries exactly the words of a report received hours ago (Back, then Send)."""

    def __init__(self, case_id: int) -> None:
        super().__init__(_("A report with exactly these words was already received and saved once; nothing new "
                           "was saved now. If this is a different report, tick “Send it as a new report”."))
        self.case_id = case_id


def spend_form_token(token: str, purpose: str) -> UsedFormToken:
    """Check a posted token and record its nonce as used; raise ValidationError if bad or old.

    A replayed token raises FormAlreadySentError naming the case it created, also when the first post is
    still running: the primary key refuses the second insert and the second post waits for the first.
    """
    expired = ValidationError(_("This form has expired. Nothing was saved. Please fill in the form again."))
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
    spent = db.session.get(UsedFormToken, digest)
    if spent is not None:
        raise FormAlreadySentError(spent.case_id)
    used = UsedFormToken(nonce_hash=digest, used_at=utcnow())
    db.session.add(used)
    try:
        db.session.flush()  # a concurrent post of the same form fails here on the primary key
    except sa.exc.IntegrityError:
        uow.discard()
        raise FormAlreadySentError(_spent_case(digest)) from None
    cutoff = utcnow() - FORM_TOKEN_MAX_AGE - timedelta(minutes=5)
    db.session.execute(sa.delete(UsedFormToken).where(UsedFormToken.used_at < cutoff))
    return used


def form_fingerprint(purpose: str, fields: list[tuple[str, str]]) -> str:
    """Return a keyed digest of what a form said (whitespace-insensitive), to recognise the same report sent again."""
    words = "\x1f".join(f"{name}={' '.join(value.split())}" for name, value in sorted(fields) if value.strip())
    return hmac.new(_key("content"), f"{purpose}|{words}".encode(), hashlib.sha256).hexdigest()


def case_sent_with(fingerprint: str) -> int | None:
    """Return the case that a recent post of the same form created, if any."""
    return db.session.scalar(sa.select(UsedFormToken.case_id).where(
        UsedFormToken.content_mac == fingerprint, UsedFormToken.case_id.is_not(None)).limit(1))


def _spent_case(digest: str) -> int | None:
    """Return the case a spent token created (read after the competing post committed)."""
    return db.session.scalar(sa.select(UsedFormToken.case_id).where(UsedFormToken.nonce_hash == digest))


def _id_hash(raw: str) -> str:
    return hashlib.sha256(b"caseflow.reporter-session|" + raw.encode()).hexdigest()


def _limits() -> tuple[timedelta, timedelta]:
    cfg = current_app.config
    return (timedelta(minutes=int(cfg.get("CASEFLOW_REPORTER_IDLE_MINUTES", 20))),
            timedelta(minutes=int(cfg.get("CASEFLOW_REPORTER_SESSION_MINUTES", 120))))


def open_reporter_session(response: Response, submission_id: int) -> ReporterSession:
    """Start a server-side reporter session; the cookie holds only its random id (scoped to /follow-up)."""
    now = utcnow()
    idle, longest = _limits()
    db.session.execute(sa.delete(ReporterSession).where(  # sweep the sessions nobody ended
        sa.or_(ReporterSession.expires_at <= now, ReporterSession.idle_until <= now)))
    raw = secrets.token_urlsafe(32)
    session = ReporterSession(id_hash=_id_hash(raw), submission_id=submission_id, created_on=now.date(),
                              idle_until=min(now + idle, now + longest), expires_at=now + longest)
    db.session.add(session)
    db.session.flush()
    response.set_cookie(REPORTER_COOKIE, raw, httponly=True, samesite="Strict", path="/follow-up",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return session


def reporter_session() -> ReporterSession | None:
    """Return the live reporter session the cookie names, else None (an expired one is deleted)."""
    raw = request.cookies.get(REPORTER_COOKIE)
    if not raw or len(raw) > 100:
        return None
    session = db.session.get(ReporterSession, _id_hash(raw))
    if session is None:
        return None
    now = utcnow()
    if now >= session.idle_until or now >= session.expires_at:
        db.session.delete(session)
        uow.keep()  # expired: gone for good, whatever the request answers
        return None
    return session


def touch_reporter_session(session: ReporterSession) -> None:
    """Move the idle limit forward (never past the absolute limit)."""
    idle, _longest = _limits()
    session.idle_until = min(utcnow() + idle, session.expires_at)
    db.session.flush()


def close_reporter_session(response: Response, session: ReporterSession | None = None) -> None:
    """End the reporter's session: its row is deleted (a copied cookie opens nothing) and the cookie too."""
    if session is not None:
        db.session.delete(session)
        db.session.flush()
    response.delete_cookie(REPORTER_COOKIE, path="/follow-up", httponly=True, samesite="Strict",
                           secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
