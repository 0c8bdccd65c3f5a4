"""Investigation and management reports as PDF, and their verification."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from caseflow.reports import cli, views  # noqa: E402,F401  (routes and commands register on import)
