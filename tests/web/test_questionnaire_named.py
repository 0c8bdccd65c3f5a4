"""A named report through a unit's questionnaire: its steps, then the identity, sealed as on the named form."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient

from caseflow.extensions import db
from caseflow.models import Case, ReportSubmission
from tests.questionnaire_support import customs_to_last_step, hidden, install_customs, q, step
from tests.reporting_support import receipt_of

NAMES = {"en": "Integrity", "fr": "Intégrité", "es": "Integridad", "pt": "Integridade", "ar": "النزاهة"}
NAMED = "?unit=integrity&named=1"


def _unit(users: dict[str, Any], allows_named: bool = True, allows_anonymous: bool = True) -> Any:
    from caseflow.units.operations import UnitFields, create_unit

    install_customs()
    unit = create_unit(UnitFields(key="integrity", names=NAMES, allows_named=allows_named,
                                  allows_anonymous=allows_anonymous, questionnaire_key="customs",
                                  member_ids=[users["investigator"].id], supervisor_ids=[users["supervisor"].id]),
                       None)
    db.session.commit()
    return unit


def _identity_page(client: FlaskClient) -> Any:
    last = customs_to_last_step(client, NAMED, declared="no", step2={q("Customs office or port"): "North Seaport"})
    assert "Step 4 of 5" in last.text and 'value="send"' not in last.text  # Send is on the identity step
    page = step(client, last)
    assert page.status_code == 200 and "Step 5 of 5" in page.text and 'name="identity-name"' in page.text
    return page


def _cases() -> int:
    return db.session.scalar(sa.select(sa.func.count(Case.id))) or 0


def test_the_landing_page_leads_a_named_reporter_into_the_units_questionnaire(portal_client, users):
    _unit(users)
    landing = portal_client.get("/?lang=en").text.replace("&amp;", "&")
    assert re.search(r'href="/questionnaire/customs\?[^"]*named=1', landing)
    intro = portal_client.get(f"/questionnaire/customs{NAMED}")
    assert intro.status_code == 200 and "This report has 5 steps" in intro.text
    assert "The last step asks your name" in intro.text


def test_a_named_questionnaire_report_seals_the_identity_and_staff_see_the_answers(portal_client, users, login_as):
    unit = _unit(users)
    page = _identity_page(portal_client)
    sent = step(portal_client, page, action="send", **{"identity-name": "Amal Haddad",
                                                        "identity-contact": "+216 555 0101",
                                                        "identity-relationship": "trader"})
    assert sent.status_code == 200 and receipt_of(sent.text), sent.text[-800:]
    case = db.session.scalar(sa.select(Case))
    assert case.unit_id == unit.id and not case.is_anonymous and case.channel.value == "web"
    staff = login_as(users["supervisor"]).get(f"/cases/{case.number}/reporter").text
    assert "Identity sealed" in staff and "Amal Haddad" not in staff  # reveal rules unchanged
    assert "North Seaport" in staff and "What kind of wrongdoing?" in staff  # the structured answers


def test_a_missing_name_or_contact_marks_its_field_and_keeps_the_answers(portal_client, users):
    _unit(users)
    page = _identity_page(portal_client)
    refused = step(portal_client, page, action="send", **{"identity-name": "", "identity-contact": " "})
    assert refused.status_code == 400 and _cases() == 0
    name = re.search(r'<input[^>]*name="identity-name"[^>]*>', refused.text).group(0)
    contact = re.search(r'<input[^>]*name="identity-contact"[^>]*>', refused.text).group(0)
    assert "autofocus" in name and 'aria-invalid="true"' in contact and "autofocus" not in contact
    assert "Give your name, or use the anonymous form." in refused.text
    assert "Give a way to contact you" in refused.text
    # Back from the identity step, then Next: the answers and what was typed are still there.
    typed = step(portal_client, refused, action="back", **{"identity-name": "Amal Haddad", "identity-contact": ""})
    assert typed.status_code == 200 and "Step 4 of 5" in typed.text
    again = step(portal_client, typed)
    assert "Step 5 of 5" in again.text and 'value="Amal Haddad"' in again.text


def test_a_unit_taking_anonymous_reports_only_refuses_a_named_questionnaire_report(portal_client, users):
    _unit(users, allows_named=False)
    landing = portal_client.get("/?lang=en").text
    assert "named=1" not in landing
    intro = portal_client.get(f"/questionnaire/customs{NAMED}")
    assert intro.status_code == 400 and "/start" not in intro.text
    crafted = portal_client.post(f"/questionnaire/customs/start{NAMED}")  # a crafted Start
    assert crafted.status_code == 400 and 'name="draft"' not in crafted.text and _cases() == 0


def test_a_unit_closed_to_named_reports_after_the_start_refuses_the_send(portal_client, users):
    unit = _unit(users)
    page = _identity_page(portal_client)
    unit.allows_named = False
    db.session.commit()
    sent = step(portal_client, page, action="send", **{"identity-name": "Amal Haddad",
                                                        "identity-contact": "+216 555 0101"})
    assert sent.status_code == 400 and 'id="receipt-code"' not in sent.text and _cases() == 0


def test_an_identity_step_posted_on_an_anonymous_draft_is_not_taken(portal_client, users):
    _unit(users)
    last = customs_to_last_step(portal_client, "?unit=integrity", declared="no")
    crafted = portal_client.post("/questionnaire/customs/step?unit=integrity&named=1", data={
        "draft": hidden(last.text, "draft"), "step": "identity", "action": "send",
        "identity-name": "Amal Haddad", "identity-contact": "+216 555 0101"})
    assert crafted.status_code == 400 and _cases() == 0


def test_a_replayed_send_of_the_identity_step_makes_no_second_case(portal_client, users):
    _unit(users)
    page = _identity_page(portal_client)
    data = {"draft": hidden(page.text, "draft"), "step": "identity", "action": "send",
            "form_token": hidden(page.text, "form_token"),
            "identity-name": "Amal Haddad", "identity-contact": "+216 555 0101"}
    url = "/questionnaire/customs/step?unit=integrity&named=1"
    first = portal_client.post(url, data=data)
    assert first.status_code == 200 and receipt_of(first.text)
    for _ in range(2):  # Back then Send with the same page, then a reload of the receipt page
        again = portal_client.post(url, data=data)
        assert again.status_code == 409 and 'id="receipt-code"' not in again.text
    assert _cases() == 1


def test_a_database_copy_holds_no_identity_of_a_named_questionnaire_report(portal_client, users):
    _unit(users)
    page = _identity_page(portal_client)
    typed = step(portal_client, page, action="back", **{"identity-name": "Zeineb Trabelsi",
                                                        "identity-contact": "zeineb.trabelsi@example.org"})
    page = step(portal_client, typed)
    drafts = db.session.execute(sa.text("SELECT * FROM answer_drafts")).all()
    assert drafts and not any(b"Trabelsi" in repr(row).encode() for row in drafts)  # the draft is sealed too
    sent = step(portal_client, page, action="send", **{"identity-name": "Zeineb Trabelsi",
                                                        "identity-contact": "zeineb.trabelsi@example.org"})
    assert receipt_of(sent.text)
    assert db.session.scalar(sa.select(ReportSubmission.identity_blob)) is not None
    for table in ("cases", "report_submissions", "case_answers", "answer_drafts", "audit_events", "people"):
        for row in db.session.execute(sa.text(f"SELECT * FROM {table}")).all():  # noqa: S608
            raw = repr(row).encode()
            assert b"Trabelsi" not in raw and b"zeineb" not in raw.lower(), table


def test_two_simultaneous_sends_of_the_identity_step_make_one_case_and_no_500(app, users):
    """A double click on Send of a named report: one receipt, one "already received", never an error page."""
    import threading

    from tests.served_portal import call, served_portal

    _unit(users)
    fields = {q("What happened?"): "Cash asked at lane 2 to release the container.",
              q("What kind of wrongdoing?"): "bribe",
              q("Does it concern a customs declaration or a consignment?"): "no"}
    office = q("Customs office or port")
    db.session.remove()

    def post(page: str, answers: dict, action: str = "next") -> tuple[str, dict]:
        target = re.search(r'<form method="post" action="([^"]+/step[^"]*)"', page).group(1).replace("&amp;", "&")
        data = {"draft": hidden(page, "draft"), "step": hidden(page, "step"), "action": action, **answers}
        if 'name="form_token"' in page:
            data["form_token"] = hidden(page, "form_token")
        return target, data

    with served_portal(app, workers=2, CASEFLOW_LIMIT_REPORT="100 per hour") as (port, log):
        intro = call(port, "GET", f"/questionnaire/customs{NAMED}")[1]
        start = re.search(r'action="([^"]+/start[^"]*)"', intro).group(1).replace("&amp;", "&")
        page = call(port, "POST", start, {})[1]
        for answers in (fields, {office: "North Seaport"}, {}, {}):
            page = call(port, "POST", *post(page, answers))[1]
        assert 'name="identity-name"' in page
        target, data = post(page, {"identity-name": "Amal Haddad", "identity-contact": "+216 555 0101"}, "send")
        barrier, results = threading.Barrier(2), []

        def send() -> None:
            barrier.wait()
            results.append(call(port, "POST", target, data)[:2])

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        text = log.read_text()
    assert sorted(status for status, _ in results) == [200, 409], [s for s, _ in results]
    assert "Traceback" not in text
    db.session.remove()
    assert _cases() == 1


def test_the_named_form_address_of_a_unit_with_a_questionnaire_leads_into_its_steps(portal_client, users):
    _unit(users)
    # A link or bookmark to the fixed named form would skip the unit's questions: it leads into them instead.
    response = portal_client.get("/report?unit=integrity&lang=fr")
    assert response.status_code == 302
    target = response.headers["Location"]
    assert target.startswith("/questionnaire/customs?") and "named=1" in target and "unit=integrity" in target
    assert "lang=fr" in target
    intro = portal_client.get(target)
    assert intro.status_code == 200 and 'name="identity-name"' not in intro.text
    # The anonymous form stays a choice beside the questionnaire, as the landing page offers both.
    assert portal_client.get("/whistleblow?unit=integrity").status_code == 200


def test_the_fixed_named_form_stays_for_a_unit_whose_questionnaire_is_withdrawn(portal_client, users):
    from caseflow.models.questionnaires import Questionnaire, QuestionnaireStatus

    _unit(users)
    db.session.execute(sa.update(Questionnaire).where(Questionnaire.key == "customs")
                       .values(status=QuestionnaireStatus.RETIRED))
    db.session.commit()
    page = portal_client.get("/report?unit=integrity")
    assert page.status_code == 200 and 'name="identity-name"' in page.text


def test_a_crafted_post_to_the_fixed_named_form_cannot_skip_the_units_questions(portal_client, users):
    from tests.reporting_support import submit

    _unit(users)
    refused = submit(portal_client, "/report", unit="integrity", **{"identity-name": "Amal Haddad",
                                                                     "identity-contact": "+216 555 0101"})
    assert refused.status_code == 400 and "step by step" in refused.text and _cases() == 0


def test_a_post_without_a_unit_field_keeps_the_unit_of_its_address(portal_client, users):
    from caseflow.units.operations import UnitFields, create_unit
    from tests.reporting_support import form_token

    create_unit(UnitFields(key="anon-only", names=dict.fromkeys(("en", "fr", "es", "pt", "ar"), "Anon"),
                           allows_named=False), None)
    db.session.commit()
    # The form's hidden unit removed, the address still names a unit that takes no named report: refused,
    # not filed under the default (no unit).
    token = form_token(portal_client.get("/report").text)
    refused = portal_client.post("/report?unit=anon-only", data={
        "form_token": token, "what": "Cash was asked at gate 9.", "identity-name": "Amal Haddad",
        "identity-contact": "+216 555 0101"})
    assert refused.status_code == 400 and _cases() == 0
