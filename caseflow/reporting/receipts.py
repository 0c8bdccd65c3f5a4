"""What a reporter is told when a form was already received: when, and that its receipt is not shown again."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import render_template
from flask.typing import ResponseReturnValue

from caseflow.enums import Channel
from caseflow.extensions import db
from caseflow.models.intake import ReportSubmission


def received_on(case_id: int | None) -> Any:
    """Return when the report a spent form created was received (None if unknown)."""
    if case_id is None:
        return None
    return db.session.scalar(sa.select(ReportSubmission.created_at).where(ReportSubmission.case_id == case_id))


def already_received(case_id: int | None, channel: Channel) -> ResponseReturnValue:
    """Say that this form was already received (once), and that its receipt cannot be shown again."""
    return render_template("reporting/already_received.html", received_on=received_on(case_id),
                           channel=channel.value), 409
