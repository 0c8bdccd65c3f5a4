"""Administration: staff accounts, complaint categories and offices (administrators never see case content)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

