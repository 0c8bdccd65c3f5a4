"""In a real browser: Back after the receipt, then Send again, makes no second case."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from playwright.sync_api import expect

from caseflow.extensions import db
from caseflow.models import Case


def test_back_then_send_in_chromium_makes_no_second_case(portal_server: str, page: Any) -> None:
    page.goto(f"{portal_server}/whistleblow")
    page.get_by_label("What happened?").fill("The scanner at lane 3 was switched off for one truck.")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", name="Your report was received")).to_be_visible()
    page.go_back()
    page.get_by_role("button", name="Send the report").click()
    notice = page.locator("#same-report").inner_text()
    db.session.remove()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Case))
    assert count == 1, (count, notice)
    assert "The same report was received on" in notice
    assert page.get_by_label("What happened?").input_value().startswith("The scanner at lane 3")
    page.get_by_label("Send it as a new report").check()  # a different report that happens to say the same
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", name="Your report was received")).to_be_visible()
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 2
