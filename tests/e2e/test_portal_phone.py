"""The portal on a 360 px phone: the receipt stays on one line; the landing page fits, in English and Arabic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

PHONE = {"width": 360, "height": 780}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"


def test_the_receipt_does_not_wrap_on_a_360_px_screen(portal_server: str, page: Any) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{portal_server}/whistleblow?lang=ar")
    page.locator("#what").fill("Receipt layout check on a small phone")
    page.locator("button.primary").click()
    code = page.locator("#receipt-code")
    box = code.bounding_box()
    line = page.evaluate("() => parseFloat(getComputedStyle(document.getElementById('receipt-code')).lineHeight)"
                         " || parseFloat(getComputedStyle(document.getElementById('receipt-code')).fontSize) * 1.3")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "portal-receipt-ar-360.png"), full_page=True)
    assert box is not None and box["height"] < 2 * line + 24, (box, line)  # one line plus padding and border
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_landing_page_fits_a_phone(portal_server: str, page: Any, lang: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{portal_server}/?lang={lang}")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"portal-landing-{lang}-360.png"), full_page=True)
    assert widths[0] <= widths[1]
    expect(page.locator("a[href^='/whistleblow']").first).to_be_visible()
