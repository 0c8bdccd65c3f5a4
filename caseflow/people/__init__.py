"""People across cases: the person index, person pages, edits and merges, case identifiers."""

from flask import Blueprint

bp = Blueprint("people", __name__, url_prefix="/people")

