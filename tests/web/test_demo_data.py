"""The demo data exercises every table of the dashboard, and nothing in it is dated after today."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from caseflow.clock import utcnow
from caseflow.dashboards import early_warning, metrics
from caseflow.dashboards.filters import DashboardFilters
from caseflow.demo import load_demo
from caseflow.extensions import db
from caseflow.models import Allegation, Case, User


def test_demo_gives_feedback_hears_back_decides_sanctions_and_flags_repeat_subjects(app: Any, clock: Any) -> None:
    load_demo(cases=120)
    db.session.commit()
    now = utcnow()
    assert db.session.scalar(sa.select(sa.func.count()).where(Case.received_at > now)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).where(Allegation.finding_at > now)) == 0
    for column in (Case.acknowledged_at, Case.triaged_at, Case.feedback_given_at, Case.closed_at):
        assert db.session.scalar(sa.select(sa.func.count()).where(column > now)) == 0
    f = DashboardFilters(start=date(2024, 1, 1), end=now.date())
    figures = {fig.key: fig for fig in metrics.all_figures(f)}
    feedback_met, feedback_late = figures["compliance"].values[2][1:3]
    assert (feedback_met or 0) > 0 and (feedback_late or 0) >= 0
    assert (figures["follow_up"].values[0][1] or 0) > 0  # anonymous reporters came back
    assert sum(int(v[0] or 0) for v in figures["sanctions"].values[:-1]) > 0  # sanctions decided
    supervisor = db.session.scalar(sa.select(User).where(User.username == "sara"))
    assert early_warning.flagged_subjects(supervisor)  # the same people, with the same badges, come up again
