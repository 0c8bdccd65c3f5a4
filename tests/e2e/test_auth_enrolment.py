"""In Chromium: the first sign-in of an investigator sets up two-step sign-in, then signs in with a code."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _password_step(page, live_server):
    page.goto(f"{live_server}/login")
    page.get_by_label("Username").fill("ivan")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_first_sign_in_enrols_then_code_sign_in(live_server, page, users, app, monkeypatch):
    monkeypatch.setitem(app.config, "CASEFLOW_REQUIRE_2FA", True)
    refused = []
    page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    _password_step(page, live_server)
    assert page.get_by_role("heading", level=1).inner_text() == "Set up two-step sign-in"
    assert page.locator("figure.qr svg").count() == 1
    secret = page.locator("code.secret").inner_text().strip()
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("ul.recovery-codes li").first).to_be_visible()
    codes = page.locator("ul.recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have saved my codes, continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My work"  # staff land on their work
    page.get_by_role("button", name="Sign out").click()
    _password_step(page, live_server)
    assert page.get_by_role("heading", level=1).inner_text() == "Two-step sign-in"
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My work"  # staff land on their work
    assert not refused, refused
