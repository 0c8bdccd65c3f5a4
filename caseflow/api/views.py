"""Thin API views: authenticate the token, check its scope, call one operation, answer JSON."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.exceptions import HTTPException

from caseflow import access, audit, uow
from caseflow.api import bp
from caseflow.api.errors import ApiError, error_response, from_http
from caseflow.api.openapi import openapi_document
from caseflow.api.schema import case_json, parse_create, parse_note
from caseflow.api.tokens import authenticate
from caseflow.cases.queries import CaseFilters
from caseflow.channels.operations import record_api_complaint
from caseflow.enums import CaseState, Channel, Priority
from caseflow.errors import AccessDeniedError, CaseFlowError
from caseflow.extensions import db
from caseflow.inputs import MAX_INT4, json_problem, load_json, parse_int
from caseflow.intake.operations import source_reference_taken
from caseflow.models import ApiToken, Case, Note

log = logging.getLogger("caseflow.api")
PUBLIC = {"api.openapi"}
MAX_PER_PAGE = 100


@bp.before_request
def _authenticate() -> None:
    """Refuse oversize bodies; authenticate every call but the OpenAPI document."""
    limit = current_app.config.get("CASEFLOW_API_MAX_BYTES", 256 * 1024)
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, "payload_too_large", ngettext("The request body is larger than %(n)d byte.",
                                                          "The request body is larger than %(n)d bytes.", limit,
                                                          n=limit))
    if request.endpoint in PUBLIC or request.endpoint is None:
        return
    try:
        g.api_token = authenticate(request.headers.get("Authorization"))
    except AccessDeniedError as exc:
        raise ApiError(401, "invalid_token", exc.message) from None


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> ResponseReturnValue:
    uow.discard()
    return error_response(exc.status, exc.code, exc.message, exc.fields)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> ResponseReturnValue:
    uow.discard()
    return from_http(exc)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception) -> ResponseReturnValue:
    uow.discard()
    log.exception("unhandled API error on %s %s", request.method, request.endpoint)
    return error_response(500, "internal_error", _("Something went wrong on our side; nothing was saved."))


def _token() -> ApiToken:
    token: ApiToken = g.api_token
    return token


def _need(scope: str) -> ApiToken:
    token = _token()
    if not access.token_has_scope(token, scope):
        raise ApiError(403, "insufficient_scope", _("This token lacks the %(scope)s scope.", scope=scope))
    return token


def _json_body() -> dict[str, Any]:
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", _("Send the body as application/json."))
    data, problem = load_json(request.get_data())
    if problem:
        raise ApiError(400, "malformed_json", problem)
    found = json_problem(data)
    if found:
        raise ApiError(400, "bad_request", found[1], {found[0]: found[1]})
    if not isinstance(data, dict):
        raise ApiError(422, "validation_failed", _("The body must be a JSON object."))
    return data


def _case_for(token: ApiToken, number: str) -> Case:
    case = db.session.scalar(sa.select(Case).where(Case.number == number))
    if case is None or not access.token_can_view_case(token, case):
        raise ApiError(404, "case_not_found", _("No case %(number)s visible to this token.", number=number))
    return case


ENUM_FILTERS: dict[str, list[str]] = {
    "state": [s.value for s in CaseState], "channel": [c.value for c in Channel],
    "priority": [p.value for p in Priority], "deadline": ["overdue", "due_week"]}


def _bounded_args() -> dict[str, str]:
    """Return the query arguments, refusing (400) a filter value that is not one of the allowed values and a
    number that is not a whole number the database can hold; a filter never silently matches everything."""
    args = request.args.to_dict()
    for key, allowed in ENUM_FILTERS.items():
        value = args.get(key, "")
        if value and value not in allowed:
            raise ApiError(400, "invalid_filter", _("%(name)s must be one of: %(allowed)s.", name=key,
                                                    allowed=", ".join(allowed)),
                           fields={key: ", ".join(allowed)})
    for key, high in (("category", MAX_INT4), ("office", MAX_INT4), ("assignee", MAX_INT4), ("page", 100000),
                      ("per_page", MAX_INT4)):
        if key in args:
            number = parse_int(args[key], 1, high)
            if number is None:
                raise ApiError(400, "invalid_filter", ngettext("%(name)s must be a whole number from 1 to %(high)d.",
                                                               "%(name)s must be a whole number from 1 to %(high)d.",
                                                               high, name=key, high=high),
                               fields={key: _("a whole number")})
            args[key] = str(number)
    return args


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """Serve the OpenAPI 3 document of this API."""
    return jsonify(openapi_document())


@bp.post("/cases")
def create_case() -> ResponseReturnValue:
    """Create a complaint (channel api)."""
    token = _need("cases:create")
    fields = parse_create(_json_body(), token)
    ref = fields.get("source_reference")
    if ref and source_reference_taken(ref, fields.get("unit")):
        raise ApiError(409, "duplicate_source_reference",
                       _("A complaint with source reference %(ref)s was already received.", ref=ref))
    try:
        received = record_api_complaint(token, fields)
    except CaseFlowError as exc:
        raise ApiError(422, "validation_failed", exc.message) from None
    case = received.case
    body = case_json(case)
    if received.receipt:
        body["receipt_code"] = received.receipt
    return jsonify(body), 201, {"Location": f"{bp.url_prefix}/cases/{case.number}"}


@bp.get("/cases")
def list_cases() -> ResponseReturnValue:
    """List the cases this token may see, with the case list's filters."""
    token = _need("cases:read")
    args = _bounded_args()
    filters = CaseFilters.from_args(args)
    per_page = min(MAX_PER_PAGE, int(args.get("per_page", 25)))
    stmt = sa.select(Case).where(access.token_visible_cases_clause(token), *filters.conditions())
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    items = db.session.scalars(stmt.order_by(Case.received_at.desc(), Case.id.desc())
                               .limit(per_page).offset((filters.page - 1) * per_page))
    return jsonify(items=[case_json(c) for c in items], page=filters.page, per_page=per_page, total=total,
                   pages=max(1, -(-total // per_page)))


@bp.get("/cases/<case_number>")
def get_case(case_number: str) -> ResponseReturnValue:
    """Return one case this token may see."""
    token = _need("cases:read")
    case = _case_for(token, case_number)
    audit.record("api.case_read", None, case, actor_label=f"api:{token.name}")
    return jsonify(case_json(case))


@bp.post("/cases/<case_number>/notes")
def add_note(case_number: str) -> ResponseReturnValue:
    """Add a note to a case this token may see."""
    token = _need("notes:write")
    body = parse_note(_json_body())
    case = _case_for(token, case_number)
    if not access.token_can_add_note(token, case):
        raise ApiError(403, "forbidden", _("Notes cannot be added to this case."))
    note = Note(case_id=case.id, author_id=None, body=f"[{token.name}] {body}")
    db.session.add(note)
    db.session.flush()
    audit.record("note.add", None, case, {"note": note.id}, actor_label=f"api:{token.name}")
    return jsonify(id=note.id, case=case.number, created_at=note.created_at.isoformat(timespec="seconds") + "Z",
                   body=note.body), 201
