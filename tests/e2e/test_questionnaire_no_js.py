"""In Chromium with JavaScript switched off: a reporter fills the customs questionnaire in Arabic, goes back,
and sends it; the case holds the answers and the person named joins its subjects."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from caseflow.casekeys import open_text
from caseflow.enums import PartyRole
from caseflow.extensions import db
from caseflow.models import Case
from caseflow.models.questionnaires import CaseAnswers
from tests.e2e.test_a11y import describe, run_axe
from tests.questionnaire_support import install_customs, q


def test_customs_questionnaire_in_arabic_without_javascript(portal_server: str, browser: Any) -> None:
    from caseflow.units.operations import UnitFields, create_unit

    install_customs()
    unit = create_unit(UnitFields(key="internal-affairs", names={
        "en": "Internal Affairs", "fr": "Affaires internes", "es": "Asuntos Internos", "pt": "Assuntos Internos",
        "ar": "الشؤون الداخلية"}, questionnaire_key="customs"), None)
    db.session.commit()
    unit_id = unit.id
    names = {label: q(label) for label in (
        "What happened?", "What kind of wrongdoing?", "Does it concern a customs declaration or a consignment?",
        "Customs office or port", "Declaration or consignment reference", "Person involved",
        "Amount demanded or paid")}
    db.session.remove()
    browser.clear_cookies()  # the session's one browser: other tests' staff cookies share the host
    page = browser.new_page()
    try:
        browser.new_cdp_session(page).send("Emulation.setScriptExecutionDisabled", {"value": True})
        page.goto(f"{portal_server}/questionnaire/customs?lang=ar&unit=internal-affairs")
        assert page.locator("html").get_attribute("dir") == "rtl"
        expect(page.get_by_role("heading", name="بلاغ إلى وحدة النزاهة الجمركية")).to_be_visible()
        page.locator("form button[type=submit]").click()
        page.fill(f'[name="{names["What happened?"]}"]', "طلب مني الموظف مبلغًا نقديًا للإفراج عن الحاوية.")
        page.check(f'[name="{names["What kind of wrongdoing?"]}"][value="bribe"]')
        page.check(f'[name="{names["Does it concern a customs declaration or a consignment?"]}"][value="yes"]')
        page.click('button[value="next"]')
        assert "unit=internal-affairs" in page.locator("form.stacked").get_attribute("action")
        reference = page.locator(f'[name="{names["Declaration or consignment reference"]}"]')
        expect(reference).to_be_visible()  # enabled by the "yes" of the step before
        page.fill(f'[name="{names["Customs office or port"]}"]', "ميناء الشمال")
        reference.fill("DEC-2026-7781")
        page.click('button[value="back"]')  # Back keeps the answers of both steps
        assert page.locator(f'[name="{names["What kind of wrongdoing?"]}"][value="bribe"]').is_checked()
        page.click('button[value="next"]')
        assert page.locator(f'[name="{names["Declaration or consignment reference"]}"]').input_value() == \
            "DEC-2026-7781"
        page.click('button[value="next"]')
        person, amount = names["Person involved"], names["Amount demanded or paid"]
        page.fill(f'[name="{person}-name"]', "كريم حداد")
        page.fill(f'[name="{amount}-amount"]', "٥٠٠")  # Arabic-Indic digits are read as 500
        page.select_option(f'[name="{amount}-currency"]', "EUR")
        page.click('button[value="next"]')
        page.click('button[value="send"]')
        expect(page.locator("#receipt-code")).to_be_visible()
        assert browser.cookies() == []
    finally:
        page.close()
    db.session.remove()
    case = db.session.scalar(sa.select(Case))
    assert case.unit_id == unit_id  # the unit the reporter came from, carried through every step
    assert [p.person.full_name for p in case.parties if p.role == PartyRole.SUBJECT] == ["كريم حداد"]
    stored = db.session.scalar(sa.select(CaseAnswers))
    answers = json.loads(open_text(case, stored.answers_blob))
    assert answers[amount[1:]] == {"amount": "500", "currency": "EUR"}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_questionnaire_steps_have_no_serious_accessibility_violation(portal_server: str, page: Any,
                                                                     lang: str) -> None:
    install_customs()
    names = {label: q(label) for label in (
        "What happened?", "What kind of wrongdoing?", "Does it concern a customs declaration or a consignment?",
        "Customs office or port")}
    db.session.remove()
    page.goto(f"{portal_server}/questionnaire/customs?lang={lang}")
    assert not run_axe(page), describe(run_axe(page))
    page.locator("form button[type=submit]").click()
    page.click('button[value="next"]')  # nothing typed: the errors are tied to their fields
    expect(page.locator(f'#{names["What happened?"]}[aria-invalid="true"]')).to_have_count(1)
    assert page.evaluate("() => document.activeElement.id") == names["What happened?"]  # opens at the first error
    assert not (found := run_axe(page)), describe(found)
    page.fill(f'[name="{names["What happened?"]}"]', "Cash was asked at lane 2.")
    page.check(f'[name="{names["What kind of wrongdoing?"]}"][value="bribe"]')
    page.check(f'[name="{names["Does it concern a customs declaration or a consignment?"]}"][value="yes"]')
    page.click('button[value="next"]')
    page.fill(f'[name="{names["Customs office or port"]}"]', "North Seaport")
    for _ in range(2):  # step 2 and step 3 (a person, an amount with its currency)
        assert not (found := run_axe(page)), describe(found)
        page.click('button[value="next"]')
    expect(page.locator('button[value="send"]')).to_have_count(1)  # step 4 (files), the last
    assert not (found := run_axe(page)), describe(found)
