"""Restricted cases: supervisors restrict a case and name exactly who may see it."""

from flask import Blueprint

bp = Blueprint("restriction", __name__, url_prefix="/cases")

