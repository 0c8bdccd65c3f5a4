"""Staff authentication: the blueprint and Flask-Login wiring."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from caseflow.extensions import db, login

bp = Blueprint("auth", __name__)


def init_login(app: Flask) -> None:
    """Configure Flask-Login: sessions name the user and the session version."""
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


from caseflow.auth import views  # noqa: E402,F401
