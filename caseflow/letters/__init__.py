"""Letters from templates: the administrators' templates, issuing a letter on a case, the issued documents."""

from flask import Blueprint

bp = Blueprint("letters", __name__)
