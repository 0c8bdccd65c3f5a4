"""Friendly error pages: no stack trace ever reaches a browser; API paths answer JSON."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from caseflow import uow
from caseflow.extensions import login

log = logging.getLogger("caseflow")


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Please check the form and try again."),
        403: _("You do not have access to this page."),
        404: _("This page does not exist."),
        405: _("This action is not allowed here."),
        413: _("What you sent is too large."),
        429: _("Too many attempts. Please wait a little and try again."),
        500: _("Something went wrong on our side. Nothing you submitted was half-saved; please try again."),
        503: _("The service is temporarily unavailable. Please try again in a moment."),
    }


def render_error(code: int, message: str | None = None) -> ResponseReturnValue:
    """Render the error page (or JSON on /api/) for an HTTP status."""
    text = message or _messages().get(code, _messages()[500])
    if request.path.startswith("/api/"):
        from caseflow.api.errors import CODES

        return jsonify(error={"code": CODES.get(code, f"http_{code}"), "message": text}), code
    return render_template("errors/error.html", code=code, message=text), code


def _http_error(exc: HTTPException) -> ResponseReturnValue:
    code = exc.code or 500
    description = exc.description if code in (400, 403) and getattr(exc, "description", None) else None
    if description and "CSRF" in str(description):
        description = _("This form has expired or was already sent. Please reload the page and try again.")
    if code == 403 and description and description != type(exc).description:
        return render_error(code, str(description))  # a refusal that says why (access.deny)
    return render_error(code, description if code == 400 else None)


def _db_down(exc: Exception) -> ResponseReturnValue:
    uow.discard()
    log.error("database unavailable: %s", type(exc).__name__)
    g._login_user = login.anonymous_user()  # the page must not load the signed-in user from the database
    return render_error(503)


def _unexpected(exc: Exception) -> ResponseReturnValue:
    uow.discard()
    log.exception("unhandled error on %s %s", request.method, request.endpoint)
    return render_error(500)


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(sa.exc.OperationalError, _db_down)
    app.register_error_handler(sa.exc.InterfaceError, _db_down)
    app.register_error_handler(Exception, _unexpected)
