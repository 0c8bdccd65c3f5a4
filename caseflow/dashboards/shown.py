"""The figures a user is shown: exact for those who may see them, protected (whole months, perturbed) otherwise."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import current_app

from caseflow import access
from caseflow.dashboards.figures import Shown, present
from caseflow.dashboards.filters import DashboardFilters
from caseflow.dashboards.metrics import all_figures


def viewer_filters(user: Any, args: Any) -> DashboardFilters:
    """Return the filters asked for, periods widened to whole months for those who see protected figures."""
    filters = replace(DashboardFilters.from_args(args), walled=access.dashboard_wall(user))
    if filters.walled is not None and filters.unit not in filters.walled:
        filters = replace(filters, unit=None)  # another unit's figures are not the viewer's to narrow to
    return filters if access.sees_exact_figures(user) else filters.whole_months()


def shown_figures(user: Any, filters: DashboardFilters, localise: bool = True) -> list[Shown]:
    """Return every figure as this user may see it: exact for supervisors, perturbed (whole months) otherwise."""
    exact = access.sees_exact_figures(user)
    if not exact:
        filters = filters.whole_months()
    threshold = current_app.config["CASEFLOW_SUPPRESSION_THRESHOLD"]
    return [present(fig, exact, threshold, localise) for fig in all_figures(filters, protected=not exact)]
