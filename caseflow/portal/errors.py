"""The portal's error pages: the public layout, no stack trace, no staff link, no cookie."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, Response, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from caseflow import uow
from caseflow.reporting import REPORTER_CSP

log = logging.getLogger("caseflow.portal")


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Please check the form and try again."),
        404: _("This page does not exist."),
        405: _("This action is not allowed here."),
        413: _("What you sent is too large."),
        429: _("Too many attempts. Please wait a little and try again."),
        500: _("Something went wrong on our side. Nothing you submitted was half-saved; please try again."),
        503: _("The service is temporarily unavailable. Please try again in a moment."),
    }


def render_public_error(code: int, message: str | None = None) -> ResponseReturnValue:
    """Render an error in the public layout with the reporter-page headers."""
    text = message or _messages().get(code, _messages()[500])
    response = Response(render_template("reporting/error.html", code=code, message=text), code)
    response.headers["Content-Security-Policy"] = REPORTER_CSP
    return response


def _http_error(exc: HTTPException) -> ResponseReturnValue:
    return render_public_error(exc.code or 500)


def _db_down(exc: Exception) -> ResponseReturnValue:
    uow.discard()
    log.error("database unavailable: %s", type(exc).__name__)
    return render_public_error(503)


def _unexpected(exc: Exception) -> ResponseReturnValue:
    uow.discard()
    log.error("unhandled error: %s", type(exc).__name__)  # no request line: it could date a reporter's visit
    return render_public_error(500)


def init_app(app: Flask) -> None:
    """Register the portal's error handlers."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(sa.exc.OperationalError, _db_down)
    app.register_error_handler(sa.exc.InterfaceError, _db_down)
    app.register_error_handler(Exception, _unexpected)
