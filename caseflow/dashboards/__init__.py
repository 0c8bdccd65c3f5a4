"""Management dashboards, early warning and exports."""

from flask import Blueprint

bp = Blueprint("dashboards", __name__)

from caseflow.dashboards import stale, views  # noqa: E402,F401  (routes and flush listeners register on import)
