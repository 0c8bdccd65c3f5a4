"""HTTP hardening: security headers, HSTS behind HTTPS, no-store, cookie flags, downloads, no inline script."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from caseflow.enums import Channel
from caseflow.extensions import db
from caseflow.models import Attachment, AuditEvent
from tests.factories import make_case

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def test_security_headers_on_every_page(client):
    r = client.get("/login")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert "Strict-Transport-Security" not in r.headers  # plain HTTP: HSTS would be meaningless


def test_hsts_behind_https(client):
    r = client.get("/login", base_url="https://caseflow.example")
    assert r.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_case_pages_are_never_cached(client, users, login_as):
    case = make_case()
    login_as(users["supervisor"])
    r = client.get(f"/cases/{case.number}")
    assert r.status_code == 200 and "no-store" in r.headers["Cache-Control"]


def test_session_cookie_flags(app, client, users, monkeypatch):
    r = client.post("/login", data={"username": users["supervisor"].username, "password": "Correct-Horse-Battery-9"})
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    other = app.test_client()
    r = other.post("/login", data={"username": users["manager"].username, "password": "Correct-Horse-Battery-9"},
                   base_url="https://caseflow.example")
    assert "Secure" in r.headers["Set-Cookie"]


def test_downloads_are_attachments_not_sniffed_and_audited(client, users, login_as):
    case = make_case(channel=Channel.WHISTLEBLOWER, title="Tender rigging", is_anonymous=True,
                     content="Scanner tender rigged.", attachments=[("photo.png", PNG)])
    attachment = db.session.scalar(sa.select(Attachment).where(Attachment.case_id == case.id))
    login_as(users["supervisor"])
    r = client.get(f"/cases/{case.number}/attachments/{attachment.id}")
    assert r.status_code == 200 and r.headers["Content-Disposition"].startswith("attachment")
    assert r.headers["X-Content-Type-Options"] == "nosniff" and "no-store" in r.headers["Cache-Control"]
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "attachment.download",
                                                         AuditEvent.case_id == case.id)) is not None


def test_opening_a_case_is_audited(client, users, login_as):
    case = make_case()
    login_as(users["supervisor"])
    client.get(f"/cases/{case.number}")
    actions = list(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.case_id == case.id)))
    assert any(a in ("case.view", "case.open", "case.read") for a in actions), actions


def test_templates_have_no_inline_script_style_or_handlers():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\sstyle=\"", r"\son[a-z]+=\"", r"javascript:"):
            if re.search(pattern, text, re.IGNORECASE):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {pattern}")
    assert not offenders, offenders


def test_no_external_resources_in_templates():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", text), path
