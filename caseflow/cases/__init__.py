"""The staff case workspace blueprint."""

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")

from caseflow.cases import listing, views  # noqa: E402,F401
