"""In Chromium: the lead writes an interview invitation in Arabic from the interview, previews it, issues it,
and downloads it from the Report tab; its Arabic text is in the PDF."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from caseflow.enums import PartyRole
from caseflow.extensions import db
from caseflow.models import Interview
from tests.attacks.case_setup import investigation_case
from tests.factories import PASSWORD
from tests.web.test_letters import SHOTS, pdf_text

pytestmark = pytest.mark.browser


def test_an_arabic_invitation_from_the_interview_to_the_report_tab(live_server, page, users, clock,
                                                                    tmp_path: Path) -> None:
    case = investigation_case(users)
    db.session.add(Interview(case_id=case.id, interviewee="Lucia Gomez", role=PartyRole.WITNESS,
                             held_at=datetime(2026, 3, 10, 10, 30), location="Headquarters, room 4"))
    db.session.commit()
    base = live_server
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill("ivan")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/cases/{case.number}/investigation/interviews")
    page.get_by_role("link", name="Write the invitation letter").click()
    assert page.get_by_label("Letter", exact=True).input_value() == "interview_invitation"
    page.get_by_label("Language of the letter").select_option("ar")
    page.get_by_role("button", name="Preview", exact=True).click()
    assert "دعوة إلى مقابلة" in page.locator(".letter-preview").inner_text()
    page.get_by_role("button", name="Issue the letter").click()
    assert "issued and kept in the case" in page.locator(".flashes").inner_text()
    row = page.locator("#issued tbody tr").first
    assert "Invitation to an interview" in row.inner_text() and "العربية" in row.inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#issued").screenshot(path=str(SHOTS / "report-tab-issued.png"))
    with page.expect_download() as download:
        row.get_by_role("link", name="Download").click()
    saved = tmp_path / "letter.pdf"
    download.value.save_as(saved)
    text = " ".join(pdf_text(saved.read_bytes(), tmp_path).split())
    assert "دعوة إلى مقابلة" in text and "Lucia Gomez" in text and case.number in text
