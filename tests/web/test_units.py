"""Reporting units: admin pages, the portal's landing page, intake on every channel recording the unit,
refusal of named or anonymous reports by unit, the unit's own clocks."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from email.message import EmailMessage

import sqlalchemy as sa

from caseflow import deadlines
from caseflow.api.tokens import create_token
from caseflow.channels.csvimport import NAMES, import_csv
from caseflow.enums import Channel
from caseflow.extensions import db
from caseflow.models import AuditEvent, Case
from caseflow.models.units import ReportingUnit
from tests import factories
from tests.conftest import login
from tests.reporting_support import submit
from tests.unit_support import NAMES as UNIT_NAMES
from tests.unit_support import make_unit, two_units

STAFF = {"method": "phone", "taken_at": "2026-03-02 08:30", "title": "Caller reports bribe",
         "content": "The caller says officer B. asked for money at gate 2.", "priority": "medium",
         "recording_ref": "Hotline recording 2026-03-02/0830"}


def _last_case() -> Case:
    db.session.expire_all()
    return db.session.scalar(sa.select(Case).order_by(Case.id.desc()))


def _unit_form(**kw):
    data = {f"name_{code}": name for code, name in UNIT_NAMES["ethics"].items()}
    data.update({"key": "ethics", "description_en": "Gifts, conflicts of interest, outside work.",
                 "allows_named": "y", "allows_anonymous": "y"})
    data.update(kw)
    return data


# --- admin pages -------------------------------------------------------------------------------------------

def test_admin_creates_edits_and_deactivates_a_unit_and_every_change_is_audited(client, login_as, users):
    login_as(users["admin"])
    assert "No unit yet" in client.get("/admin/units/").get_data(as_text=True)
    response = client.post("/admin/units/new", data=_unit_form(
        members=[users["investigator2"].id], supervisors=[users["supervisor2"].id], ack_days="5"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    unit = db.session.scalar(sa.select(ReportingUnit).where(ReportingUnit.key == "ethics"))
    assert unit.name_ar == "مكتب الأخلاقيات" and unit.ack_days == 5 and unit.translated
    assert [u.username for u in unit.members] == ["iris"] and [u.username for u in unit.supervisors] == ["samuel"]
    page = client.get(f"/admin/units/{unit.id}").get_data(as_text=True)
    assert "Ethics Office" in page and 'value="5"' in page
    # Edit: only named reports now, a published questionnaire, Ivan added; the key cannot be changed.
    from caseflow.questionnaires.default import install_default_questionnaire

    install_default_questionnaire()
    db.session.commit()
    response = client.post(f"/admin/units/{unit.id}", data=_unit_form(
        key="hijacked", allows_anonymous="", questionnaire_key="customs",
        members=[users["investigator2"].id, users["investigator"].id], supervisors=[users["supervisor2"].id]))
    assert response.status_code == 302
    db.session.expire_all()
    unit = db.session.get(ReportingUnit, unit.id)
    assert unit.key == "ethics" and not unit.allows_anonymous and unit.questionnaire_key == "customs"
    assert {u.username for u in unit.members} == {"iris", "ivan"}
    assert client.post(f"/admin/units/{unit.id}/active", data={"active": "0"}).status_code == 302
    db.session.expire_all()
    assert not db.session.get(ReportingUnit, unit.id).active
    actions = list(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("unit.%"))
                                      .order_by(AuditEvent.seq)))
    assert actions == ["unit.create", "unit.update", "unit.deactivate"]


def test_unit_form_refuses_bad_input_with_a_message(client, login_as, users):
    login_as(users["admin"])
    for bad, message in (({"key": "Bad Key!"}, "lower-case"), ({"allows_named": "", "allows_anonymous": ""},
                                                               "named reports, anonymous reports, or both"),
                         ({"supervisors": [users["investigator"].id]}, "must be supervisors"),
                         ({"members": [users["manager"].id]}, "Members must be"),
                         ({"ack_days": "400"}, "")):
        response = client.post("/admin/units/new", data=_unit_form(**bad))
        assert response.status_code == 400, bad
        assert message in response.get_data(as_text=True)
    make_unit("ethics")
    response = client.post("/admin/units/new", data=_unit_form())
    assert response.status_code == 400 and "already exists" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportingUnit)) == 1


def test_only_administrators_reach_the_unit_pages(client, users):
    for who in ("supervisor", "manager", "auditor", "investigator"):
        login(client, users[who])
        assert client.get("/admin/units/").status_code == 403, who
        assert client.post("/admin/units/new", data=_unit_form()).status_code == 403, who
        client.post("/logout")


# --- the portal --------------------------------------------------------------------------------------------

def test_landing_page_without_units_is_as_before(portal_client):
    page = portal_client.get("/").get_data(as_text=True)
    assert "Choose who receives your report" not in page
    assert 'href="/whistleblow?lang=en"' in page and 'href="/report?lang=en"' in page


def test_landing_page_lists_active_translated_units_in_the_readers_language(portal_client, users):
    two_units(users)
    make_unit("named-only", names={c: f"Named {c}" for c in ("en", "fr", "es", "pt", "ar")},
              allows_anonymous=False)
    make_unit("half-done", names={"en": "Not translated yet"})
    closed = make_unit("closed", names={c: f"Closed {c}" for c in ("en", "fr", "es", "pt", "ar")})
    closed.active = False
    db.session.commit()
    page = portal_client.get("/?lang=ar").get_data(as_text=True)
    assert "الشؤون الداخلية" in page and "مكتب الأخلاقيات" in page
    assert "whistleblow?unit=internal-affairs" in page and "report?unit=ethics" in page
    assert "report?unit=named-only" in page and "whistleblow?unit=named-only" not in page
    assert "Not translated yet" not in page and "Closed" not in page
    french = portal_client.get("/?lang=fr").get_data(as_text=True)
    assert "Bureau de la déontologie" in french and "Affaires internes" in french


def test_both_public_forms_record_the_unit_from_the_link(portal_client, users):
    units = two_units(users)
    page = portal_client.get("/report?unit=ethics").get_data(as_text=True)
    assert 'name="unit" value="ethics"' in page and "Ethics Office" in page
    response = submit(portal_client, "/report?unit=ethics", unit="ethics",
                      **{"identity-name": "Ana Lima", "identity-contact": "ana@example.org"})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert _last_case().unit_id == units["ethics"].id and _last_case().channel == Channel.WEB
    assert submit(portal_client, "/whistleblow?unit=internal-affairs", unit="internal-affairs").status_code == 200
    assert _last_case().unit_id == units["ia"].id and _last_case().is_anonymous
    assert submit(portal_client, "/whistleblow").status_code == 200  # no unit named: no unit, as before
    assert _last_case().unit_id is None


def test_a_unit_refuses_the_kind_of_report_it_does_not_take(portal_client, users):
    make_unit("named-only", names=UNIT_NAMES["internal-affairs"], allows_anonymous=False)
    make_unit("anon-only", names=UNIT_NAMES["ethics"], allows_named=False)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Case))
    response = portal_client.get("/whistleblow?unit=named-only")
    assert response.status_code == 400
    assert "does not accept anonymous reports" in response.get_data(as_text=True)
    response = portal_client.get("/report?unit=anon-only")
    assert response.status_code == 400 and "accepts only anonymous reports" in response.get_data(as_text=True)
    # A crafted post (the form of another unit, the hidden field changed) is refused the same way.
    response = submit(portal_client, "/report", unit="anon-only", what="The director took a watch.",
                      **{"identity-name": "Ana Lima", "identity-contact": "ana@example.org"})
    assert response.status_code == 400 and "accepts only anonymous reports" in response.get_data(as_text=True)
    assert "The director took a watch." in response.get_data(as_text=True)  # what was typed is kept
    response = submit(portal_client, "/whistleblow", unit="no-such-unit")
    assert response.status_code == 400 and "no reporting unit no-such-unit" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == before


# --- staff, API, CSV, mail ---------------------------------------------------------------------------------

def test_staff_intake_chooses_the_unit(client, login_as, users, clock):
    units = two_units(users)
    login_as(users["intake"])  # an Internal Affairs intake officer
    assert 'name="unit_id"' in client.get("/intake/new").get_data(as_text=True)
    response = client.post("/intake/new", data={**STAFF, "unit_id": units["ia"].id})
    assert response.status_code == 302 and _last_case().unit_id == units["ia"].id
    # Taken for the Ethics Office: recorded there, and the recorder is sent to the list, not to a 403.
    response = client.post("/intake/new", data={**STAFF, "title": "For ethics", "unit_id": units["ethics"].id})
    assert response.status_code == 302 and response.headers["Location"].split("#")[0].endswith("/cases")
    assert _last_case().unit_id == units["ethics"].id
    assert client.get(f"/cases/{_last_case().number}").status_code == 403
    units["ethics"].allows_named = False
    db.session.commit()
    response = client.post("/intake/new", data={**STAFF, "title": "Named", "unit_id": units["ethics"].id,
                                                "reporter_name": "Ana Lima"})
    assert response.status_code == 400 and "accepts only anonymous reports" in response.get_data(as_text=True)


def test_api_takes_a_unit_field_validated_and_documented(client, users):
    units = two_units(users)
    _token, headers = create_token("hotline", ["cases:create", "cases:read"], None)
    headers = {"Authorization": f"Bearer {headers}"}
    db.session.commit()
    body = {"title": "Cash at the border", "description": "Asked for 200 euros.", "unit": "ethics"}
    response = client.post("/api/v1/cases", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["unit"] == "ethics" and _last_case().unit_id == units["ethics"].id
    response = client.post("/api/v1/cases", json={**body, "unit": "nope"}, headers=headers)
    assert response.status_code == 422 and "unit" in response.get_json()["error"]["fields"]
    units["ia"].allows_anonymous = False
    db.session.commit()
    response = client.post("/api/v1/cases", json={**body, "unit": "internal-affairs", "anonymous": True},
                           headers=headers)
    assert response.status_code == 422
    assert "anonymous" in response.get_json()["error"]["fields"]["unit"]
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert "unit" in schema["NewComplaint"]["properties"] and "unit" in schema["Case"]["properties"]


def _csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(NAMES)
    for row in rows:
        writer.writerow([row.get(h, "") for h in NAMES])
    return out.getvalue().encode()


def test_csv_import_takes_a_unit_column(users):
    units = two_units(users)
    units["ethics"].allows_named = False
    db.session.commit()
    rows = [{"source_reference": "R1", "title": "One", "description": "d", "unit": "internal-affairs"},
            {"source_reference": "R2", "title": "Two", "description": "d"},
            {"source_reference": "R3", "title": "Three", "description": "d", "unit": "ethics", "anonymous": "yes"}]
    report = import_csv(_csv(rows), None)
    assert report.created == 3, report.errors
    by_ref = {c.source_reference: c for c in db.session.scalars(sa.select(Case))}
    assert by_ref["R1"].unit_id == units["ia"].id and by_ref["R2"].unit_id is None
    assert by_ref["R3"].unit_id == units["ethics"].id
    bad = [{"source_reference": "R4", "title": "x", "description": "d", "unit": "nope"},
           {"source_reference": "R5", "title": "x", "description": "d", "unit": "ethics", "reporter_name": "Ana"}]
    report = import_csv(_csv(bad), None)
    assert report.created == 0 and {(e.line, e.column) for e in report.errors} == {(2, "unit"), (3, "unit")}


def test_each_mailbox_gives_its_unit(app, runner, dovecot, smtp_server, users, monkeypatch):
    units = two_units(users)
    box = dovecot.new_user()
    dovecot.configure(app, box)
    monkeypatch.setitem(app.config, "CASEFLOW_DEFAULT_UNIT", "ethics")
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Ana Lima <ana@example.org>", "ethics@example.gov", "A gift"
    msg["Message-ID"] = "<gift@example.org>"
    msg.set_content("The director accepted a watch from a broker.")
    dovecot.append(box, msg.as_bytes())
    result = runner.invoke(args=["caseflow", "fetch-mail"])
    assert result.exit_code == 0, result.output
    assert _last_case().unit_id == units["ethics"].id and _last_case().channel == Channel.EMAIL


# --- staff pages and clocks --------------------------------------------------------------------------------

def test_case_page_header_shows_the_unit_and_a_case_without_one_is_as_before(client, users):
    units = two_units(users)
    case = factories.make_case(unit=units["ia"])
    old = factories.make_case(title="Phone complaint before units")
    login(client, users["supervisor"])
    assert "Unit: Internal Affairs" in " ".join(client.get(f"/cases/{case.number}").get_data(as_text=True).split())
    client.post("/logout")
    login(client, users["supervisor2"])  # another unit's supervisor still sees a case with no unit
    assert client.get(f"/cases/{old.number}").status_code == 200


def test_a_unit_with_its_own_clocks_overrides_the_installations(users):
    units = two_units(users)
    units["ethics"].ack_days, units["ethics"].feedback_months = 3, 1
    db.session.commit()
    plain = factories.make_case(unit=units["ia"])
    own = factories.make_case(unit=units["ethics"])
    assert deadlines.due_dates(plain)["acknowledgement"] == plain.received_at + timedelta(days=7)
    assert deadlines.due_dates(own)["acknowledgement"] == own.received_at + timedelta(days=3)
    assert deadlines.due_dates(own)["feedback"] == deadlines.add_months(own.received_at + timedelta(days=3), 1)
    # The lists' "overdue" filter judges each case by its own unit's clock.
    later = own.received_at + timedelta(days=4)
    overdue = set(db.session.scalars(sa.select(Case.id).where(deadlines.overdue_clause(later))))
    assert own.id in overdue and plain.id not in overdue


def test_init_on_a_real_install_makes_no_unit(runner, users):
    result = runner.invoke(args=["caseflow", "init"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportingUnit)) == 0


def test_demo_cases_go_to_the_unit_of_their_kind_and_its_staff_work_them(clock):
    from caseflow.demo import load_demo
    from caseflow.models import User

    load_demo(cases=40)
    db.session.commit()
    units = {u.key: u for u in db.session.scalars(sa.select(ReportingUnit))}
    assert set(units) == {"internal-affairs", "ethics"} and all(u.translated for u in units.values())
    assert {u.username for u in units["ethics"].members} == {"eva", "emil"}
    ethics = list(db.session.scalars(sa.select(Case).where(Case.unit_id == units["ethics"].id)))
    assert ethics and db.session.scalar(sa.select(sa.func.count()).where(Case.unit_id.is_(None))) == 0
    assert {c.lead_investigator.username for c in ethics if c.lead_investigator} <= {"emil"}
    sara = db.session.scalar(sa.select(User).where(User.username == "sara"))
    from caseflow import access

    assert not any(access.can_view_case(sara, c) for c in ethics)
