"""Thin views of the reports: issue an investigation or management report, verify a PDF."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseflow import access, uow
from caseflow.cases.loading import load_case
from caseflow.dashboards.filters import DashboardFilters
from caseflow.dashboards.shown import shown_figures, viewer_filters
from caseflow.errors import CaseFlowError
from caseflow.extensions import db
from caseflow.i18n import LANGUAGE_NAMES
from caseflow.models import Case, Category, Office, ReportingUnit
from caseflow.models.letters import KIND_LABELS
from caseflow.reports import bp, drafts
from caseflow.reports.forms import InvestigationReportForm, ReportDraftForm, ReviewForm, VerifyForm
from caseflow.reports.issued import issued_documents
from caseflow.reports.operations import (
    approve_report_draft,
    issue_investigation_report,
    issue_management_report,
    preview_redaction,
    redactable_parties,
)
from caseflow.reports.preview import fingerprint
from caseflow.reports.verify import verify_pdf


def _pdf(data: bytes, name: str) -> Response:
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


def _report_page(case: Case, form: InvestigationReportForm, may_full: bool, plan: object) -> str:
    """Render the Report tab: the issuing form, and every report and letter issued for the case."""
    return render_template("reports/case_report.html", case=case, form=form, may_full=may_full, plan=plan,
                           issued=issued_documents(case, current_user), kind_labels=KIND_LABELS,
                           languages=LANGUAGE_NAMES)


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
    plan = None
    if form.validate_on_submit():
        redacted = form.variant.data == "redacted" or not may_full
        phrases = (form.terms.data or "").splitlines()
        choices = fingerprint(form.parties.data or [], phrases)
        if redacted and (request.form.get("action") == "preview" or form.previewed.data != choices):
            plan = preview_redaction(case, current_user, form.parties.data or [], phrases)
            form.previewed.data = choices  # issuing now issues exactly what was previewed
            return _report_page(case, form, may_full, plan), 200
        issued, data = issue_investigation_report(case, current_user, redacted=redacted,
                                                  party_ids=form.parties.data or [], extra_terms=phrases)
        return _pdf(data, f"{case.number}-report-{issued.variant.value}-{issued.report_id}.pdf")
    status = 400 if request.method == "POST" else 200
    return _report_page(case, form, may_full, plan), status


@bp.route("/cases/<number>/report/written", methods=["GET", "POST"])
@login_required
def written_report(number: str) -> ResponseReturnValue:
    """Write the investigation report as versions (the lead); review the latest one (a supervisor)."""
    case = load_case(number)
    access.require(access.can_read_report_drafts(current_user, case))
    latest = drafts.latest_draft(case)
    form = ReportDraftForm()
    stored = drafts.sections_of(latest)
    if request.method == "GET":
        for key in drafts.SECTIONS:
            form[key].data = stored.get(key, "")
    analysis = {a.id: request.form.get(f"analysis-{a.id}", "") if request.method == "POST"
                else (stored.get("analysis") or {}).get(str(a.id), "") for a in case.allegations}
    if request.method == "POST":
        access.require(access.can_write_report(current_user, case),
                       _("Only the lead investigator writes the report, during the investigation."))
        if form.validate_on_submit():
            try:
                draft = drafts.save_report_draft(case, current_user, {k: form[k].data or "" for k in drafts.SECTIONS},
                                                 analysis)
            except CaseFlowError as exc:
                uow.discard()
                flash(exc.message, "error")
            else:
                flash(_("Version %(v)s of the report saved.", v=str(draft.version)), "success")
                return redirect(url_for("reports.written_report", number=number))
    return render_template("reports/written.html", case=case, form=form, analysis=analysis, latest=latest,
                           versions=drafts.versions(case), review=ReviewForm(prefix="review"),
                           may_write=access.can_write_report(current_user, case),
                           may_review=latest is not None and latest.status.value == "draft" and
                           access.can_review_report(current_user, case, latest.author_id)), \
        (400 if request.method == "POST" else 200)


@bp.post("/cases/<number>/report/written/<int:version>/<any(approve, return):decision>")
@login_required
def review_report(number: str, version: int, decision: str) -> ResponseReturnValue:
    """Approve a version (it is issued as the signed full report, returned as PDF) or send it back."""
    case = load_case(number)
    latest = drafts.latest_draft(case)
    access.require(access.can_review_report(current_user, case, latest.author_id if latest else None),
                   _("A supervisor who did not write the report reviews it, at the reporting stage."))
    form = ReviewForm(prefix="review")
    if not form.validate_on_submit():
        abort(400)
    try:
        if decision == "approve":
            issued, data = approve_report_draft(case, current_user, version)
        else:
            drafts.return_report_draft(case, current_user, version, form.comment.data or "")
    except CaseFlowError as exc:
        uow.discard()
        flash(exc.message, "error")
        return redirect(url_for("reports.written_report", number=number))
    if decision == "approve":
        return _pdf(data, f"{case.number}-report-v{version}-approved-{issued.report_id}.pdf")
    flash(_("Version %(v)s was sent back to the lead investigator.", v=str(version)), "success")
    return redirect(url_for("reports.written_report", number=number))


def _scope(filters: DashboardFilters) -> list[tuple[str, str]]:
    office = db.session.get(Office, filters.office) if filters.office else None
    category = db.session.get(Category, filters.category) if filters.category else None
    return [(_("Period"), f"{filters.start.isoformat()} — {filters.end.isoformat()}"),
            (_("Office"), office.label if office else _("All")),
            (_("Category"), category.label if category else _("All")),
            (_("Channel"), filters.channel.label if filters.channel else _("All")),
            *([(_("Reporting unit"), unit.label)] if (unit := _unit(filters.unit)) is not None else []),
            (_("Prepared for"), f"{current_user.full_name} ({current_user.role.label})")]


def _unit(unit_id: int | None) -> ReportingUnit | None:
    return db.session.get(ReportingUnit, unit_id) if unit_id else None


@bp.post("/reports/management")
@login_required
def management_report() -> ResponseReturnValue:
    """Issue the dashboard for the posted period and filters as a management report PDF."""
    access.require(access.can_view_dashboard(current_user))
    filters = viewer_filters(current_user, request.form)
    issued, data = issue_management_report(current_user, filters, shown_figures(current_user, filters),
                                           _scope(filters))
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
