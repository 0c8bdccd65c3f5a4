"""Thin views of the reports: issue an investigation or management report, verify a PDF."""

from __future__ import annotations

from flask import Response, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseflow import access
from caseflow.cases.views import load_case
from caseflow.dashboards.filters import DashboardFilters
from caseflow.dashboards.views import shown_figures, viewer_filters
from caseflow.extensions import db
from caseflow.models import Category, Office
from caseflow.reports import bp
from caseflow.reports.forms import InvestigationReportForm, VerifyForm
from caseflow.reports.operations import issue_investigation_report, issue_management_report, redactable_parties
from caseflow.reports.verify import verify_pdf


def _pdf(data: bytes, name: str) -> Response:
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@bp.route("/cases/<number>/report", methods=["GET", "POST"])
@login_required
def case_report(number: str) -> ResponseReturnValue:
    """Choose and issue a case's investigation report (full or redacted) as PDF."""
    case = load_case(number)
    access.require(access.can_generate_report(current_user, case, redacted=True))
    form = InvestigationReportForm()
    parties = redactable_parties(case)
    form.parties.choices = [(p.id, f"{p.display_name} ({p.role.label})") for p in parties]
    may_full = access.can_generate_report(current_user, case, redacted=False)
    if form.validate_on_submit():
        redacted = form.variant.data == "redacted" or not may_full
        issued, data = issue_investigation_report(case, current_user, redacted=redacted,
                                                  party_ids=form.parties.data or [],
                                                  extra_terms=(form.terms.data or "").splitlines())
        db.session.commit()
        return _pdf(data, f"{case.number}-report-{issued.variant.value}-{issued.report_id}.pdf")
    status = 400 if request.method == "POST" else 200
    return render_template("reports/case_report.html", case=case, form=form, may_full=may_full), status


def _scope(filters: DashboardFilters) -> list[tuple[str, str]]:
    office = db.session.get(Office, filters.office) if filters.office else None
    category = db.session.get(Category, filters.category) if filters.category else None
    return [(_("Period"), f"{filters.start.isoformat()} — {filters.end.isoformat()}"),
            (_("Office"), office.name if office else _("All")),
            (_("Category"), category.label if category else _("All")),
            (_("Channel"), filters.channel.label if filters.channel else _("All")),
            (_("Prepared for"), f"{current_user.full_name} ({current_user.role.label})")]


@bp.post("/reports/management")
@login_required
def management_report() -> ResponseReturnValue:
    """Issue the dashboard for the posted period and filters as a management report PDF."""
    access.require(access.can_view_dashboard(current_user))
    filters = viewer_filters(current_user, request.form)
    issued, data = issue_management_report(current_user, filters, shown_figures(current_user, filters),
                                           _scope(filters))
    db.session.commit()
    return _pdf(data, f"caseflow-management-{filters.start}-{filters.end}-{issued.report_id}.pdf")


@bp.route("/reports/verify", methods=["GET", "POST"])
@login_required
def verify() -> ResponseReturnValue:
    """Upload a PDF and tell whether CaseFlow issued it, unaltered."""
    access.require(access.can_verify_report(current_user))
    form = VerifyForm()
    verdict = None
    if form.validate_on_submit():
        data = form.file.data.read(current_app.config["MAX_CONTENT_LENGTH"])
        verdict = verify_pdf(data)
    status = 400 if request.method == "POST" and verdict is None else 200
    return render_template("reports/verify.html", form=form, verdict=verdict), status
