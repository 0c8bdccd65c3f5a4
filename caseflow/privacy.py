"""Privacy helpers for requests: rate-limit keys that never keep a reporter's address in clear."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, request


def limiter_key() -> str:
    """Return a keyed, truncated digest of the client address for rate limiting (never stored in clear)."""
    addr = (request.remote_addr or "unknown").encode()
    secret = str(current_app.config.get("SECRET_KEY", "")).encode()
    return hmac.new(secret, addr, hashlib.sha256).hexdigest()[:16]
