"""Thin view of the landing page."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from caseflow import access
from caseflow.mywork import bp
from caseflow.mywork.queries import my_work


@bp.get("", endpoint="index")
@login_required
def index() -> ResponseReturnValue:
    """What the signed-in member of staff has to do now: cases, deadlines, tasks, interviews, messages, queues."""
    access.require(access.can_view_my_work(current_user))
    return render_template("mywork/index.html", work=my_work(current_user))
