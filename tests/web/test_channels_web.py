"""Staff-entered channels, minutes, anonymous receipt, CSV upload page, API token admin, case links."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa

from caseflow.enums import CaseState, Channel
from caseflow.extensions import db
from caseflow.models import ApiToken, AuditEvent, Case, CaseLink, IntakeRecord, OutboxMail
from tests import factories

BASE = {"method": "phone", "taken_at": "2026-03-02 08:30", "title": "Caller reports bribe",
        "content": "The caller says officer B. asked for money at gate 2.", "priority": "medium"}


def _cases():
    return list(db.session.scalars(sa.select(Case).order_by(Case.id)))


def test_phone_report_with_minutes_and_signed_scan(client, login_as, users, clock):
    login_as(users["intake"])
    data = {**BASE, "reporter_name": "Ana Lima", "reporter_email": "ana@example.org",
            "minutes": "At 08:30 the caller stated that ...", "minutes_offered": "y",
            "signed_scan": (io.BytesIO(b"Signed minutes, scanned as text\n"), "minutes signed.txt")}
    response = client.post("/intake/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.data[:800]
    case = _cases()[0]
    assert case.channel == Channel.PHONE and case.received_at.strftime("%H:%M") == "08:30"
    record = db.session.scalar(sa.select(IntakeRecord))
    assert record.taken_by_id == users["intake"].id and record.minutes_offered
    assert b"At 08:30" not in record.minutes_sealed  # sealed with the case key
    assert record.minutes_signed_file == "minutes signed.txt"
    assert db.session.scalar(sa.select(OutboxMail.to_addr)) == "ana@example.org"
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Read the minutes" in page and "offered for signature" in page and users["intake"].full_name in page
    minutes = client.get(f"/intake/cases/{case.number}/minutes")
    assert minutes.status_code == 200 and "At 08:30 the caller stated" in minutes.get_data(as_text=True)
    assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "intake.minutes_view"))


def test_internal_referral_needs_the_unit_and_letter_cannot_have_minutes(client, login_as, users, clock):
    login_as(users["intake"])
    response = client.post("/intake/new", data={**BASE, "method": "internal"})
    assert response.status_code == 400 and "Name the unit" in response.get_data(as_text=True)
    response = client.post("/intake/new", data={**BASE, "method": "letter", "minutes": "x"})
    assert response.status_code == 400 and "Minutes are for oral reports" in response.get_data(as_text=True)
    response = client.post("/intake/new", data={**BASE, "method": "internal", "referring_unit": "Audit Dept."})
    assert response.status_code == 302
    case = _cases()[0]
    assert case.channel == Channel.INTERNAL
    assert "referred by Audit Dept." in client.get(f"/cases/{case.number}").get_data(as_text=True)


def test_anonymous_caller_gets_a_receipt_code_read_out(client, login_as, users, clock):
    login_as(users["intake"])
    response = client.post("/intake/new", data={**BASE, "method": "hotline", "anonymous": "y"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "Read this receipt code to the caller now" in page
    case = _cases()[0]
    assert case.is_anonymous and case.channel == Channel.HOTLINE
    from caseflow.reporting.operations import find_submission
    code = re.search(r'class="receipt-code">([^<]+)<', page).group(1)
    assert find_submission(code).case_id == case.id


def test_every_staff_channel_shows_in_the_list_filter(client, login_as, users, clock):
    login_as(users["supervisor"])
    for method in ("phone", "hotline", "letter", "walk_in", "email"):
        assert client.post("/intake/new", data={**BASE, "method": method}).status_code == 302
    for method in ("letter", "walk_in"):
        page = client.get(f"/cases?channel={method}").get_data(as_text=True)
        numbers = [c.number for c in _cases() if c.channel.value == method]
        assert len(numbers) == 1 and numbers[0] in page


def test_csv_upload_page_reports_rows_and_template_downloads(client, login_as, users):
    login_as(users["supervisor"])
    template = client.get("/intake/import/template.csv")
    assert template.status_code == 200 and template.data.startswith(b"source_reference,title,description")
    bad = b"source_reference,title,description\nR1,,x\n"
    response = client.post("/intake/import", data={"file": (io.BytesIO(bad), "c.csv"), "mode": "all"},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was written." in page and "<td>2</td><td>title</td>" in page
    good = b"source_reference,title,description\nR1,Gate 4,cash asked\n"
    response = client.post("/intake/import", data={"file": (io.BytesIO(good), "c.csv"), "mode": "all"},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and _cases()[0].channel == Channel.CSV
    client.post("/logout")
    login_as(users["intake"])
    assert client.get("/intake/import").status_code == 403


def test_admin_creates_and_revokes_an_api_token(client, login_as, users):
    login_as(users["admin"])
    response = client.post("/intake/api-tokens", data={"name": "hotline", "scopes": ["cases:create", "cases:read"]})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    token = db.session.scalar(sa.select(ApiToken))
    secret = re.search(r"<code>(cf_[^<]+)</code>", page).group(1)
    assert client.get("/api/v1/cases", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert client.post(f"/intake/api-tokens/{token.id}/revoke").status_code == 302
    assert client.get("/api/v1/cases", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert secret not in client.get("/intake/api-tokens").get_data(as_text=True)


def test_api_token_cli(runner):
    result = runner.invoke(args=["caseflow", "api-token", "create", "crm", "--scopes", "cases:read,notes:write"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith("cf_")
    assert db.session.scalar(sa.select(ApiToken.scopes)) == "cases:read notes:write"
    assert runner.invoke(args=["caseflow", "api-token", "create", "x", "--scopes", "everything"]).exit_code == 1
    assert runner.invoke(args=["caseflow", "api-token", "revoke", "crm"]).exit_code == 0
    assert "revoked" in runner.invoke(args=["caseflow", "api-token", "list"]).output


def test_likely_duplicates_at_triage_and_links_shown_on_both_cases(client, login_as, users, clock):
    office = factories.make_office()
    first = factories.make_case(title="Officer demanded cash at gate 4", subject="Karl Brandt", office_id=office.id)
    second = factories.make_case(title="Cash demanded at gate 4 by officer", subject="karl  brandt",
                                 office_id=office.id)
    unrelated = factories.make_case(title="Lost passport", office_id=None)
    login_as(users["supervisor"])
    page = client.get(f"/cases/{second.number}").get_data(as_text=True)
    assert "Likely duplicates" in page and first.number in page and unrelated.number not in page
    assert "same person complained about: karl brandt" in page
    response = client.post(f"/intake/cases/{second.number}/links",
                           data={"link-other_number": first.number, "link-kind": "duplicate_of"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(CaseLink)).kind.value == "duplicate_of"
    page = client.get(f"/cases/{second.number}").get_data(as_text=True)
    assert "Duplicate of" in page and "Likely duplicates" not in page
    other = client.get(f"/cases/{first.number}").get_data(as_text=True)
    assert "Has a duplicate" in other and second.number in other
    again = client.post(f"/intake/cases/{second.number}/links",
                        data={"link-other_number": first.number, "link-kind": "related_to"}, follow_redirects=True)
    assert "already linked" in again.get_data(as_text=True)
    link = db.session.scalar(sa.select(CaseLink))
    assert client.post(f"/intake/links/{link.id}/remove").status_code == 302
    assert db.session.scalar(sa.select(CaseLink)) is None


def test_duplicates_are_not_suggested_once_the_case_left_triage(client, login_as, users, clock):
    first = factories.make_case(title="Officer demanded cash at gate 4", subject="Karl Brandt")
    second = factories.make_case(title="Officer demanded cash at gate 4", subject="Karl Brandt")
    second.state = CaseState.CLOSED
    db.session.commit()
    login_as(users["supervisor"])
    assert "Likely duplicates" not in client.get(f"/cases/{second.number}").get_data(as_text=True)
    assert first.number
