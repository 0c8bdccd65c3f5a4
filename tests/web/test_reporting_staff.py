"""The investigators' side of a confidential report: content, thread, files, sealed identity and its reveal."""

from __future__ import annotations

import io
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient

from caseflow.clock import FrozenClock
from caseflow.extensions import db
from caseflow.models import Attachment, AuditEvent, Case, ConflictDeclaration, IdentityReveal
from tests.reporting_support import follow_up_login, png_bytes, receipt_of, reporter_post, submit

HOSTILE = '<script>alert("x")</script>'


def _report(client: FlaskClient, **fields: Any) -> tuple[Case, str]:
    response = submit(client, **fields)
    assert response.status_code == 200, response.text[:2000]
    case = db.session.scalar(sa.select(Case).order_by(Case.id.desc()))
    return case, receipt_of(response.text)


def _actions(case: Case) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.case_id == case.id)
                                   .order_by(AuditEvent.seq)))


def _assign(case: Case, lead: Any) -> None:
    case.lead_investigator_id = lead.id
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=lead.id, has_conflict=False, statement="None"))
    db.session.commit()


def test_investigator_reads_the_complaint_and_the_reading_is_audited(
        app: Any, portal_app: Any, users: dict[str, Any],
                                                                      login_as: Any) -> None:
    client = portal_app.test_client()
    case, _receipt = _report(client, what="Gate 4 officer demanded 300 EUR", **{"identity-name": "Mira Sealed"})
    _assign(case, users["investigator"])
    staff = login_as(users["investigator"])
    overview = staff.get(f"/cases/{case.number}")
    assert f'href="/cases/{case.number}/reporter"' in overview.text
    page = staff.get(f"/cases/{case.number}/reporter")
    assert page.status_code == 200
    assert "Gate 4 officer demanded 300 EUR" in page.text
    assert "Identity sealed" in page.text and "Mira Sealed" not in page.text
    assert "reporter.content_view" in _actions(case)


def test_other_investigators_and_managers_cannot_read_it(
        app: Any, portal_app: Any, users: dict[str, Any], login_as: Any) -> None:
    case, _ = _report(portal_app.test_client())
    _assign(case, users["investigator"])
    assert login_as(users["investigator2"]).get(f"/cases/{case.number}/reporter").status_code == 403
    assert login_as(users["manager"]).get(f"/cases/{case.number}/reporter").status_code == 403


def test_staff_reply_reaches_the_reporter_and_starts_feedback(
        app: Any, portal_app: Any, users: dict[str, Any], login_as: Any,
                                                              clock: FrozenClock) -> None:
    reporter = portal_app.test_client()
    case, receipt = _report(reporter)
    _assign(case, users["investigator"])
    staff = login_as(users["investigator"])
    clock.advance(days=10)
    response = staff.post(f"/cases/{case.number}/reporter/reply", data={"reply-body": "Which shift was it?"})
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.feedback_given_at == clock.now()
    first_reply_at = clock.now()
    clock.advance(days=1)
    staff.post(f"/cases/{case.number}/reporter/reply", data={"reply-body": "Thank you."})
    db.session.refresh(case)
    assert case.feedback_given_at == first_reply_at  # the first reply counts
    follow_up_login(reporter, receipt)
    page = reporter.get("/follow-up/case")
    assert "Which shift was it?" in page.text and "Investigators" in page.text and "Feedback given on" in page.text
    reporter_post(reporter, "/follow-up/message", body="The night shift.", files=[(png_bytes(), "shift.png")])
    staff_page = staff.get(f"/cases/{case.number}/reporter")
    assert "The night shift." in staff_page.text
    assert "shift.png" in staff_page.text and "Removed" in staff_page.text


def test_attachment_download_is_audited_and_safe(
        app: Any, portal_app: Any, users: dict[str, Any], login_as: Any) -> None:
    case, _ = _report(portal_app.test_client(),
                      files=[(b"Names and dates\n", "../../../../etc/cron.d/evil\x07.txt")])
    _assign(case, users["investigator"])
    staff = login_as(users["investigator"])
    page = staff.get(f"/cases/{case.number}/reporter")
    assert "evil.txt" in page.text and "../" not in page.text
    attachment_id = db.session.scalar(sa.text("SELECT id FROM attachments"))
    response = staff.get(f"/cases/{case.number}/attachments/{attachment_id}")
    assert response.status_code == 200 and response.data == b"Names and dates\n"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "evil.txt" in disposition and "/" not in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment.download" in _actions(case)
    other, _ = _report(portal_app.test_client())
    assert staff.get(f"/cases/{other.number}/attachments/{attachment_id}").status_code == 403
    _assign(other, users["investigator"])
    assert staff.get(f"/cases/{other.number}/attachments/{attachment_id}").status_code == 404


