"""The auditor's audit-log view: filters, paging, CSV export and chain verification."""

from flask import Blueprint

bp = Blueprint("auditlog", __name__, url_prefix="/audit")

