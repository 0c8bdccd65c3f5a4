"""The public forms, the receipt, and the reporter's follow-up, seen from the reporter's browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from caseflow import crypto
from caseflow.clock import FrozenClock
from caseflow.enums import CaseState, Channel
from caseflow.extensions import db, limiter
from caseflow.models import Case, ReporterMessage, ReportSubmission
from tests.factories import category, make_office
from tests.reporting_support import IP, digits, follow_up_login, form_token, receipt_of, reporter_post, submit

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def _only_case() -> Case:
    cases = db.session.scalars(sa.select(Case)).all()
    assert len(cases) == 1
    return cases[0]


@pytest.mark.parametrize("path", ["/report", "/whistleblow", "/follow-up"])
def test_reporter_pages_set_no_cookie_and_send_strict_headers(portal_client: FlaskClient, path: str) -> None:
    response = portal_client.get(path)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Referrer-Policy"] == "no-referrer"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe" not in csp
    assert "<script" not in response.text
    assert not re.search(r'(src|href|action)="(https?:)?//', response.text)  # nothing from another origin
    assert "Sign out" not in response.text and "/cases" not in response.text  # no staff navigation


def test_language_links_keep_the_language_in_the_address(portal_client: FlaskClient) -> None:
    response = portal_client.get("/whistleblow?lang=fr")
    assert "Set-Cookie" not in response.headers
    assert 'lang="fr"' in response.text
    assert 'action="/whistleblow?lang=fr"' in response.text
    assert 'href="/follow-up?lang=fr"' in response.text
    assert 'href="/whistleblow?lang=ar"' in response.text


def test_anonymous_report_gives_a_receipt_once_and_acknowledges(portal_client: FlaskClient, clock: FrozenClock) -> None:
    office = make_office("Port of Valletta")
    response = submit(portal_client, what="The duty officer asked for 200 euros to release the container.",
                      when="2 March, night", office_id=str(office.id), category_id=str(category("bribery").id),
                      **{"involved-0-full_name": "Officer Brandt", "involved-0-badge_number": "B-17"})
    assert response.status_code == 200
    receipt = receipt_of(response.text)
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", receipt)
    assert "Set-Cookie" not in response.headers
    case = _only_case()
    assert case.channel == Channel.WHISTLEBLOWER and case.is_anonymous
    assert case.acknowledged_at == clock.now() and case.state == CaseState.RECEIVED
    assert case.office_id == office.id and case.category.code == "bribery"
    assert "200 euros" not in case.title + case.summary
    assert [p.person.full_name for p in case.parties] == ["Officer Brandt"]
    submission = db.session.scalar(sa.select(ReportSubmission))
    assert submission.receipt_hash == crypto.receipt_lookup_hash(receipt)
    assert digits(receipt) not in repr(submission.__dict__)
    assert "2 June 2026" in response.text or "June 2, 2026" in response.text  # feedback due in 3 months


def test_named_form_requires_identity_and_keeps_what_was_typed(portal_client: FlaskClient) -> None:
    response = submit(portal_client, "/report", what="Bribe at terminal B", when="Yesterday")
    assert response.status_code == 400
    assert "Give your name, or use the anonymous form." in response.text
    assert "Give a way to contact you" in response.text
    assert "Bribe at terminal B" in response.text and 'value="Yesterday"' in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0
    response = submit(portal_client, "/report", what="Bribe at terminal B", **{
        "identity-name": "Ana Reporter", "identity-contact": "+356 555 0101"})
    assert response.status_code == 200
    case = _only_case()
    assert case.channel == Channel.WEB and not case.is_anonymous and case.acknowledged_at is not None


def test_empty_description_is_refused_with_a_clear_message(portal_client: FlaskClient) -> None:
    response = submit(portal_client, what="   ", when="Monday")
    assert response.status_code == 400
    assert "Describe what happened." in response.text and 'value="Monday"' in response.text


def test_replayed_post_makes_no_second_case(portal_client: FlaskClient) -> None:
    page = portal_client.get("/whistleblow")
    data = {"form_token": form_token(page.text), "what": "Smuggling at pier 9"}
    assert portal_client.post("/whistleblow", data=data).status_code == 200
    replay = portal_client.post("/whistleblow", data=data)
    assert replay.status_code == 409
    assert "Your report was already received" in replay.text and "receipt-code" not in replay.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1


def test_expired_or_forged_form_token_is_refused(portal_client: FlaskClient, clock: FrozenClock) -> None:
    page = portal_client.get("/whistleblow")
    token = form_token(page.text)
    forged = token[:-4] + ("0000" if not token.endswith("0000") else "1111")
    assert portal_client.post("/whistleblow", data={"form_token": forged, "what": "x"}).status_code == 400
    assert portal_client.post("/report", data={"form_token": token, "what": "x", "identity-name": "A",
                                        "identity-contact": "B"}).status_code == 400  # token of another form
    clock.advance(hours=4)
    response = portal_client.post("/whistleblow", data={"form_token": token, "what": "Late report"})
    assert response.status_code == 400 and "expired" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def test_honeypot_filled_by_a_robot_creates_nothing(portal_client: FlaskClient) -> None:
    response = submit(portal_client, what="Buy cheap pills", website="http://spam.example")
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def test_wrong_or_malformed_receipt_opens_nothing_and_costs_a_hash(portal_client: FlaskClient,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    receipt = receipt_of(submit(portal_client).text)
    calls: list[str] = []
    real = crypto.receipt_lookup_hash
    monkeypatch.setattr("caseflow.reporting.operations.receipt_lookup_hash",
                        lambda code: calls.append(code) or real(code))
    wrong = "0000 0000 0000 0000" if digits(receipt) != "0" * 16 else "1111 1111 1111 1111"
    for attempt in (wrong, "12ab", "", digits(receipt)[:15]):
        response = follow_up_login(portal_client, attempt)
        assert response.status_code == 400
        assert "does not open any report" in response.text or "Type your receipt" in response.text
        assert "Set-Cookie" not in response.headers
    assert len(calls) >= 3  # a malformed code is hashed too: same cost as a real lookup
    assert portal_client.get("/follow-up/case").status_code == 302


def test_correct_receipt_opens_a_short_private_session(portal_client: FlaskClient, clock: FrozenClock) -> None:
    receipt = receipt_of(submit(portal_client, what="Seized goods resold").text)
    response = follow_up_login(portal_client, receipt.replace(" ", "-"))
    assert response.status_code == 302 and response.location.startswith("/follow-up/case")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("caseflow_reporter=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Path=/follow-up" in cookie and "Expires" not in cookie
    page = portal_client.get("/follow-up/case")
    assert page.status_code == 200
    assert "Received" in page.text and "Acknowledged on" in page.text and "Feedback due by" in page.text
    assert "June 2, 2026" in page.text
    clock.advance(minutes=21)
    expired = portal_client.get("/follow-up/case")
    assert expired.status_code == 302 and "ended=1" in expired.location
    assert "session has ended" in portal_client.get(expired.location).text


def test_status_is_told_in_plain_words(portal_client: FlaskClient) -> None:
    receipt = receipt_of(submit(portal_client).text)
    follow_up_login(portal_client, receipt)
    case = _only_case()
    for state, words in ((CaseState.TRIAGE, "Under assessment"), (CaseState.INVESTIGATION, "Under investigation"),
                         (CaseState.ON_HOLD, "Under investigation"), (CaseState.REFERRED, "passed to the body"),
                         (CaseState.CLOSED, "Closed")):
        case.state = state
        db.session.commit()
        assert words in portal_client.get("/follow-up/case").text


def test_reporter_answers_and_adds_a_file_then_leaves(portal_client: FlaskClient) -> None:
    follow_up_login(portal_client, receipt_of(submit(portal_client).text))
    response = reporter_post(portal_client, "/follow-up/message", body="He wore badge B-17.",
                             files=[(b"Shift rota: Brandt, nights\n", "rota.txt")])
    assert response.status_code == 302 and "done=message" in response.location
    page = portal_client.get(response.location)
    assert "Your message was sent." in page.text and "He wore badge B-17." in page.text
    message = db.session.scalar(sa.select(ReporterMessage))
    assert message.direction.value == "reporter" and len(message.attachments) == 1
    assert reporter_post(portal_client, "/follow-up/message", body="").status_code == 400
    leave = reporter_post(portal_client, "/follow-up/logout")
    assert leave.status_code == 302 and "caseflow_reporter=;" in leave.headers["Set-Cookie"]


def test_oversize_and_wrong_type_uploads_are_refused(portal_app: Flask, portal_client: FlaskClient,
                                                     monkeypatch: Any) -> None:
    response = submit(portal_client, files=[(b"MZ\x90\x00" + bytes(300), "evidence.pdf")])
    assert response.status_code == 400 and "not an accepted type" in response.text
    assert "choose your files again" in response.text
    monkeypatch.setitem(portal_app.config, "CASEFLOW_MAX_UPLOAD_MB", 1)
    response = submit(portal_client, files=[(b"a" * (1024 * 1024 + 10), "notes.txt")])
    assert response.status_code == 400 and "larger than 1 MB" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def test_reporter_adds_a_sealed_identity_later_once(portal_client: FlaskClient) -> None:
    follow_up_login(portal_client, receipt_of(submit(portal_client).text))
    response = reporter_post(portal_client, "/follow-up/identity", **{"identity-name": "Lena Whistle",
                                                               "identity-contact": "lena@example.org"})
    assert response.status_code == 302
    page = portal_client.get(response.location)
    assert "kept sealed" in page.text and "Lena Whistle" not in page.text
    submission = db.session.scalar(sa.select(ReportSubmission))
    assert submission.identity_blob is not None and b"Lena" not in submission.identity_blob


def test_hostile_html_is_escaped_on_every_reporter_page(portal_client: FlaskClient) -> None:
    response = submit(portal_client, what=HOSTILE, when=HOSTILE, where=HOSTILE, how_known=HOSTILE,
                      **{"involved-0-full_name": "x" * 300})  # too long: the form is shown again
    assert response.status_code == 400
    assert "<script>alert(1)" not in response.text and "&lt;script&gt;alert(1)" in response.text
    response = submit(portal_client, what=HOSTILE, when=HOSTILE, where=HOSTILE, how_known=HOSTILE,
                      **{"involved-0-full_name": HOSTILE[:200], "identity-name": HOSTILE})
    assert response.status_code == 200
    follow_up_login(portal_client, receipt_of(response.text))
    reporter_post(portal_client, "/follow-up/message", body=HOSTILE)
    page = portal_client.get("/follow-up/case")
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_rate_limits_answer_with_a_clear_message(portal_app: Flask, portal_client: FlaskClient,
                                                 monkeypatch: Any) -> None:
    limiter.enabled = True
    monkeypatch.setitem(portal_app.config, "CASEFLOW_LIMIT_FOLLOW_UP", "3 per hour")
    try:
        codes = [follow_up_login(portal_client, "1111 2222 3333 4444").status_code for _ in range(4)]
        page = portal_client.get("/follow-up")
        blocked = portal_client.post("/follow-up", data={"form_token": form_token(page.text), "receipt": "1"},
                              environ_base={"REMOTE_ADDR": IP})
        other = portal_client.post("/follow-up", data={"form_token": form_token(page.text), "receipt": "1"})
    finally:
        limiter.enabled = False
    assert codes[:3] == [400, 400, 400] and codes[3] == 429
    assert blocked.status_code == 429 and "Too many attempts" in blocked.text
    assert other.status_code == 400  # another connection is not blocked
    assert "Set-Cookie" not in blocked.headers
    assert blocked.headers["Referrer-Policy"] == "no-referrer"


def test_submissions_are_rate_limited(portal_app: Flask, portal_client: FlaskClient, monkeypatch: Any) -> None:
    limiter.enabled = True
    monkeypatch.setitem(portal_app.config, "CASEFLOW_LIMIT_REPORT", "2 per hour")
    try:
        codes = [submit(portal_client, what=f"Report {i}").status_code for i in range(3)]
    finally:
        limiter.enabled = False
    assert codes == [200, 200, 429]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 2


def test_limiter_key_is_a_keyed_digest_never_the_address(app: Flask) -> None:
    from caseflow.privacy import limiter_key

    with app.test_request_context("/follow-up", environ_base={"REMOTE_ADDR": IP}):
        key: Any = limiter_key()
    assert IP not in key and "203" not in key and len(key) == 16


def test_a_request_over_the_size_limit_gets_a_clear_reporter_page(
        portal_app: Flask, portal_client: FlaskClient, monkeypatch: Any) -> None:
    page = portal_client.get("/whistleblow")
    monkeypatch.setitem(portal_app.config, "MAX_CONTENT_LENGTH", 1024)
    response = portal_client.post("/whistleblow", data={"form_token": form_token(page.text), "what": "x" * 4000})
    assert response.status_code == 413
    assert "too large" in response.text and "Sign out" not in response.text
    assert "Set-Cookie" not in response.headers
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def test_uploads_have_their_own_limit(portal_app: Flask, portal_client: FlaskClient, monkeypatch: Any) -> None:
    limiter.enabled = True
    monkeypatch.setitem(portal_app.config, "CASEFLOW_LIMIT_UPLOAD", "1 per hour")
    try:
        first = submit(portal_client, files=[(b"one\n", "one.txt")])
        second = submit(portal_client, files=[(b"two\n", "two.txt")])
        without_files = submit(portal_client, what="No file this time")
    finally:
        limiter.enabled = False
    assert (first.status_code, second.status_code, without_files.status_code) == (200, 429, 200)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 2