def test_revealing_identity_needs_a_reason_and_a_second_supervisor(
        app: Any, portal_app: Any, users: dict[str, Any]) -> None:
    case, _ = _report(portal_app.test_client(),
                      **{"identity-name": "Mira Sealed", "identity-contact": "mira@example.org"})
    _assign(case, users["investigator"])
    first, second = app.test_client(), app.test_client()
    for client, user in ((first, users["supervisor"]), (second, users["supervisor2"])):
        assert client.post("/login", data={"username": user.username,
                                           "password": "Correct-Horse-Battery-9"}).status_code == 302
    url = f"/cases/{case.number}/reporter"
    assert first.post(f"{url}/reveal", data={"reveal-reason": "short"}).status_code == 400
    assert first.post(f"{url}/reveal", data={"reveal-reason": "Witness protection order needs the name"}
                      ).status_code == 302
    reveal = db.session.scalar(sa.select(IdentityReveal))
    assert first.post(f"{url}/reveal/{reveal.id}", data={"decide-decision": "approve"}).status_code == 403
    assert "Mira Sealed" not in first.get(f"{url}?identity=show").text
    assert second.post(f"{url}/reveal/{reveal.id}", data={"decide-decision": "approve"}).status_code == 302
    shown = first.get(f"{url}?identity=show")
    assert "Mira Sealed" in shown.text and "mira@example.org" in shown.text
    assert "Mira Sealed" not in first.get(url).text  # shown only when asked, each time recorded
    ivan = app.test_client()
    ivan.post("/login", data={"username": users["investigator"].username, "password": "Correct-Horse-Battery-9"})
    assert "Mira Sealed" in ivan.get(f"{url}?identity=show").text  # the lead investigator
    actions = _actions(case)
    assert actions.count("identity.reveal_request") == 1 and actions.count("identity.reveal_approve") == 1
    assert actions.count("identity.view") == 2
    request_event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "identity.reveal_request"))
    assert "Witness protection" in request_event.detail and "Mira" not in request_event.detail


def test_refused_reveal_keeps_the_identity_sealed(
        app: Any, portal_app: Any, users: dict[str, Any]) -> None:
    case, _ = _report(portal_app.test_client(), **{"identity-name": "Mira Sealed"})
    first, second = app.test_client(), app.test_client()
    for client, user in ((first, users["supervisor"]), (second, users["supervisor2"])):
        client.post("/login", data={"username": user.username, "password": "Correct-Horse-Battery-9"})
    url = f"/cases/{case.number}/reporter"
    first.post(f"{url}/reveal", data={"reveal-reason": "Needed to serve a summons"})
    reveal = db.session.scalar(sa.select(IdentityReveal))
    second.post(f"{url}/reveal/{reveal.id}", data={"decide-decision": "refuse", "decide-note": "Not necessary"})
    page = first.get(f"{url}?identity=show")
    assert "Identity sealed" in page.text and "Mira Sealed" not in page.text
    assert "identity.reveal_refuse" in _actions(case)


def test_hostile_html_is_escaped_on_the_staff_pages(
        app: Any, portal_app: Any, users: dict[str, Any], login_as: Any) -> None:
    reporter = portal_app.test_client()
    case, receipt = _report(reporter, what=HOSTILE, when=HOSTILE, where=HOSTILE, how_known=HOSTILE,
                            files=[(b"text\n", HOSTILE + ".txt")], **{"involved-0-full_name": HOSTILE})
    follow_up_login(reporter, receipt)
    reporter_post(reporter, "/follow-up/message", body=HOSTILE)
    staff = login_as(users["supervisor"])
    for url in (f"/cases/{case.number}/reporter", f"/cases/{case.number}"):
        page = staff.get(url)
        assert page.status_code == 200
        assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert" in staff.get(f"/cases/{case.number}/reporter").text


def test_reporter_downloads_only_files_of_their_own_exchange(
        app: Any, portal_app: Any, users: dict[str, Any], login_as: Any) -> None:
    from caseflow.attachments import store_attachment

    reporter = portal_app.test_client()
    case, receipt = _report(reporter)
    other, _ = _report(portal_app.test_client(), files=[(b"Other case file\n", "other.txt")])
    _assign(case, users["investigator"])
    staff = login_as(users["investigator"])
    staff.post(f"/cases/{case.number}/reporter/reply", data={"reply-body": "Please fill in this form.",
                                                             "reply-files": (io.BytesIO(b"Form: ...\n"), "form.txt")},
               content_type="multipart/form-data")
    evidence = store_attachment(case, "seized-ledger.txt", b"Internal evidence\n", users["investigator"], "evidence")
    db.session.commit()
    sent = db.session.scalar(sa.select(Attachment).where(Attachment.source == "staff"))
    foreign = db.session.scalar(sa.select(Attachment).where(Attachment.case_id == other.id))
    follow_up_login(reporter, receipt)
    page = reporter.get("/follow-up/case")
    assert f"/follow-up/files/{sent.id}" in page.text and "seized-ledger" not in page.text
    download = reporter.get(f"/follow-up/files/{sent.id}")
    assert download.status_code == 200 and download.data == b"Form: ...\n"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert reporter.get(f"/follow-up/files/{evidence.id}").status_code == 404
    assert reporter.get(f"/follow-up/files/{foreign.id}").status_code == 404
    assert "seized-ledger" not in staff.get(f"/cases/{case.number}/reporter").text  # evidence lives elsewhere


def test_internal_notes_never_reach_the_reporter_and_revealed_identity_is_escaped(
        app: Any, portal_app: Any, users: dict[str, Any], login_as: Any) -> None:
    from caseflow.cases.operations import add_note
    from caseflow.reporting import operations as ops

    reporter = portal_app.test_client()
    case, receipt = _report(reporter, **{"identity-name": HOSTILE, "identity-contact": "x@example.org"})
    add_note(case, users["supervisor"], "Internal: reporter may be the cousin of the subject")
    reveal = ops.request_reveal(case, users["supervisor"], "Court order number 12/2026")
    ops.decide_reveal(reveal, users["supervisor2"], approve=True)
    db.session.commit()
    follow_up_login(reporter, receipt)
    assert "cousin of the subject" not in reporter.get("/follow-up/case").text
    shown = login_as(users["supervisor"]).get(f"/cases/{case.number}/reporter?identity=show").text
    assert "x@example.org" in shown and "<script>alert" not in shown and "&lt;script&gt;alert" in shown
