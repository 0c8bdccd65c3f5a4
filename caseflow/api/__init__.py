"""The JSON API /api/v1: token authentication, JSON errors, no CSRF (tokens are not ambient credentials)."""

from flask import Blueprint

from caseflow.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from caseflow.api import views  # noqa: E402,F401
