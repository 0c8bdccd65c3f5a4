"""Confidential reporting: the public complaint form, the whistleblower form and the reporter follow-up."""

from __future__ import annotations

from flask import Blueprint, Response

bp = Blueprint("reporting", __name__)

# Reporter pages: nothing but our own style sheet may load; no script at all; no referrer; no framing.
REPORTER_CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
                "frame-ancestors 'none'")


@bp.after_request
def _reporter_headers(response: Response) -> Response:
    """Send the strict reporter-page policy (the app-wide hardening adds the rest)."""
    response.headers["Content-Security-Policy"] = REPORTER_CSP
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


