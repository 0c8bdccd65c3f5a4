"""Intake channels: mailbox, outbound mail, staff-entered complaints, CSV import, case links."""

from flask import Blueprint

bp = Blueprint("channels", __name__, url_prefix="/intake")

