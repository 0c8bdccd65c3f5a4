"""After a post the keyboard starts at the page's message, not at the top navigation, without JavaScript."""

from __future__ import annotations

import pytest

from tests.e2e.test_a11y import sign_in
from tests.factories import make_case

pytestmark = pytest.mark.browser

AFTER_FLASH = """() => { const flash = document.getElementById('flash');
  const tabbable = 'a[href], button, input:not([type=hidden]), select, textarea, [tabindex="0"], summary';
  const all = [...document.querySelectorAll(tabbable)].filter(e => !e.disabled && e.offsetParent !== null);
  return all.find(e => flash.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING
                       && !flash.contains(e)).outerHTML; }"""


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_after_a_post_on_the_case_page_tab_reaches_the_control_after_the_message(live_server, page, users, lang):
    case = make_case(title="Container released for cash", subject="Karim Benali")
    sign_in(page, live_server, users["supervisor"].username)
    page.goto(f"{live_server}/cases/{case.number}?lang={lang}")
    page.locator("form.transition button[type=submit]").first.click()  # start triage
    page.wait_for_load_state()
    assert page.locator("#flash").inner_text().strip()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.outerHTML")
    assert page.evaluate("() => !!document.activeElement.closest('main')"), f"focus went to {focused[:200]}"
    assert focused == page.evaluate(AFTER_FLASH)
    assert page.url.endswith("#flash"), page.url


def test_the_skip_link_moves_the_keyboard_into_main(live_server, page, users):
    sign_in(page, live_server, users["supervisor"].username)
    page.goto(f"{live_server}/cases")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.locator("main").get_attribute("tabindex") == "-1"
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('main')")


FOCUSED = "() => { const e = document.activeElement; return [e.id, e.getAttribute('aria-invalid')]; }"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_reporter_form_shown_again_opens_at_its_first_error(portal_server, page, lang):
    page.goto(f"{portal_server}/whistleblow?lang={lang}")
    page.locator("form button[type=submit]").last.click()  # nothing typed
    page.wait_for_load_state()
    first_invalid = page.locator("[aria-invalid=true]").first.get_attribute("id")
    assert page.evaluate(FOCUSED) == [first_invalid, "true"]
    assert page.locator("[autofocus]").count() == 1  # only the first field in error, never two
    page.keyboard.type("Typed straight into the field in error.")
    assert page.locator(f"#{first_invalid}").input_value() == "Typed straight into the field in error."


def test_a_staff_form_shown_again_opens_at_its_first_error(live_server, page, users):
    sign_in(page, live_server, users["supervisor"].username)
    page.goto(f"{live_server}/intake/new")
    page.locator("main form button[type=submit]").last.click()  # nothing typed
    page.wait_for_load_state()
    invalid = page.locator("[aria-invalid=true]")
    assert invalid.count() >= 1 and page.locator("[autofocus]").count() == 1
    assert page.evaluate(FOCUSED) == [invalid.first.get_attribute("id"), "true"]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_named_report_without_name_opens_at_the_name_and_a_refused_file_at_the_files(portal_server, page, lang,
                                                                                      tmp_path):
    """An outside tester's findings: a missing name, and a refused file, were told at the top only."""
    page.goto(f"{portal_server}/report?lang={lang}")
    page.locator("textarea[name=what]").fill("The officer at lane 3 asked for cash.")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.evaluate(FOCUSED) == ["identity-name", "true"]
    assert page.locator("#identity-contact[aria-invalid=true]").count() == 1
    assert page.locator("[autofocus]").count() == 1
    bad = tmp_path / "tool.exe"
    bad.write_bytes(b"MZ\x90\x00" + b"\x00" * 60)
    page.goto(f"{portal_server}/whistleblow?lang={lang}")
    page.locator("textarea[name=what]").fill("The officer at lane 3 asked for cash.")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.evaluate(FOCUSED) == ["files", "true"]
    assert page.locator("[autofocus]").count() == 1
