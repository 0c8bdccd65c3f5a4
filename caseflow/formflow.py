"""Run one operation from a submitted staff form: redirect on success, re-render the form on refusal.

The request's unit of work commits after the redirect; a refused operation is discarded before re-rendering.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from caseflow import uow
from caseflow.errors import CaseFlowError


def run_form(form: Any, action: Callable[[], Any], success: str, target: str,
             render: Callable[[int], ResponseReturnValue]) -> ResponseReturnValue:
    """Validate a form, run one operation and redirect; on refusal re-render with the form as typed."""
    if form.validate_on_submit():
        try:
            action()
        except CaseFlowError as exc:
            uow.discard()
            flash(exc.message, "error")
            return render(409)
        flash(success, "success")
        return redirect(target)
    flash(_("Please correct the errors in the form."), "error")
    return render(400)
