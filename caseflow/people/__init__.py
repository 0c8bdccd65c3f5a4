"""People across cases: the person index, person pages, edits and merges, case identifiers."""

from flask import Blueprint

bp = Blueprint("people", __name__, url_prefix="/people")

from caseflow.people import views  # noqa: E402,F401
