"""A visitor of the portal is never given a cookie before a receipt login (a cookie can be found on a device)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.reporting_support import form_token


def test_no_portal_get_sets_a_cookie(portal_app: Flask, portal_client: FlaskClient) -> None:
    paths = [r.rule for r in portal_app.url_map.iter_rules() if "GET" in (r.methods or set()) and "<" not in r.rule]
    paths += ["/?lang=ar", "/no-such-page", "/follow-up/files/1", "/static/caseflow.css"]
    assert "/" in paths and "/follow-up/case" in paths
    for path in paths:
        response = portal_client.get(path, follow_redirects=True)
        assert response.status_code in (200, 204, 404), (path, response.status_code)
        assert "Set-Cookie" not in response.headers, path
        assert not portal_client._cookies, path  # noqa: SLF001 - what the browser would now keep


def test_no_refused_portal_post_sets_a_cookie(portal_client: FlaskClient) -> None:
    token = form_token(portal_client.get("/follow-up").text)
    posts = {
        "/report": {}, "/whistleblow": {"what": "x"}, "/whistleblow?lang=fr": {"form_token": "forged.1.abc"},
        "/follow-up": {"form_token": token, "receipt": "1234 5678 9012 3456"},
        "/follow-up/message": {"body": "hello"}, "/follow-up/identity": {}, "/follow-up/logout": {},
    }
    for path, data in posts.items():
        response = portal_client.post(path, data=data)
        assert response.status_code in (302, 400, 401), (path, response.status_code)
        assert "Set-Cookie" not in response.headers, path
    assert not portal_client._cookies  # noqa: SLF001
