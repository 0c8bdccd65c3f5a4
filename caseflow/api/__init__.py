"""The JSON API /api/v1: token authentication, JSON errors, no CSRF (tokens are not ambient credentials)."""

from flask import Blueprint, current_app

from caseflow.extensions import csrf, limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
# per client address (CASEFLOW_LIMIT_API, default 600 per minute); a 429 answers JSON (code rate_limited)
limiter.limit(lambda: str(current_app.config["CASEFLOW_LIMIT_API"]))(bp)

