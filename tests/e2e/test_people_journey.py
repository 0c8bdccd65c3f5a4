"""In Chromium: the investigator lands on My work with the new assignment's notice, finds a person by badge and
by plate, and opens their page; screenshots of both pages go to docs/img."""

from __future__ import annotations

from datetime import date

import pytest

from caseflow import ROOT, workflow
from caseflow.cases import operations as case_ops
from caseflow.cases.subjects import set_person_identity
from caseflow.enums import CaseState
from caseflow.extensions import db
from caseflow.investigation import operations as inv_ops
from caseflow.models import ConflictDeclaration
from caseflow.people import operations as people_ops
from tests.factories import PASSWORD, make_case, subject_party

pytestmark = pytest.mark.browser


def _sign_in(page, base, username):
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_find_a_person_by_badge_and_plate_from_my_work(live_server, page, users, clock):
    case = make_case(title="Container released for cash", subject="Samir Haddad", commit=False)
    person = subject_party(case).person
    set_person_identity(person, person.full_name, "CU-4471", "Customs officer, gate 4")
    workflow.transition_case(case, CaseState.TRIAGE, users["supervisor"])
    case_ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["investigator"].id, has_conflict=False))
    case_ops.add_allegation(case, users["supervisor"], subject_party(case), "Took 500 to release a container")
    inv_ops.add_task(case, users["supervisor"], "Secure the gate CCTV", users["investigator"].id, date(2026, 3, 1))
    inv_ops.add_task(case, users["supervisor"], "Interview the broker", users["investigator"].id, date(2026, 3, 9))
    people_ops.add_identifier(case, users["supervisor"], "plate", "12-ABC-345", person.id)
    db.session.commit()
    base = live_server

    _sign_in(page, base, "ivan")
    assert page.url.endswith("/my-work")
    assert "made you lead investigator" in page.locator("#h-notices + ul").inner_text()
    assert "Container released for cash" in page.locator("table.mywork-cases").inner_text()
    page.set_viewport_size({"width": 1200, "height": 900})
    page.screenshot(path=str(ROOT / "docs" / "img" / "my-work.png"), full_page=True)

    page.get_by_label("Find a person, badge, plate, company or phone").fill("cu 4471")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Samir Haddad").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Samir Haddad"
    assert "Took 500 to release a container" in page.locator("table.person-cases").inner_text()
    assert "12-ABC-345" in page.content()
    page.screenshot(path=str(ROOT / "docs" / "img" / "person.png"), full_page=True)

    page.goto(f"{base}/people?q=12abc345")
    assert case.number in page.content() and "Samir Haddad" in page.content()
