"""Letters from templates: the administrators' templates, issuing a letter on a case, the issued documents."""

from flask import Blueprint

bp = Blueprint("letters", __name__)

from caseflow.letters import admin_views, views  # noqa: E402,F401  (routes register on import)
