"""A case from triage to closure in Chromium: triage record, declaration, plan, task, interview, evidence
with custody, finding, reporting, and the supervisor closes it."""

from __future__ import annotations

import pytest

from caseflow.cases import operations as case_ops
from caseflow.enums import CaseState
from caseflow.extensions import db
from caseflow.models import Case
from tests.factories import PASSWORD, category, subject_party
from tests.workspace_helpers import triage_case

pytestmark = pytest.mark.browser


def _sign_in(page, base, username):
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _flash(page):
    return page.locator(".flashes").inner_text()


def test_triage_to_closure(live_server, page, users, clock):
    case = triage_case(users, title="Container released for cash", category_id=category().id)
    case_ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    case_ops.add_allegation(case, users["supervisor"], subject_party(case), "Took 500 to release a container")
    db.session.commit()
    base = live_server

    # The supervisor records the triage assessment and opens the investigation from the triage record.
    _sign_in(page, base, "sara")
    page.goto(f"{base}/cases/{case.number}")
    page.get_by_role("link", name="Investigation", exact=True).click()
    page.get_by_role("link", name="Triage record").click()
    page.get_by_label("Admissible").select_option("yes")
    page.get_by_label("Priority").select_option("high")
    page.get_by_label("Risk of retaliation to the reporter").select_option("medium")
    page.get_by_role("button", name="Open investigation").click()
    assert "The case is now “Investigation”" in _flash(page)
    page.get_by_role("button", name="Sign out").click()

    # The lead investigator must declare (no) conflict of interest before the case opens.
    _sign_in(page, base, "ivan")
    page.goto(f"{base}/cases/{case.number}")
    assert "Declaration of interests" in page.get_by_role("heading", level=1).inner_text()
    page.get_by_label("No: I have no personal").check()
    page.get_by_role("button", name="Submit my declaration").click()
    assert "declaration of no conflict" in _flash(page)

    # Plan and a task.
    page.get_by_role("link", name="Investigation", exact=True).click()
    page.locator("#plan-body").fill("1. Interview the broker.\n2. Secure the gate CCTV.")
    page.get_by_role("button", name="Save plan").click()
    assert "Plan saved." in _flash(page)
    page.locator("#task-title").fill("Request the CCTV export")
    page.locator("#task-owner_id").select_option(label="Ivan Petrov")
    page.locator("#task-due_date").fill("2026-03-10")
    page.get_by_role("button", name="Add task").click()
    assert "Request the CCTV export" in page.locator("section:has(#h-tasks)").inner_text()
    page.locator("tr", has_text="Request the CCTV export").get_by_role("button", name="Mark done").click()
    assert "Task updated." in _flash(page)

    # An interview with the signed statement.
    page.get_by_role("link", name="Interviews").click()
    page.locator("#iv-interviewee").fill("Paul Broker")
    page.locator("#iv-role").select_option("witness")
    page.locator("#iv-held_at").fill("2026-03-01T10:30")
    page.locator("#iv-location").fill("Interview room 4")
    page.locator("#iv-summary").fill("Saw the officer take an envelope.")
    page.locator("#iv-statement").set_input_files(
        files=[{"name": "statement.txt", "mimeType": "text/plain", "buffer": b"I saw the envelope. P. Broker\n"}])
    page.get_by_role("button", name="Record interview").click()
    assert "Interview recorded." in _flash(page)
    assert "statement.txt" in page.locator("article.interview").inner_text()

    # Evidence with its chain of custody and an integrity check.
    page.get_by_role("link", name="Evidence").click()
    page.locator("#ev-description").fill("Gate CCTV export, 14:00-15:00")
    page.locator("#ev-source").fill("Port security office")
    page.locator("#ev-upload").set_input_files(
        files=[{"name": "cctv-log.txt", "mimeType": "text/plain", "buffer": b"frame index 1..3600\n"}])
    page.get_by_role("button", name="Register evidence").click()
    page.get_by_role("link", name=f"{case.number}-E01").click()
    page.locator("#ho-to_holder").fill("Forensic laboratory")
    page.locator("#ho-occurred_at").fill("2026-03-02T09:00")
    page.locator("#ho-reason").fill("Frame-by-frame analysis")
    page.get_by_role("button", name="Record hand-over").click()
    custody = page.locator("ol.custody").inner_text()
    assert "Port security office → Ivan Petrov" in custody and "Ivan Petrov → Forensic laboratory" in custody
    page.get_by_role("button", name="Re-check the file hash").click()
    assert "matches its recorded SHA-256" in _flash(page)

    # The finding, then reporting.
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("link", name="Record finding").click()
    page.get_by_label("Finding").select_option("sustained")
    page.get_by_label("Reasoning").fill("CCTV and the broker's statement agree.")
    page.get_by_label("Recommended sanction").select_option("suspension")
    page.get_by_role("button", name="Record finding").click()
    page.get_by_role("link", name="Written report").click()
    page.get_by_label("Background").fill("A broker reported cash taken at the gate.")
    page.get_by_label("Conclusions").fill("The CCTV and the broker's statement agree.")
    page.get_by_role("button", name="Save as a new version").click()
    assert "Version 1 of the report saved." in _flash(page)
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("button", name="Submit for reporting").click()
    assert "The case is now “Reporting”" in _flash(page)
    page.get_by_role("button", name="Sign out").click()

    # The supervisor closes the case.
    _sign_in(page, base, "sara")
    page.goto(f"{base}/cases/{case.number}/report/written")
    with page.expect_download() as download:  # approving issues the signed report
        page.get_by_role("button", name="Approve version 1 and issue it (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.goto(f"{base}/cases/{case.number}")
    close = page.locator("form.transition", has_text="Close case")
    close.get_by_label("Outcome").fill("Sustained; suspension recommended to the disciplinary board.")
    close.get_by_role("button", name="Close case").click()
    assert "The case is now “Closed”" in _flash(page)
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.CLOSED
