"""The JSON API /api/v1: tokens, scopes, visibility, validation, JSON errors, OpenAPI kept true."""

from __future__ import annotations

import json

import sqlalchemy as sa

from caseflow.api.openapi import openapi_document
from caseflow.api.tokens import create_token, revoke_token
from caseflow.channels.outboxseal import recipient
from caseflow.enums import Channel
from caseflow.extensions import db
from caseflow.models import ApiToken, AuditEvent, Case, Note, OutboxMail
from tests import factories

COMPLAINT = {"title": "Cash demanded at the border", "description": "The officer asked for 200 euros.",
             "reporter": {"name": "Ana Lima", "email": "ana@example.org"},
             "subjects": [{"full_name": "Officer K. Brandt", "badge_number": "B-17"}]}


def _token(scopes="cases:create cases:read notes:write", name="hotline-system"):
    token, secret = create_token(name, scopes.split(), None)
    db.session.commit()
    return token, {"Authorization": f"Bearer {secret}"}


def _error(response, status, code):
    assert response.status_code == status, response.data[:300]
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]["code"] == code
    assert response.get_json()["error"]["message"]


def test_token_is_stored_hashed_and_shown_once():
    token, headers = _token()
    secret = headers["Authorization"].split()[1]
    assert secret.startswith("cf_") and len(secret) > 40
    stored = db.session.scalar(sa.select(ApiToken))
    assert secret not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64


def test_create_complaint_then_read_it_back_and_list_by_channel(client, smtp_server=None):
    category = factories.category("bribery")
    token, headers = _token()
    response = client.post("/api/v1/cases", json={**COMPLAINT, "category": category.code}, headers=headers)
    assert response.status_code == 201, response.data
    body = response.get_json()
    assert body["channel"] == "api" and body["state"] == "received" and body["category"] == "bribery"
    assert response.headers["Location"] == f"/api/v1/cases/{body['number']}"
    case = db.session.scalar(sa.select(Case))
    assert case.channel == Channel.API and case.summary == ""  # the text is stored sealed, not in clear
    from tests.factories import content_text
    assert content_text(case) == COMPLAINT["description"]
    assert [p.person.full_name for p in case.parties if p.person] == ["Officer K. Brandt"]
    ack = db.session.scalar(sa.select(OutboxMail))
    assert recipient(ack) == "ana@example.org" and case.number in ack.subject
    got = client.get(f"/api/v1/cases/{body['number']}", headers=headers)
    assert got.status_code == 200 and got.get_json()["number"] == body["number"]
    listed = client.get("/api/v1/cases?channel=api", headers=headers).get_json()
    assert [c["number"] for c in listed["items"]] == [body["number"]] and listed["total"] == 1
    assert client.get("/api/v1/cases?channel=phone", headers=headers).get_json()["items"] == []
    token = db.session.get(ApiToken, token.id)
    assert token.last_used_at is not None
    labels = set(db.session.scalars(sa.select(AuditEvent.actor_label)))
    assert "api:hotline-system" in labels


def test_anonymous_complaint_can_get_a_receipt_code(client):
    _t, headers = _token()
    response = client.post("/api/v1/cases", json={"title": "Tip", "description": "Goods waved through.",
                                                  "anonymous": True, "issue_receipt": True}, headers=headers)
    assert response.status_code == 201
    assert len(response.get_json()["receipt_code"].replace("-", "").replace(" ", "")) == 16
    assert db.session.scalar(sa.select(Case)).is_anonymous


def test_a_token_sees_only_its_own_cases_unless_read_all(client):
    other = factories.make_case(title="Phoned in")
    _t, headers = _token()
    assert client.get("/api/v1/cases", headers=headers).get_json()["total"] == 0
    _error(client.get(f"/api/v1/cases/{other.number}", headers=headers), 404, "case_not_found")
    _error(client.post(f"/api/v1/cases/{other.number}/notes", json={"body": "x"}, headers=headers),
           404, "case_not_found")
    _t2, all_headers = _token("cases:read:all", name="dashboard")
    assert client.get(f"/api/v1/cases/{other.number}", headers=all_headers).status_code == 200


def test_wrong_revoked_and_out_of_scope_tokens_are_refused(client):
    _error(client.get("/api/v1/cases"), 401, "invalid_token")
    _error(client.get("/api/v1/cases", headers={"Authorization": "Bearer cf_wrong"}), 401, "invalid_token")
    _error(client.get("/api/v1/cases", headers={"Authorization": "Basic YTpi"}), 401, "invalid_token")
    token, headers = _token("cases:read")
    _error(client.post("/api/v1/cases", json=COMPLAINT, headers=headers), 403, "insufficient_scope")
    revoke_token(token, None)
    db.session.commit()
    _error(client.get("/api/v1/cases", headers=headers), 401, "invalid_token")


