"""Staff authentication: the blueprint and Flask-Login wiring."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from caseflow.extensions import db, limiter, login

bp = Blueprint("auth", __name__)


def init_limiter(app: Flask) -> None:
    """Bind Flask-Limiter always, then honour RATELIMIT_ENABLED, so tests can switch it on at run time."""
    enabled = bool(app.config.get("RATELIMIT_ENABLED", True))
    app.config["RATELIMIT_ENABLED"] = True
    limiter.init_app(app)
    app.config["RATELIMIT_ENABLED"] = enabled
    limiter.enabled = enabled


def init_login(app: Flask) -> None:
    """Configure Flask-Login (sessions name the user and the session version) and the session timeouts."""
    from caseflow.auth import session as staff_session
    from caseflow.models import User

    login.init_app(app)
    login.login_view = "auth.login"
    login.login_message = _l("Please sign in to continue.")
    login.session_protection = "strong"

    @login.user_loader
    def _load(user_key: str) -> User | None:
        try:
            user_id, version = (int(x) for x in user_key.split(":", 1))
        except ValueError:
            return None
        user = db.session.get(User, user_id)
        if user is None or user.session_version != version or not user.active:
            return None
        return user

    staff_session.init_app(app)


from caseflow.auth import views  # noqa: E402,F401
