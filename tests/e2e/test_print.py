"""Printing in Chromium: the case page and the evidence register print without navigation, forms or buttons,
with no address printed, the case heading on every page and no table row cut in two."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from caseflow.cases import operations as case_ops
from caseflow.extensions import db
from caseflow.investigation import evidence as ev
from tests.factories import PASSWORD
from tests.workspace_helpers import investigation_case

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"


def _sign_in(page, base, username):
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _pages(pdf: bytes, name: str) -> list[str]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.pdf"
    path.write_bytes(pdf)
    count = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "2", "-l", "2", "-singlefile", str(path),
                    str(SHOTS / f"{name}-page2")], check=True)
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout for n in range(1, count + 1)]


def _check_print(page, case, name: str) -> list[str]:
    page.emulate_media(media="print")
    for hidden in ("header.topbar", "nav.tabs", "nav.subtabs", "footer.footer"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("form").count() > 0 and not any(f.is_visible() for f in page.locator("form").all())
    assert not any(b.is_visible() for b in page.locator("button").all())
    assert page.evaluate("getComputedStyle(document.querySelector('main .page-head, main .case-head')).display") \
        == "table-header-group"
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    texts = _pages(page.pdf(format="A4"), name)
    assert len(texts) >= 2, "the page should need more than one sheet for this test"
    for n, text in enumerate(texts, start=1):
        assert case.number in text and "Cash at the gate" in text, f"page {n} has no case heading"
        assert "http" not in text and "Sign out" not in text, f"page {n} prints an address or the navigation"
    return texts


def test_the_evidence_register_prints_as_a_record(live_server, page, users, clock):
    case = investigation_case(users, title="Cash at the gate")
    start = datetime(2026, 2, 1, 8)
    for n in range(40):
        item = ev.register_evidence(case, users["investigator"], f"Receipt book page {n + 1}, signed and stamped",
                                    f"Broker's office, drawer {n % 4 + 1}", f"Safe {n % 3 + 1}",
                                    received_at=start + timedelta(hours=n))
        ev.hand_over(item, users["investigator"], "Forensic lab", start + timedelta(hours=n, minutes=30),
                     "Fingerprints")
    db.session.commit()
    _sign_in(page, live_server, "ivan")
    page.goto(f"{live_server}/cases/{case.number}/investigation/evidence")
    expect(page.get_by_role("link", name="Download as PDF")).to_be_visible()
    texts = _check_print(page, case, "print-evidence-register")
    assert not any("Download as PDF" in t or "Register an item" in t for t in texts)
    assert all("Number" in t and "Held by" in t for t in texts)  # the table's header row repeats too
    rows = page.locator("main tbody tr").all()
    assert {r.evaluate("e => getComputedStyle(e).breakInside") for r in rows} == {"avoid"}
    printed = [line for t in texts for line in t.splitlines() if f"{case.number}-E" in line]
    assert len(printed) == 40  # every row printed once, its number whole and on the line of its description
    assert all(re.search(rf"{case.number}-E\d\d\s+Receipt book page \d+", line) for line in printed), printed


def test_the_case_page_prints_as_a_record(live_server, page, users, clock):
    case = investigation_case(users, title="Cash at the gate")
    for n in range(45):
        case_ops.add_note(case, users["investigator"], f"Call {n + 1}: the broker confirmed the amount again.\n"
                                                       "He will bring the receipt book on Monday.")
    db.session.commit()
    _sign_in(page, live_server, "ivan")
    page.goto(f"{live_server}/cases/{case.number}")
    texts = _check_print(page, case, "print-case-page")
    assert "Add note" not in "".join(texts)
