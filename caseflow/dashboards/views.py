"""Thin views of the dashboard, early warning and exports: parse, ask access, compute, render."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseflow import access, exports
from caseflow.cases import choices
from caseflow.cases.queries import CaseFilters
from caseflow.clock import utcnow
from caseflow.dashboards import bp, early_warning
from caseflow.dashboards.charts import svg_for
from caseflow.dashboards.figures import key_figures
from caseflow.dashboards.protect import NOISE_BOUND
from caseflow.dashboards.shown import shown_figures, viewer_filters
from caseflow.enums import Channel
from caseflow.extensions import db
from caseflow.models import Office

FORMATS = ("csv", "xlsx")


def _download(data: bytes, mime: str, name: str) -> Response:
    # content_type, not mimetype: werkzeug appends its own charset to a text mimetype (it would appear twice)
    return Response(data, content_type=mime, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@bp.get("/dashboard")
@login_required
def index() -> ResponseReturnValue:
    """Show the dashboard for the chosen period, office, category, channel and reporting unit."""
    access.require(access.can_view_dashboard(current_user))
    filters = viewer_filters(current_user, request.args)
    shown = shown_figures(current_user, filters)
    charts = {s.key: svg for s in shown if (svg := svg_for(s)) is not None}
    return render_template(
        "dashboards/index.html", filters=filters, shown=shown, charts=charts, tiles=key_figures(shown),
        exact=access.sees_exact_figures(current_user),
        threshold=current_app.config["CASEFLOW_SUPPRESSION_THRESHOLD"], noise_bound=NOISE_BOUND,
        offices=choices.office_choices()[1:], categories=choices.category_choices()[1:], channels=list(Channel),
        units=[(i, name) for i, name in choices.unit_choices()[1:]
               if filters.walled is None or i in filters.walled], generated_at=utcnow())


@bp.get("/dashboard/export.<fmt>")
@login_required
def export_dashboard(fmt: str) -> ResponseReturnValue:
    """Download the dashboard's tables, as the user sees them, as CSV or XLSX."""
    access.require(access.can_view_dashboard(current_user))
    if fmt not in FORMATS:
        abort(404)
    filters = viewer_filters(current_user, request.args)
    data, mime = exports.export_dashboard(current_user, shown_figures(current_user, filters, localise=False),
                                          filters.as_args(), fmt)
    return _download(data, mime, f"caseflow-dashboard-{filters.start}-{filters.end}.{fmt}")


@bp.get("/cases/export.<fmt>")
@login_required
def export_cases(fmt: str) -> ResponseReturnValue:
    """Download the filtered case list the user may see as CSV or XLSX."""
    access.require(access.can_export_cases(current_user))
    if fmt not in FORMATS:
        abort(404)
    filters = CaseFilters.from_args(request.args)
    data, mime = exports.export_cases(current_user, filters, fmt)
    return _download(data, mime, f"caseflow-cases-{utcnow():%Y%m%d-%H%M}.{fmt}")


@bp.get("/dashboard/early-warning")
@login_required
def early_warning_list() -> ResponseReturnValue:
    """List the subjects and offices over the early-warning thresholds."""
    access.require(access.can_view_early_warning(current_user))
    cfg = current_app.config
    return render_template("dashboards/early_warning.html", subjects=early_warning.flagged_subjects(current_user),
                           offices=early_warning.flagged_offices(current_user), cfg=cfg)


@bp.get("/dashboard/early-warning/subject")
@login_required
def early_warning_subject() -> ResponseReturnValue:
    """List the cases naming one flagged subject (?key= from the list)."""
    access.require(access.can_view_early_warning(current_user))
    key = (request.args.get("key") or "")[:220]
    cases = early_warning.subject_cases(current_user, key)
    if not cases:
        abort(404)
    label = request.args.get("name") or key[1:]
    return render_template("dashboards/early_warning_cases.html", cases=cases,
                           heading=_("Cases naming %(name)s", name=label[:200]))


@bp.get("/dashboard/early-warning/office/<int:office_id>")
@login_required
def early_warning_office(office_id: int) -> ResponseReturnValue:
    """List the recent cases of one flagged office."""
    access.require(access.can_view_early_warning(current_user))
    office = db.session.scalar(sa.select(Office).where(Office.id == office_id))
    if office is None:
        abort(404)
    return render_template("dashboards/early_warning_cases.html",
                           cases=early_warning.office_cases(current_user, office_id),
                           heading=_("Cases from %(office)s", office=office.label))
