"""Reporter sessions live on the server: Leave and the time limits end them, a copied cookie opens nothing,
and a reply typed too late is kept, not dropped."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from caseflow.clock import FrozenClock
from caseflow.extensions import db
from caseflow.models import ReporterMessage, ReporterSession
from tests.reporting_support import follow_up_login, receipt_of, reporter_post, submit

COOKIE = "caseflow_reporter"
SECRET_REPLY = "The second officer is the shift chief, Marko. He keeps the cash in locker 12."


def _signed_in(client: FlaskClient) -> tuple[str, str]:
    receipt = receipt_of(submit(client).text)
    assert follow_up_login(client, receipt).status_code == 302
    cookie = client.get_cookie(COOKIE, path="/follow-up")
    assert cookie is not None
    return receipt, cookie.value


def test_a_cookie_copied_before_leave_opens_nothing_after(portal_app: Flask, portal_client: FlaskClient) -> None:
    _receipt, stolen = _signed_in(portal_client)
    assert portal_client.get("/follow-up/case").status_code == 200
    page = portal_client.get("/follow-up/case").text
    token = re.search(r'follow-up/logout[^"]*"[^>]*>\s*<input type="hidden" name="form_token" value="([^"]+)"', page)
    leave = portal_client.post("/follow-up/logout", data={"form_token": token.group(1) if token else ""})
    assert leave.status_code == 302
    thief = portal_app.test_client()
    thief.set_cookie(COOKIE, stolen, path="/follow-up")
    response = thief.get("/follow-up/case")
    assert response.status_code == 302 and "ended=1" in response.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReporterSession)) == 0


def test_the_cookie_is_an_opaque_random_id_and_the_database_keeps_only_its_hash(portal_client: FlaskClient) -> None:
    _receipt, value = _signed_in(portal_client)
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", value) and "." not in value  # no signed payload to read
    row = db.session.scalars(sa.select(ReporterSession)).one()
    assert row.id_hash != value and value not in row.id_hash
    assert set(c.name for c in ReporterSession.__table__.columns) == {
        "id_hash", "submission_id", "created_on", "idle_until", "expires_at"}  # no address, no device


def test_idle_and_absolute_limits_end_the_session(portal_app: Flask, portal_client: FlaskClient,
                                                  clock: FrozenClock) -> None:
    _signed_in(portal_client)
    page = portal_client.get("/follow-up/case")
    assert "this session ends at 9:20" in page.text.replace("\u202f", " ")
    clock.advance(minutes=21)
    assert "ended=1" in portal_client.get("/follow-up/case").headers["Location"]
    _signed_in(portal_client)
    for _ in range(11):  # active every 10 minutes: idle never reached, but two hours is the most
        clock.advance(minutes=10)
        assert portal_client.get("/follow-up/case").status_code == 200
    clock.advance(minutes=10)
    assert portal_client.get("/follow-up/case").status_code == 302


def test_a_reply_typed_too_late_is_kept_and_sent_after_the_receipt_is_typed_again(
        portal_client: FlaskClient, clock: FrozenClock) -> None:
    receipt, _ = _signed_in(portal_client)
    page = portal_client.get("/follow-up/case").text
    token = re.search(r'follow-up/message[^"]*"[^>]*>\s*<input type="hidden" name="form_token" value="([^"]+)"', page)
    assert token
    clock.advance(minutes=35)  # the reporter typed for over half an hour
    late = portal_client.post("/follow-up/message", data={"form_token": token.group(1), "body": SECRET_REPLY})
    assert late.status_code == 401
    assert "was not sent" in late.text and SECRET_REPLY in late.text  # kept in the form
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReporterMessage)) == 0
    login_token = re.search(r'name="form_token" value="([^"]+)"', late.text)
    assert login_token
    back = portal_client.post("/follow-up", data={"form_token": login_token.group(1), "receipt": receipt,
                                                  "carried_body": SECRET_REPLY})
    assert back.status_code == 200 and "not sent yet" in back.text and SECRET_REPLY in back.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReporterMessage)) == 0  # the reporter decides
    assert reporter_post(portal_client, "/follow-up/message", body=SECRET_REPLY).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReporterMessage)) == 1
