"""The reporter's journey in Chromium with JavaScript disabled: report anonymously, come back, read, answer, attach.

Each visit runs a fresh Chromium (a browser context with java_script_enabled=False) in its own thread, so it
never clashes with the session browser of the other browser tests.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from caseflow.extensions import db
from caseflow.models import Case, ReporterMessage, User
from caseflow.reporting.operations import reply_to_reporter
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import make_user

pytestmark = pytest.mark.browser


def without_javascript(visit: Callable[[Any], Any]) -> Any:
    """Run a visit in a fresh Chromium context with JavaScript disabled; return its result or raise its error."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                context = browser.new_context(java_script_enabled=False)
                try:
                    outcome["value"] = visit(context.new_page())
                    outcome["cookies"] = context.cookies()
                finally:
                    context.close()
                    browser.close()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test thread
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=240)
    if "error" in outcome:
        raise outcome["error"]
    assert not thread.is_alive(), "the browser visit did not finish"
    return outcome["value"], outcome["cookies"]


def test_anonymous_reporter_journey_without_javascript(portal_server: str, app: Any) -> None:
    evidence = Path(tempfile.mkdtemp()) / "rota.txt"
    evidence.write_text("Night shift rota: Brandt, Keller\n")

    def report(page: Any) -> str:
        page.goto(f"{portal_server}/whistleblow")
        page.get_by_label("What happened?").fill("At gate 4 the duty officer asked for 200 euros per container.")
        page.get_by_label("When did it happen?").fill("Early March, night shift")
        page.get_by_role("button", name="Send the report").click()
        expect(page.get_by_role("heading", name="Your report was received")).to_be_visible()
        return page.locator("#receipt-code").inner_text().strip()

    receipt, cookies = without_javascript(report)
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", receipt)
    assert cookies == []  # nothing set before a receipt login

    case = db.session.scalar(sa.select(Case))
    assert case is not None and case.acknowledged_at is not None
    investigator = make_user("investigator", "e2e_ivan", full_name="Ivan Petrov")
    reply_to_reporter(db.session.merge(case), db.session.get(User, investigator.id),
                      "Thank you. Which gate number exactly, and do you have the rota?")
    db.session.commit()

    def come_back(page: Any) -> str:
        page.goto(f"{portal_server}/follow-up")
        page.get_by_label("Your 16-digit receipt code").fill(receipt)
        page.get_by_role("button", name="Open my report").click()
        expect(page.get_by_text("Received — your report is waiting to be assessed.")).to_be_visible()
        expect(page.get_by_text("Which gate number exactly, and do you have the rota?")).to_be_visible()
        page.get_by_label("Your message or additional information").fill("Gate 4, lane 2. The rota is attached.")
        page.get_by_label("Add files").set_input_files(str(evidence))
        page.get_by_role("button", name="Send", exact=True).click()
        expect(page.get_by_text("Your message was sent.")).to_be_visible()
        expect(page.get_by_text("Gate 4, lane 2. The rota is attached.")).to_be_visible()
        return page.content()

    html, cookies = without_javascript(come_back)
    assert "<script" not in html
    assert [c["name"] for c in cookies] == ["caseflow_reporter"]
    assert cookies[0]["httpOnly"] and cookies[0]["sameSite"] == "Strict"

    db.session.expire_all()
    answer = db.session.scalar(sa.select(ReporterMessage).where(ReporterMessage.direction == "reporter"))
    assert answer is not None and len(answer.attachments) == 1
    assert answer.attachments[0].kind == "text"
