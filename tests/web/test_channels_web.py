"""Staff-entered channels, minutes, anonymous receipt, CSV upload page, API token admin, case links."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa

from caseflow.channels.outboxseal import recipient
from caseflow.enums import CaseState, Channel
from caseflow.extensions import db
from caseflow.models import ApiToken, AuditEvent, Case, CaseLink, IntakeRecord, OutboxMail
from tests import factories

BASE = {"method": "phone", "taken_at": "2026-03-02 08:30", "title": "Caller reports bribe",
        "content": "The caller says officer B. asked for money at gate 2.", "priority": "medium",
        "recording_ref": "Hotline recording 2026-03-02/0830"}


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
    assert recipient(db.session.scalars(sa.select(OutboxMail)).one()) == "ana@example.org"
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Read the minutes" in page and "offered for signature" in page and users["intake"].full_name in page
    minutes = client.get(f"/intake/cases/{case.number}/minutes")
    assert minutes.status_code == 200 and "At 08:30 the caller stated" in minutes.get_data(as_text=True)
    assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "intake.minutes_view"))


def test_internal_referral_needs_the_unit_and_letter_cannot_have_minutes(client, login_as, users, clock):
    login_as(users["intake"])
    response = client.post("/intake/new", data={**BASE, "method": "internal", "recording_ref": ""})
    assert response.status_code == 400 and "Name the unit" in response.get_data(as_text=True)
    response = client.post("/intake/new", data={**BASE, "method": "letter", "minutes": "x", "recording_ref": ""})
    assert response.status_code == 400 and "Minutes are for oral reports" in response.get_data(as_text=True)
    response = client.post("/intake/new", data={**BASE, "method": "internal", "referring_unit": "Audit Dept.",
                                                "recording_ref": ""})
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
        oral = method in ("phone", "hotline", "walk_in")
        data = {**BASE, "method": method, "recording_ref": BASE["recording_ref"] if oral else ""}
        assert client.post("/intake/new", data=data).status_code == 302
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


def test_an_oral_report_needs_minutes_or_a_recording_reference(client, login_as, users, clock):
    login_as(users["intake"])
    for method in ("phone", "hotline", "walk_in"):
        response = client.post("/intake/new", data={**BASE, "method": method, "recording_ref": ""})
        assert response.status_code == 400, method
        assert "An oral report needs its minutes" in response.get_data(as_text=True)
    assert _cases() == []
    response = client.post("/intake/new", data={**BASE, "method": "walk_in", "recording_ref": "",
                                                "minutes": "The visitor stated that ..."})
    assert response.status_code == 302
    assert client.post("/intake/new", data={**BASE, "method": "phone"}).status_code == 302  # a recording
    record = db.session.scalars(sa.select(IntakeRecord).order_by(IntakeRecord.id)).all()[-1]
    assert record.recording_ref == "Hotline recording 2026-03-02/0830"


def test_a_letter_can_be_saved_with_its_scan_alone(client, login_as, users, clock):
    login_as(users["intake"])
    data = {**BASE, "method": "letter", "recording_ref": "", "content": "",
            "signed_scan": (io.BytesIO(b"Scanned letter text\n"), "letter.txt")}
    response = client.post("/intake/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.data[:800]
    case = _cases()[0]
    assert case.channel == Channel.LETTER
    from tests.factories import content_text
    assert "scanned letter" in content_text(case)
    empty = client.post("/intake/new", data={**BASE, "method": "letter", "recording_ref": "", "content": ""})
    assert empty.status_code == 400 and "Write down what the complainant reported" in empty.get_data(as_text=True)


def test_the_receipt_read_out_is_grouped_and_counts_as_the_acknowledgement(portal_app, client, login_as, users,
                                                                           clock):
    login_as(users["intake"])
    response = client.post("/intake/new", data={**BASE, "method": "hotline", "anonymous": "y"})
    code = re.search(r'class="receipt-code">([^<]+)<', response.get_data(as_text=True)).group(1)
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", code)
    case = _cases()[0]
    assert case.acknowledged_at == clock.now()
    caller = portal_app.test_client()  # the caller, on their own browser, on the reporter portal
    from tests.reporting_support import follow_up_login
    follow_up_login(caller, code)
    page = caller.get("/follow-up/case", environ_base={"REMOTE_ADDR": "203.0.113.77"}).get_data(as_text=True)
    after = page.split("Acknowledged on", 1)[1][:120]
    assert "—" not in after and "2026" in after


def test_the_acknowledgement_language_can_be_chosen_at_intake(client, login_as, users, clock):
    login_as(users["intake"])
    data = {**BASE, "reporter_name": "Karim Haddad", "reporter_email": "karim@example.org", "language": "ar"}
    assert client.post("/intake/new", data=data).status_code == 302
    mail = db.session.scalars(sa.select(OutboxMail)).one()
    assert mail.language == "ar" and "تم استلام الشكوى" in mail.subject
    data = {**BASE, "reporter_name": "Tom", "reporter_email": "tom@example.org", "title": "Other"}
    assert client.post("/intake/new", data=data).status_code == 302
    default = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.language != "ar"))
    assert default.language == app_default_language()


def app_default_language():
    from flask import current_app
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def test_an_admin_walls_a_token_to_a_unit_on_the_form_and_the_command(client, login_as, users, runner):
    from tests.unit_support import two_units

    two_units(users)
    login_as(users["admin"])
    page = client.get("/intake/api-tokens").get_data(as_text=True)
    assert "Ethics Office" in page and "Internal Affairs" in page  # the units to tick
    response = client.post("/intake/api-tokens", data={"name": "ethics-hotline", "scopes": ["cases:create"],
                                                         "units": ["ethics"]})
    assert response.status_code == 200
    rows = response.get_data(as_text=True).split("<tr><td>")[1:]
    row = next(r for r in rows if r.startswith("ethics-hotline")).split("</tr>")[0]
    assert "Ethics Office" in row and "every unit" not in row
    assert [u.key for u in db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "ethics-hotline")).units] \
        == ["ethics"]
    result = runner.invoke(args=["caseflow", "api-token", "create", "ia-crm", "--unit", "internal-affairs"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["caseflow", "api-token", "create", "bad", "--unit", "nowhere"]).exit_code == 1
