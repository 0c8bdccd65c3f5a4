"""Thin views of the audit log, for auditors only."""

from __future__ import annotations

from flask import Response, render_template, request, stream_with_context
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from caseflow import access
from caseflow.auditlog import bp
from caseflow.auditlog import operations as ops
from caseflow.auditlog.queries import AuditFilters, events_page, known_actions
from caseflow.clock import utcnow
from caseflow.templating import audit_action


def _render(filters: AuditFilters, verify: object = None) -> ResponseReturnValue:
    return render_template("auditlog/list.html", filters=filters, page=events_page(filters),
                           actions=[(a, audit_action(a)) for a in known_actions()], verify=verify)


@bp.get("", endpoint="list_events")
@login_required
def list_events() -> ResponseReturnValue:
    """Show the audit log, newest first, filtered and paged."""
    access.require(access.can_view_audit_log(current_user))
    return _render(AuditFilters.from_args(request.args))


@bp.get("/export.csv")
@login_required
def export_csv() -> ResponseReturnValue:
    """Download the filtered audit log as CSV (the export itself is audited)."""
    access.require(access.can_view_audit_log(current_user))
    filters = AuditFilters.from_args(request.args)
    ops.record_export(current_user._get_current_object(), filters)
    name = f"caseflow-audit-{utcnow():%Y%m%d-%H%M%S}.csv"
    response = Response(stream_with_context(ops.csv_lines(filters)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.post("/verify")
@login_required
def verify() -> ResponseReturnValue:
    """Verify the hash chain now and show the outcome (the check itself is audited)."""
    access.require(access.can_view_audit_log(current_user))
    result = ops.verify_log(current_user._get_current_object())
    return _render(AuditFilters.from_args(request.args), verify=result)
