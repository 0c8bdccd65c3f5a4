"""Staff authentication: the blueprint and Flask-Login wiring."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from caseflow.extensions import limiter, login

bp = Blueprint("auth", __name__)


def init_limiter(app: Flask) -> None:
    """Bind Flask-Limiter always, then honour RATELIMIT_ENABLED, so tests can switch it on at run time."""
    enabled = bool(app.config.get("RATELIMIT_ENABLED", True))
    app.config["RATELIMIT_ENABLED"] = True
    limiter.init_app(app)
    app.config["RATELIMIT_ENABLED"] = enabled
    limiter.enabled = enabled


def init_login(app: Flask) -> None:
    """Configure Flask-Login (the cookie names a server-side session, not the user) and the session timeouts."""
    from caseflow.auth import session as staff_session
    from caseflow.auth import staff_sessions
    from caseflow.models import User

    login.init_app(app)
    login.login_view = "auth.login"
    login.login_message = _l("Please sign in to continue.")
    login.session_protection = "strong"

    @login.user_loader
    def _load(session_id: str) -> User | None:
        return staff_sessions.user_for(session_id)

    staff_session.init_app(app)


