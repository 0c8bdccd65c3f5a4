"""In Chromium with JavaScript switched off: a reporter fills the customs questionnaire in Arabic, goes back,
and sends it; the case holds the answers and the person named joins its subjects."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from caseflow.crypto import open_text
from caseflow.enums import PartyRole
from caseflow.extensions import db
from caseflow.models import Case
from caseflow.models.questionnaires import CaseAnswers
from tests.questionnaire_support import install_customs, q


def test_customs_questionnaire_in_arabic_without_javascript(portal_server: str, browser: Any) -> None:
    install_customs()
    names = {label: q(label) for label in (
        "What happened?", "What kind of wrongdoing?", "Does it concern a customs declaration or a consignment?",
        "Customs office or port", "Declaration or consignment reference", "Person involved",
        "Amount demanded or paid")}
    db.session.remove()
    page = browser.new_page()
    try:
        browser.new_cdp_session(page).send("Emulation.setScriptExecutionDisabled", {"value": True})
        page.goto(f"{portal_server}/questionnaire/customs?lang=ar&unit=internal-affairs")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.get_by_role("heading", name="بلاغ إلى وحدة النزاهة الجمركية").is_visible()
        page.locator("form button[type=submit]").click()
        page.fill(f'[name="{names["What happened?"]}"]', "طلب مني الموظف مبلغًا نقديًا للإفراج عن الحاوية.")
        page.check(f'[name="{names["What kind of wrongdoing?"]}"][value="bribe"]')
        page.check(f'[name="{names["Does it concern a customs declaration or a consignment?"]}"][value="yes"]')
        page.click('button[value="next"]')
        assert "unit=internal-affairs" in page.locator("form.stacked").get_attribute("action")
        reference = page.locator(f'[name="{names["Declaration or consignment reference"]}"]')
        assert reference.is_visible()  # enabled by the "yes" of the step before
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
        assert page.locator("#receipt-code").is_visible()
        assert browser.cookies() == []
    finally:
        page.close()
    db.session.remove()
    case = db.session.scalar(sa.select(Case))
    assert [p.person.full_name for p in case.parties if p.role == PartyRole.SUBJECT] == ["كريم حداد"]
    stored = db.session.scalar(sa.select(CaseAnswers))
    answers = json.loads(open_text(case, stored.answers_blob))
    assert answers[amount[1:]] == {"amount": "500", "currency": "EUR"}
