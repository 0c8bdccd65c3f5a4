"""Management dashboards, early warning and exports."""

from flask import Blueprint

bp = Blueprint("dashboards", __name__)

