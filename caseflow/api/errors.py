"""JSON errors of the API: a stable code and a message, for every status, never HTML."""

from __future__ import annotations

import logging
from typing import Any

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger("caseflow.api")

CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    406: "not_acceptable", 409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type",
    422: "validation_failed", 429: "rate_limited", 500: "internal_error", 503: "unavailable",
}


class ApiError(Exception):
    """An API refusal with its HTTP status, stable code, message and optional field errors."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields


def error_response(status: int, code: str, message: str, fields: dict[str, str] | None = None) -> Response:
    """Return the JSON error body {"error": {"code", "message", "fields"?}} with its status."""
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify(error=body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="caseflow"'
    return response


def from_http(exc: HTTPException) -> Response:
    """Turn a werkzeug HTTP error into the API's JSON error."""
    status = exc.code or 500
    custom = exc.description if status == 400 and exc.description != type(exc).description else None
    return error_response(status, CODES.get(status, f"http_{status}"), str(custom or exc.name))
