"""The portal's own pages: the public landing page and the favicon (the forms live in caseflow.reporting)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask.typing import ResponseReturnValue

from caseflow.i18n import current_language
from caseflow.reporting import REPORTER_CSP
from caseflow.units.operations import portal_units

bp = Blueprint("portal", __name__)


@bp.after_request
def _portal_headers(response: Response) -> Response:
    """Send the strict reporter-page policy on the portal's own pages too."""
    response.headers["Content-Security-Policy"] = REPORTER_CSP
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/")
def landing() -> ResponseReturnValue:
    """The public start page: what to do, in which language, and what is and is not recorded."""
    language = current_language().split("_")[0]
    units = [(u, u.name_in(language), u.description_in(language)) for u in portal_units()]
    return render_template("reporting/landing.html", units=units)


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """No icon: answer 204 so browsers stop asking, without a staff page or a cookie."""
    return Response(status=204)
