"""The TOTP second factor: secrets, the enrolment QR code (made locally), codes and recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC

import pyotp
import segno
from flask import current_app
from markupsafe import Markup

from caseflow.clock import utcnow
from caseflow.inputs import ascii_digits

ISSUER = "CaseFlow"
RECOVERY_CODE_COUNT = 10
_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: easy to copy from paper


def new_secret() -> str:
    """Return a fresh base32 TOTP secret (160 bits)."""
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, username: str) -> str:
    """Return the otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> Markup:
    """Return the QR code of a URI as inline SVG, generated here (no external service, no script)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", title="QR")
    return Markup(svg)  # noqa: S704 - SVG made by segno from our own URI, no user-controlled markup



def _epoch() -> float:
    """Return the injectable clock's time as a Unix timestamp."""
    return utcnow().replace(tzinfo=UTC).timestamp()


def matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """Return the time step a 6-digit code matches (one step of drift allowed), unless already used."""
    code = "".join(ch for ch in ascii_digits(code) if ch in "0123456789")
    if len(code) != 6 or not secret:
        return None
    totp = pyotp.TOTP(secret)
    now = int(_epoch() // 30)
    for step in (now, now - 1, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            if last_step is not None and step <= last_step:
                return None
            return step
    return None


def code_at_now(secret: str) -> str:
    """Return the code valid now on the injectable clock (for the demo and the tests)."""
    return pyotp.TOTP(secret).generate_otp(int(_epoch() // 30))


def new_recovery_codes() -> list[str]:
    """Return ten fresh recovery codes, formatted xxxxx-xxxxx."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def normalise_recovery_code(code: str) -> str:
    """Return a typed recovery code without spaces or dashes, lower-cased."""
    return "".join(ch for ch in code.lower() if ch.isalnum())


def recovery_hash(code: str) -> str:
    """Return the peppered SHA-256 (HMAC keyed by the app secret) under which a recovery code is stored."""
    pepper = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(pepper, normalise_recovery_code(code).encode(), hashlib.sha256).hexdigest()
