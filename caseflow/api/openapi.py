"""The OpenAPI 3 document of /api/v1 (a test checks every route of the blueprint is described here)."""

from __future__ import annotations

from typing import Any

from caseflow.enums import CaseState, Channel, Priority

ERROR_CODES = ["bad_request", "malformed_json", "invalid_token", "insufficient_scope", "forbidden", "not_found",
               "case_not_found", "method_not_allowed", "payload_too_large", "unsupported_media_type",
               "validation_failed", "duplicate_source_reference", "invalid_filter", "rate_limited", "internal_error"]


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {400: "Malformed request or JSON", 401: "Missing, unknown or revoked token",
             403: "The token lacks the scope", 404: "Not found (or not visible to this token)",
             409: "Already received (source_reference)", 413: "Body too large",
             415: "Body is not application/json", 422: "Invalid fields", 429: "Too many requests"}
    return {str(c): _error(texts[c]) for c in codes}


def _string(max_length: int, **kw: Any) -> dict[str, Any]:
    return {"type": "string", "maxLength": max_length, **kw}


FILTERS = [
    {"name": "state", "in": "query", "schema": {"type": "string", "enum": [s.value for s in CaseState]}},
    {"name": "channel", "in": "query", "schema": {"type": "string", "enum": [c.value for c in Channel]}},
    {"name": "priority", "in": "query", "schema": {"type": "string", "enum": [p.value for p in Priority]}},
    {"name": "category", "in": "query", "description": "Category id", "schema": {"type": "integer"}},
    {"name": "office", "in": "query", "description": "Office id", "schema": {"type": "integer"}},
    {"name": "assignee", "in": "query", "description": "Lead investigator's user id", "schema": {"type": "integer"}},
    {"name": "deadline", "in": "query", "schema": {"type": "string", "enum": ["overdue", "due_week"]}},
    {"name": "q", "in": "query", "description": "Text search", "schema": _string(200)},
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100000}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
]
NUMBER = {"name": "case_number", "in": "path", "required": True, "description": "e.g. IA-2026-00042",
          "schema": {"type": "string", "maxLength": 32}}


