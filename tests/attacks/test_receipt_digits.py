"""A reporter whose phone types Arabic-Indic, Persian or fullwidth digits still gets into their report."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.reporting_support import follow_up_login, receipt_of, submit

SCRIPTS = {
    "ascii": "0123456789",
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
    "persian": "۰۱۲۳۴۵۶۷۸۹",
    "fullwidth": "０１２３４５６７８９",
    "devanagari": "०१२३४५६७८९",
}
SEPARATORS = [" ", "-", ".", "\u00a0", "\u2009", "", "–"]


def _typed(receipt: str, script: str, separator: str) -> str:
    digits = "".join(SCRIPTS[script][int(ch)] for ch in receipt if ch.isdigit())
    return separator.join(digits[i:i + 4] for i in range(0, 16, 4))


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_receipt_typed_in_any_scripts_digits_opens_the_report(portal_client: FlaskClient, script: str) -> None:
    receipt = receipt_of(submit(portal_client).text)
    for separator in SEPARATORS:
        portal_client.delete_cookie("caseflow_reporter", path="/follow-up")
        response = follow_up_login(portal_client, _typed(receipt, script, separator))
        assert response.status_code == 302, (script, separator, response.text[-400:])
        assert "/follow-up/case" in response.headers["Location"]


def test_a_wrong_receipt_in_arabic_digits_is_still_refused(portal_client: FlaskClient) -> None:
    receipt = receipt_of(submit(portal_client).text)
    wrong = ("1" if receipt[0] != "1" else "2") + receipt[1:]
    assert follow_up_login(portal_client, _typed(wrong, "arabic-indic", " ")).status_code == 400
    assert follow_up_login(portal_client, _typed(receipt, "arabic-indic", " ")[:-1]).status_code == 400
