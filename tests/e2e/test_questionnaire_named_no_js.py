"""In Chromium with JavaScript switched off: a named reporter goes through a unit's questionnaire in Arabic, is
stopped at the identity step until name and contact are given, and sends; the case is named, its identity sealed."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from playwright.sync_api import expect

from caseflow.extensions import db
from caseflow.models import Case, ReportSubmission
from tests.questionnaire_support import install_customs, q


def test_named_questionnaire_report_in_arabic_without_javascript(portal_server: str, browser: Any) -> None:
    from caseflow.units.operations import UnitFields, create_unit

    install_customs()
    unit = create_unit(UnitFields(key="internal-affairs", names={
        "en": "Internal Affairs", "fr": "Affaires internes", "es": "Asuntos Internos", "pt": "Assuntos Internos",
        "ar": "الشؤون الداخلية"}, questionnaire_key="customs"), None)
    db.session.commit()
    unit_id = unit.id
    names = {label: q(label) for label in (
        "What happened?", "What kind of wrongdoing?", "Does it concern a customs declaration or a consignment?",
        "Customs office or port")}
    db.session.remove()
    browser.clear_cookies()  # the session's one browser: other tests' staff cookies share the host
    page = browser.new_page()
    try:
        browser.new_cdp_session(page).send("Emulation.setScriptExecutionDisabled", {"value": True})
        page.goto(f"{portal_server}/?lang=ar")
        page.locator('#unit-internal-affairs a[href*="named=1"]').click()  # the landing page's named link
        expect(page.locator("html[dir=rtl]")).to_have_count(1)
        page.locator("form button[type=submit]").click()
        page.fill(f'[name="{names["What happened?"]}"]', "طلب مني الموظف مبلغًا نقديًا للإفراج عن الحاوية.")
        page.check(f'[name="{names["What kind of wrongdoing?"]}"][value="bribe"]')
        page.check(f'[name="{names["Does it concern a customs declaration or a consignment?"]}"][value="no"]')
        page.click('button[value="next"]')
        page.fill(f'[name="{names["Customs office or port"]}"]', "ميناء الشمال")
        for _ in range(3):  # steps 2, 3 and 4; the questionnaire's last step leads to the identity step
            page.click('button[value="next"]')
        expect(page.locator("#progress")).to_contain_text("5")
        name = page.locator('[name="identity-name"]')
        expect(name).to_be_visible()
        page.click('button[value="send"]')  # nothing typed: both fields marked, the cursor on the first
        expect(page.locator('[name="identity-name"][aria-invalid="true"]')).to_have_count(1)
        expect(page.locator('[name="identity-contact"][aria-invalid="true"]')).to_have_count(1)
        expect(page.locator('[name="identity-name"]')).to_be_focused()
        page.fill('[name="identity-contact"]', "+216 555 0101")
        page.click('button[value="back"]')  # Back, then Next: the answers and the contact typed are kept
        expect(page.locator(f'[name="{names["Customs office or port"]}"]')).to_have_count(0)
        page.click('button[value="next"]')
        expect(page.locator('[name="identity-contact"]')).to_have_value("+216 555 0101")
        page.fill('[name="identity-name"]', "أمل حداد")
        page.click('button[value="send"]')
        expect(page.locator("#receipt-code")).to_be_visible()
        assert browser.cookies() == []
    finally:
        page.close()
    db.session.remove()
    case = db.session.scalar(sa.select(Case))
    assert case.unit_id == unit_id and not case.is_anonymous
    assert db.session.scalar(sa.select(ReportSubmission.identity_blob)) is not None
