"""API tokens: created per integration by admins, stored as SHA-256 only, scoped, revocable."""

from __future__ import annotations

import hashlib
import re
import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from caseflow import audit
from caseflow.access import API_SCOPES
from caseflow.clock import utcnow
from caseflow.errors import AccessDeniedError, ValidationError
from caseflow.extensions import db
from caseflow.models import ApiToken, ReportingUnit, User

TOKEN_PREFIX = "cf_"  # noqa: S105 - a marker, not a secret
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,79}$")


def hash_token(secret: str) -> str:
    """Return the stored form of a token (SHA-256 of a 256-bit random secret)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(name: str, scopes: list[str], actor: User | None,
                 unit_keys: list[str] | None = None) -> tuple[ApiToken, str]:
    """Create an integration's token, walled to the units named (none: every unit); return it and its secret.

    The secret is shown once and never stored.
    """
    name = (name or "").strip()
    if not NAME_RE.match(name):
        raise ValidationError(_("Name the integration with letters, digits, spaces, dots, dashes (max 80)."))
    if db.session.scalar(sa.select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise ValidationError(_("A token named %(name)s already exists.", name=name))
    unknown = sorted(set(scopes) - set(API_SCOPES))
    if unknown or not scopes:
        raise ValidationError(_("Choose scopes among: %(scopes)s.", scopes=", ".join(API_SCOPES)))
    units = []
    for key in dict.fromkeys(unit_keys or []):
        unit = db.session.scalar(sa.select(ReportingUnit).where(ReportingUnit.key == key))
        if unit is None:
            raise ValidationError(_("No reporting unit %(key)s.", key=key))
        units.append(unit)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, token_hash=hash_token(secret), prefix=secret[:8],
                     scopes=" ".join(s for s in API_SCOPES if s in scopes),
                     created_by_id=actor.id if actor is not None else None, created_at=utcnow(), units=units)
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.create", actor, None,
                 {"token": token.name, "scopes": token.scopes, "units": [u.key for u in units]},
                 actor_label=None if actor is not None else "cli")
    return token, secret


def revoke_token(token: ApiToken, actor: User | None) -> None:
    """Revoke a token: every later call with it is refused."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    audit.record("api_token.revoke", actor, None, {"token": token.name},
                 actor_label=None if actor is not None else "cli")
    db.session.flush()


def revoke_token_by_name(name: str, actor: User | None) -> None:
    """Revoke the token of a named integration."""
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.name == name))
    if token is None:
        raise ValidationError(_("No token named %(name)s.", name=name))
    revoke_token(token, actor)


def authenticate(header: str | None) -> ApiToken:
    """Return the active token of an `Authorization: Bearer ...` header; raise AccessDeniedError otherwise."""
    scheme, _sep, secret = (header or "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        raise AccessDeniedError(_("Send a valid API token as: Authorization: Bearer <token>."))
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or not token.is_active:
        raise AccessDeniedError(_("This API token is unknown or was revoked."))
    now = utcnow()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now
    return token
