"""Investigation and management reports as PDF, and their verification."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

