"""The reporter portal is its own app: no staff route, session or template; the staff app serves no public form."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

PUBLIC_PATHS = ["/report", "/whistleblow", "/follow-up", "/follow-up/case"]
STAFF_PREFIXES = ("/login", "/cases", "/dashboard", "/admin", "/audit", "/intake", "/api", "/reports", "/account")


def test_the_portal_has_no_staff_route_no_login_and_no_staff_template(portal_app: Flask) -> None:
    rules = {rule.rule for rule in portal_app.url_map.iter_rules()}
    assert not [r for r in rules if r.startswith(STAFF_PREFIXES)], rules
    assert {bp for bp in portal_app.blueprints} == {"portal", "reporting"}
    assert getattr(portal_app, "login_manager", None) is None  # no Flask-Login at all
    assert "csrf" not in portal_app.extensions  # no session-based CSRF: the forms carry signed tokens


def test_the_staff_app_serves_no_public_form(app: Flask, client: FlaskClient) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert not [e for e in endpoints if e.startswith(("reporting.", "portal."))]
    for path in PUBLIC_PATHS:
        assert client.get(path).status_code == 404, path


def test_the_staff_start_page_goes_to_the_sign_in(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def test_portal_pages_never_extend_the_staff_layout(portal_client: FlaskClient) -> None:
    for path in ["/", "/report", "/whistleblow", "/follow-up", "/no-such-page"]:
        html = portal_client.get(path).text
        assert "CaseFlow — complaints and investigations" not in html, path  # the staff footer
        assert "/login" not in html and "Sign out" not in html, path


def test_the_landing_page_leads_to_every_reporter_page_in_the_visitors_language(portal_client: FlaskClient) -> None:
    response = portal_client.get("/?lang=fr")
    assert response.status_code == 200
    html = response.text
    for target in ("/whistleblow?lang=fr", "/report?lang=fr", "/follow-up?lang=fr"):
        assert f'href="{target}"' in html, target
    for code in ("en", "es", "pt", "ar"):
        assert f'href="/?lang={code}"' in html
    assert 'class="staff-link" href="http://127.0.0.1:5000/"' in html  # from CASEFLOW_STAFF_URL


def test_the_staff_link_comes_from_the_configuration(portal_app: Flask, portal_client: FlaskClient,
                                                    monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setitem(portal_app.config, "CASEFLOW_STAFF_URL", "https://staff.example.internal/")
    assert 'href="https://staff.example.internal/"' in portal_client.get("/").text
    monkeypatch.setitem(portal_app.config, "CASEFLOW_STAFF_URL", "")
    assert "staff-link" not in portal_client.get("/").text


def test_portal_error_pages_use_the_public_layout(portal_client: FlaskClient, monkeypatch) -> None:  # noqa: ANN001
    missing = portal_client.get("/no-such-page?lang=ar")
    assert missing.status_code == 404 and 'dir="rtl"' in missing.text
    assert 'href="/whistleblow?lang=ar"' in missing.text and "Set-Cookie" not in missing.headers
    assert portal_client.get("/favicon.ico").status_code == 204

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr("caseflow.portal.views.render_template", broken)
    crashed = portal_client.get("/")
    assert crashed.status_code == 500 and "Traceback" not in crashed.text
    assert 'href="/follow-up' in crashed.text and "Set-Cookie" not in crashed.headers
