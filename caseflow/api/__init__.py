"""The JSON API /api/v1: token authentication, JSON errors, no CSRF (tokens are not ambient credentials)."""

from flask import Blueprint

from caseflow.extensions import csrf, limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
limiter.limit("600 per minute")(bp)  # per client address; a 429 answers JSON (code rate_limited)

from caseflow.api import views  # noqa: E402,F401
