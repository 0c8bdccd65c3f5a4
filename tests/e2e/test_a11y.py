"""Accessibility in Debian's Chromium: axe-core on the main pages in English and Arabic, keyboard-only use,
phone width, and the whistleblower journey in each of the five languages.

axe-core comes from the npm registry, pinned in tests/e2e/axe/package-lock.json and installed by `make axe`
(part of `make install-test`). Pages have a strict CSP (script-src 'self'), which blocks a <script> tag
added by page.add_script_tag, so the engine is evaluated through the DevTools protocol instead.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_case

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
PHONE = {"width": 360, "height": 780}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"
REPORTER_PAGES = {"landing page": "/", "public form": "/report", "whistleblower form": "/whistleblow",
                  "follow-up": "/follow-up"}
STAFF_PAGES = {"login": (None, "/login"), "case list": ("supervisor", "/cases"),
               "case page": ("supervisor", "/cases/{number}"), "dashboard": ("manager", "/dashboard"),
               "written report": ("supervisor", "/cases/{number}/report/written"),
               "report and redaction": ("supervisor", "/cases/{number}/report")}


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Inject axe-core into the page and return its serious and critical violations."""
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run `make axe`")
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    """A readable list of violations for the failure message."""
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
                     for v in violations)


def sign_in(page: Any, base: str, username: str) -> None:
    """Sign in through the form, by field ids so it works in every language."""
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:2000]


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("name", list(REPORTER_PAGES))
def test_reporter_pages_have_no_serious_accessibility_violation(portal_server, page, name, lang):
    page.goto(f"{portal_server}{REPORTER_PAGES[name]}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    violations = run_axe(page)
    assert not violations, describe(violations)


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("name", list(STAFF_PAGES))
def test_staff_pages_have_no_serious_accessibility_violation(live_server, page, users, name, lang):
    role, path = STAFF_PAGES[name]
    case = make_case(title="Container released for cash", subject="Karim Benali")
    if role:
        sign_in(page, live_server, users[role].username)
    page.goto(f"{live_server}{path.format(number=case.number)}?lang={lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    violations = run_axe(page)
    assert not violations, describe(violations)


def test_a_form_error_is_announced_on_its_field(portal_server, page):
    page.goto(f"{portal_server}/whistleblow?lang=ar")
    page.locator("main form button[type=submit]").click()
    what = page.locator("#what")
    assert what.get_attribute("aria-invalid") == "true"
    described = what.get_attribute("aria-describedby") or ""
    error = page.locator(f"#{described.split()[-1]}")
    assert error.inner_text().strip(), "the error text is tied to the field"
    assert not run_axe(page)


def test_whistleblower_form_works_with_the_keyboard_only_and_focus_is_visible(portal_server, page):
    page.goto(f"{portal_server}/whistleblow?lang=ar")
    seen: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            return {id: e.id, tag: e.tagName, type: e.type || '', outline: s.outlineStyle, width: s.outlineWidth}; }""")
        if info["tag"] in {"INPUT", "TEXTAREA", "SELECT", "BUTTON", "A", "SUMMARY"}:
            assert info["outline"] != "none" and info["width"] != "0px", f"no visible focus on {info}"
        seen.append(info["id"] or info["type"])
        if info["id"] == "what":
            page.keyboard.type("A customs officer asked me for cash to release a container.")
        if info["tag"] == "BUTTON" and info["type"] == "submit":
            break
    assert "what" in seen
    assert seen[-1] == "submit", seen
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert re.fullmatch(r"[\d ]{16,19}", page.locator("#receipt-code").inner_text().strip())
    assert page.locator("html").get_attribute("lang") == "ar"


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt", "ar"])
def test_reporter_completes_the_whistleblower_journey_in_their_language(portal_server, page, lang):
    page.goto(f"{portal_server}/whistleblow")
    page.locator(f".languages a[lang={lang}]").click()
    assert page.locator("html").get_attribute("lang") == lang
    page.fill("#what", "Un agent a demandé de l'argent — موظف طلب مالاً — para liberar o contentor.")
    page.locator("main form button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == lang
    receipt = page.locator("#receipt-code").inner_text().strip()
    assert page.context.cookies() == []  # no cookie before the reporter signs in with the receipt
    page.locator("main a.button").click()  # "Follow up with a receipt", still in the same language
    assert page.locator("html").get_attribute("lang") == lang
    page.fill("#receipt", receipt)
    page.locator("main form button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("#status-word").inner_text().strip()
    assert f"lang={lang}" in page.url
    violations = run_axe(page)  # the reporter's case page, with its message form
    assert not violations, describe(violations)


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt", "ar"])
@pytest.mark.parametrize("path", list(REPORTER_PAGES.values()))
def test_reporter_pages_fit_a_phone_without_sideways_scrolling(portal_server, page, path, lang):
    page.set_viewport_size(PHONE)
    page.goto(f"{portal_server}{path}?lang={lang}")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{path} in {lang} is {widths[0]}px wide on a {widths[1]}px screen"
    if path == "/whistleblow" and lang in {"ar", "fr"}:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"whistleblow-{lang}-360.png"), full_page=True)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_named_questionnaire_steps_have_no_serious_accessibility_violation(portal_server, page, lang):
    from caseflow.extensions import db
    from caseflow.units.operations import UnitFields, create_unit
    from tests.questionnaire_support import install_customs, q

    install_customs()
    create_unit(UnitFields(key="integrity", names={code: "Integrity" for code in ("en", "fr", "es", "pt", "ar")},
                           questionnaire_key="customs"), None)
    db.session.commit()
    what, kind, declared, office = (q("What happened?"), q("What kind of wrongdoing?"),
                                    q("Does it concern a customs declaration or a consignment?"),
                                    q("Customs office or port"))
    db.session.remove()
    page.goto(f"{portal_server}/report?unit=integrity&lang={lang}")  # the named form's address leads here
    checked = ["intro"]
    violations = run_axe(page)
    page.locator("form button[type=submit]").click()
    page.click('button[value="next"]')  # nothing answered: the errors are on the page
    expect(page.locator('[aria-invalid="true"]').first).to_be_visible()
    violations += run_axe(page)
    checked.append("step 1 with errors")
    page.fill(f'[name="{what}"]', "The officer asked for cash to release the container.")
    page.check(f'[name="{kind}"][value="bribe"]')
    page.check(f'[name="{declared}"][value="no"]')
    page.click('button[value="next"]')
    page.fill(f'[name="{office}"]', "North Seaport")
    for _ in range(3):  # steps 2, 3 and 4; the last leads to the identity step
        page.click('button[value="next"]')
    expect(page.locator('[name="identity-name"]')).to_be_visible()
    page.click('button[value="send"]')  # the identity step with both its errors
    expect(page.locator('[name="identity-name"][aria-invalid="true"]')).to_have_count(1)
    violations += run_axe(page)
    checked.append("identity step with errors")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"questionnaire-identity-{lang}.png"), full_page=True)
    assert not violations, f"{checked}: {describe(violations)}"