def _schemas() -> dict[str, Any]:
    nullable_text = {"type": ["string", "null"]}
    return {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"], "properties": {
                "code": {"type": "string", "description": "Stable code: " + ", ".join(ERROR_CODES)},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}},
        "Case": {"type": "object", "required": ["number", "title", "state", "channel", "priority", "received_at"],
                 "properties": {
                     "number": {"type": "string"}, "title": {"type": "string"},
                     "state": {"type": "string", "enum": [s.value for s in CaseState]},
                     "channel": {"type": "string", "enum": [c.value for c in Channel]},
                     "priority": {"type": "string", "enum": [p.value for p in Priority]},
                     "category": nullable_text, "office": nullable_text,
                     "received_at": {"type": "string", "format": "date-time"},
                     "acknowledged_at": {"type": ["string", "null"], "format": "date-time"},
                     "closed_at": {"type": ["string", "null"], "format": "date-time"},
                     "incident_date": nullable_text, "is_anonymous": {"type": "boolean"},
                     "source_reference": nullable_text,
                     "unit": {"type": ["string", "null"], "description": "Key of the reporting unit it went to"},
                     "receipt_code": {"type": "string", "description": "Only on creation with issue_receipt"}}},
        "NewComplaint": {"type": "object", "required": ["title", "description"], "additionalProperties": False,
                         "properties": {
                             "title": _string(200, minLength=1), "description": _string(20000, minLength=1),
                             "category": _string(40, description="Category code, e.g. bribery"),
                             "office": _string(40, description="Office code"),
                             "priority": {"type": "string", "enum": [p.value for p in Priority]},
                             "incident_date": _string(80), "location": _string(200),
                             "anonymous": {"type": "boolean"},
                             "issue_receipt": {"type": "boolean",
                                               "description": "Return a receipt code for the reporter, once"},
                             "source_reference": _string(120, description="Your id: re-posting it is refused"),
                             "unit": _string(40, description="Key of the reporting unit that receives it (an "
                                             "active unit that accepts named, or anonymous, reports as this one "
                                             "is); omitted: the token's unit if it is walled to one, else the "
                                             "installation's default unit, if any; a token walled to units "
                                             "files only in them"),
                             "reporter": {"type": "object", "additionalProperties": False, "properties": {
                                 "name": _string(200), "email": _string(320), "phone": _string(60)}},
                             "subjects": {"type": "array", "maxItems": 20, "items": {
                                 "type": "object", "required": ["full_name"], "additionalProperties": False,
                                 "properties": {"full_name": _string(200, minLength=1),
                                                "badge_number": _string(40), "position": _string(120)}}}}},
        "NewNote": {"type": "object", "required": ["body"], "additionalProperties": False,
                    "properties": {"body": _string(20000, minLength=1)}},
        "Note": {"type": "object", "properties": {"id": {"type": "integer"}, "case": {"type": "string"},
                                                  "created_at": {"type": "string"}, "body": {"type": "string"}}},
        "CaseList": {"type": "object", "required": ["items", "page", "per_page", "total", "pages"], "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Case"}},
            "page": {"type": "integer"}, "per_page": {"type": "integer"}, "total": {"type": "integer"},
            "pages": {"type": "integer"}}},
    }


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def openapi_document() -> dict[str, Any]:
    """Return the OpenAPI 3.1 description of the CaseFlow API."""
    secured: list[dict[str, list[str]]] = [{"bearerAuth": []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "CaseFlow API", "version": "1.0.0",
                 "description": "Create complaints, read the cases a token may see, add notes. Authenticate "
                                "with `Authorization: Bearer <token>`; tokens are created by administrators "
                                "per integration with scopes cases:create, cases:read, cases:read:all, "
                                "notes:write. Errors are JSON: {\"error\": {\"code\", \"message\"}}."},
        "servers": [{"url": "/api/v1"}],
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
                       "schemas": _schemas()},
        "paths": {
            "/openapi.json": {"get": {"operationId": "openapi", "summary": "This document", "security": [],
                                      "responses": {"200": {"description": "OpenAPI document",
                                                            "content": {"application/json": {"schema": {
                                                                "type": "object"}}}}}}},
            "/cases": {
                "get": {"operationId": "listCases", "summary": "List visible cases (scope cases:read)",
                        "description": "A filter value outside its enum, or a non-integer id, is refused with "
                                       "400 invalid_filter; fields names the filter and its allowed values.",
                        "security": secured, "parameters": FILTERS,
                        "responses": {"200": {"description": "A page of cases", "content": _json("CaseList")},
                                      **_errors(400, 401, 403, 429)}},
                "post": {"operationId": "createComplaint", "summary": "Create a complaint (scope cases:create)",
                         "security": secured,
                         "requestBody": {"required": True, "content": _json("NewComplaint")},
                         "responses": {"201": {"description": "Created", "content": _json("Case")},
                                       **_errors(400, 401, 403, 409, 413, 415, 422, 429)}}},
            "/cases/{case_number}": {
                "get": {"operationId": "getCase", "summary": "One visible case (scope cases:read)",
                        "security": secured, "parameters": [NUMBER],
                        "responses": {"200": {"description": "The case", "content": _json("Case")},
                                      **_errors(401, 403, 404, 429)}}},
            "/cases/{case_number}/notes": {
                "post": {"operationId": "addNote", "summary": "Add a note (scope notes:write)",
                         "security": secured, "parameters": [NUMBER],
                         "requestBody": {"required": True, "content": _json("NewNote")},
                         "responses": {"201": {"description": "Added", "content": _json("Note")},
                                       **_errors(400, 401, 403, 404, 413, 415, 422, 429)}}},
        },
    }
