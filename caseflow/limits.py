"""Abuse limits shared by both apps: Flask-Limiter bound to a storage every worker sees."""

from __future__ import annotations

from flask import Flask

from caseflow.extensions import limiter


def init_limiter(app: Flask) -> None:
    """Bind Flask-Limiter always, then honour RATELIMIT_ENABLED, so tests can switch it on at run time."""
    enabled = bool(app.config.get("RATELIMIT_ENABLED", True))
    app.config["RATELIMIT_ENABLED"] = True
    limiter.init_app(app)
    app.config["RATELIMIT_ENABLED"] = enabled
    limiter.enabled = enabled
