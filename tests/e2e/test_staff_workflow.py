"""A supervisor signs in, opens a case and moves it one state, in Debian's Chromium."""

from __future__ import annotations

import pytest

from caseflow.enums import CaseState
from caseflow.extensions import db
from caseflow.models import Case
from tests.factories import PASSWORD, make_case

pytestmark = pytest.mark.browser


def test_sign_in_open_case_and_start_triage(live_server, page, users):
    case = make_case(title="Container released for cash", subject="Karim Benali")
    page.goto(f"{live_server}/login")
    page.get_by_label("Username").fill("sara")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=case.number).click()
    assert page.get_by_role("heading", level=1).inner_text().endswith("Container released for cash")
    page.get_by_role("button", name="Start triage").click()
    assert "The case is now “Triage”" in page.locator(".flashes").inner_text()
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.TRIAGE
    # a refused step says why
    page.locator("form.transition", has_text="Dismiss").get_by_role("button", name="Dismiss").click()
    assert "Give a reason." in page.locator(".flashes").inner_text()
