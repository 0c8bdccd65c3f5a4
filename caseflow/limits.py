"""Abuse limits: Flask-Limiter on a storage every gunicorn worker of the host sees, and the follow-up budgets.

The default storage is a SQLite file in the instance folder (``caseflow+sqlite://``, caseflow.limitstore), so a
limit is counted once across workers, not once per worker; several hosts share ``redis://``
(CASEFLOW_LIMITER_URL), and while Redis cannot be reached each host counts on its own file (FailoverStorage).
The receipt login's budgets are checked in an order that keeps one client from spending everyone's: its own
budget first; then, for failed attempts only, a budget per receipt lookup key (the first digits typed) and one
global budget.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Flask, current_app
from limits import RateLimitItem, parse_many

from caseflow.crypto import normalize_receipt
from caseflow.extensions import limiter
from caseflow.privacy import limiter_key

LOOKUP_DIGITS = 8


def _items(config_key: str) -> list[RateLimitItem]:
    return list(parse_many(current_app.config[config_key]))


def _lookup_key(receipt: str) -> str:
    """A keyed digest of the receipt's first digits: a budget for guessing the rest of one receipt."""
    digits = normalize_receipt(receipt)[:LOOKUP_DIGITS]
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, b"receipt-prefix|" + digits.encode(), hashlib.sha256).hexdigest()[:16]


def _budgets(receipt: str) -> list[tuple[str, list[RateLimitItem], tuple[str, ...]]]:
    return [("client", _items("CASEFLOW_LIMIT_FOLLOW_UP"), ("follow-up-client", limiter_key())),
            ("receipt", _items("CASEFLOW_LIMIT_FOLLOW_UP_RECEIPT"), ("follow-up-receipt", _lookup_key(receipt))),
            ("all", _items("CASEFLOW_LIMIT_FOLLOW_UP_ALL"), ("follow-up-failures", "all"))]


def follow_up_refused(receipt: str) -> str | None:
    """Return which budget refuses this receipt login now ('client', 'receipt' or 'all'), else None.

    The client's own attempt is counted here; a refused client never reaches the shared budgets.
    """
    if not limiter.enabled:
        return None
    strategy = limiter.limiter
    for name, items, keys in _budgets(receipt):
        if not all(strategy.test(item, *keys) for item in items):
            return name
        if name == "client":
            for item in items:
                strategy.hit(item, *keys)
    return None


def record_failed_follow_up(receipt: str) -> None:
    """Count a wrong receipt against its lookup key's budget and the global one."""
    if not limiter.enabled:
        return
    strategy = limiter.limiter
    for name, items, keys in _budgets(receipt):
        if name != "client":
            for item in items:
                strategy.hit(item, *keys)


def init_limiter(app: Flask) -> None:
    """Bind Flask-Limiter always, then honour RATELIMIT_ENABLED, so tests can switch it on at run time."""
    enabled = bool(app.config.get("RATELIMIT_ENABLED", True))
    app.config["RATELIMIT_ENABLED"] = True
    limiter.init_app(app)
    app.config["RATELIMIT_ENABLED"] = enabled
    limiter.enabled = enabled
