"""In Chromium, without JavaScript of ours: a supervisor sorts the case list by next deadline, saves the view,
bulk-assigns three cases (refused for the one the investigator declared a conflict on) and opens a case page;
screenshots of the list and the case page go to docs/screenshots."""

from __future__ import annotations

import pytest

from caseflow import ROOT, workflow
from caseflow.cases import operations as ops
from caseflow.enums import CaseState, Priority
from caseflow.extensions import db
from caseflow.models import Case, ConflictDeclaration
from tests.factories import PASSWORD, category, make_case, make_office

pytestmark = pytest.mark.browser
SHOTS = ROOT / "docs" / "screenshots"


def _sign_in(page, base, username):
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_sort_save_a_view_and_bulk_assign(live_server, page, users, clock):
    office = make_office("North Seaport Customs House")
    titles = ["Container released for cash", "Broker paid for a faster inspection", "Seized goods went missing",
              "Overtime claimed for shifts not worked"]
    cases = []
    for i, title in enumerate(titles):
        case = make_case(title=title, office_id=office.id, category_id=category("bribery" if i % 2 else "fraud").id,
                         priority=[Priority.HIGH, Priority.MEDIUM, Priority.CRITICAL, Priority.LOW][i], commit=False)
        workflow.transition_case(case, CaseState.TRIAGE, users["supervisor"])
        cases.append(case)
        clock.advance(days=2)
    ops.assign_lead_investigator(cases[3], users["investigator2"], users["supervisor"])
    db.session.add(ConflictDeclaration(case_id=cases[1].id, user_id=users["investigator"].id, has_conflict=True,
                                       statement="My brother-in-law is the broker."))
    db.session.commit()
    base = live_server
    page.set_viewport_size({"width": 1280, "height": 900})

    _sign_in(page, base, "sara")
    page.goto(f"{base}/cases")
    page.get_by_role("link", name="Next deadline").click()
    assert "sort=deadline" in page.url
    assert page.locator("th[aria-sort]").inner_text().startswith("Next deadline")
    first_row = page.locator("table.cases tbody tr").first.inner_text()
    assert cases[0].number in first_row  # the oldest acknowledgement falls due first
    page.get_by_label("Name of the view").fill("Triage by deadline")
    page.get_by_role("button", name="Save this view").click()
    assert "View “Triage by deadline” saved." in page.locator(".flashes").inner_text()
    assert page.get_by_role("link", name="Triage by deadline", exact=True).get_attribute("aria-current") == "page"

    for case in cases[:3]:
        page.get_by_label(f"Select {case.number}").check()
    page.get_by_label("New lead investigator").select_option(label="Ivan Petrov — 0 open cases")
    page.get_by_role("button", name="Assign lead").click()
    done = page.locator("#bulk-done").inner_text()
    refused = page.locator("#bulk-refused").inner_text()
    assert cases[0].number in done and cases[2].number in done
    assert cases[1].number in refused and "declared a conflict of interest" in refused
    db.session.expire_all()
    leads = [db.session.get(Case, c.id).lead_investigator_id for c in cases[:3]]
    assert leads == [users["investigator"].id, None, users["investigator"].id]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "case-list.png"), full_page=True)

    page.get_by_role("link", name=cases[0].number).first.click()
    head = page.locator("header.case-head").inner_text()
    assert "Ivan Petrov" in head and "Next deadline" in head and "No reporter identity recorded" in head
    page.get_by_role("link", name="Show the reads").click()
    assert "kind=reads" in page.url and "Case opened" in page.locator("ol.timeline").inner_text()
    page.goto(f"{base}/cases/{cases[0].number}")
    page.screenshot(path=str(SHOTS / "case-page.png"), full_page=False)
    page.locator("header.case-head").get_by_role("link", name="Timeline").click()  # a section, without scrolling
    assert page.url.endswith("#h-timeline")
    box = page.locator("header.case-head").bounding_box()
    assert box is not None and abs(box["y"]) < 2  # the header stayed at the top
    assert page.locator("#h-timeline").bounding_box()["y"] >= box["height"] - 2  # and does not hide the heading