def test_bad_bodies_get_json_errors_naming_the_problem(client, app):
    _t, headers = _token()
    _error(client.post("/api/v1/cases", data="{not json", content_type="application/json", headers=headers),
           400, "malformed_json")
    _error(client.post("/api/v1/cases", data="title=x", content_type="application/x-www-form-urlencoded",
                       headers=headers), 415, "unsupported_media_type")
    _error(client.post("/api/v1/cases", json=[1, 2], headers=headers), 422, "validation_failed")
    response = client.post("/api/v1/cases", json={"title": 5, "description": "", "anonymous": "yes",
                                                  "priority": "urgent", "colour": "red",
                                                  "subjects": [{"badge_number": 3}]}, headers=headers)
    _error(response, 422, "validation_failed")
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"title", "description", "anonymous", "priority", "colour", "subjects[0].full_name",
                           "subjects[0].badge_number"}
    huge = json.dumps({"title": "x", "description": "y" * (app.config["CASEFLOW_API_MAX_BYTES"] + 10)})
    _error(client.post("/api/v1/cases", data=huge, content_type="application/json", headers=headers),
           413, "payload_too_large")
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


def test_source_reference_makes_reposting_idempotent(client):
    _t, headers = _token()
    first = client.post("/api/v1/cases", json={**COMPLAINT, "source_reference": "HOT-1"}, headers=headers)
    assert first.status_code == 201
    _error(client.post("/api/v1/cases", json={**COMPLAINT, "source_reference": "HOT-1"}, headers=headers),
           409, "duplicate_source_reference")
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 1


def test_add_note_to_own_case(client):
    _t, headers = _token()
    number = client.post("/api/v1/cases", json=COMPLAINT, headers=headers).get_json()["number"]
    response = client.post(f"/api/v1/cases/{number}/notes", json={"body": "Caller rang again."}, headers=headers)
    assert response.status_code == 201
    assert "Caller rang again." in db.session.scalar(sa.select(Note.body))
    _error(client.post(f"/api/v1/cases/{number}/notes", json={}, headers=headers), 422, "validation_failed")


def test_unknown_routes_and_methods_answer_json(client):
    _t, headers = _token()
    _error(client.get("/api/v1/nothing", headers=headers), 404, "not_found")
    _error(client.delete("/api/v1/cases", headers=headers), 405, "method_not_allowed")


def test_openapi_document_describes_every_api_route(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc == json.loads(json.dumps(openapi_document()))
    described = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((path, method))
    assert routes and routes == described


def test_too_many_calls_get_a_json_429_and_other_clients_are_not_blocked(client, app, monkeypatch):
    from caseflow.extensions import limiter

    _token_row, headers = _token()
    limiter.enabled = True
    monkeypatch.setitem(app.config, "CASEFLOW_LIMIT_API", "3 per minute")
    try:
        codes = [client.get("/api/v1/cases", headers=headers).status_code for _ in range(4)]
        blocked = client.get("/api/v1/cases", headers=headers)
        other = client.get("/api/v1/cases", headers=headers, environ_base={"REMOTE_ADDR": "10.9.8.7"})
    finally:
        limiter.enabled = False
    assert codes == [200, 200, 200, 429]
    _error(blocked, 429, "rate_limited")
    assert other.status_code == 200


def test_an_unknown_filter_value_is_a_400_listing_the_allowed_values(client):
    _token_row, headers = _token()
    assert client.post("/api/v1/cases", json=COMPLAINT, headers=headers).status_code == 201
    response = client.get("/api/v1/cases?state=bogus", headers=headers)
    _error(response, 400, "invalid_filter")
    error = response.get_json()["error"]
    assert error["fields"]["state"] == "received, triage, investigation, on_hold, reporting, closed, dismissed, " \
                                       "referred, archived"
    assert "state must be one of: received, triage" in error["message"]
    for query, name in (("channel=fax", "channel"), ("priority=urgent", "priority"),
                        ("deadline=yesterday", "deadline"), ("category=abc", "category"), ("page=-2", "page")):
        response = client.get(f"/api/v1/cases?{query}", headers=headers)
        _error(response, 400, "invalid_filter")
        assert name in response.get_json()["error"]["fields"]
    assert client.get("/api/v1/cases?state=received&state_unused=", headers=headers).get_json()["total"] == 1
    assert client.get("/api/v1/cases?state=", headers=headers).get_json()["total"] == 1  # empty: no filter
    assert "invalid_filter" in json.dumps(openapi_document())
