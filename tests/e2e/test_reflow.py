"""Reflow at 320 CSS px (WCAG 1.4.10, a 1280 px screen at 400 % zoom): no staff page scrolls sideways, in
English and in Arabic; wide tables scroll inside their own box. Screenshots go to instance/screenshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from caseflow.enums import Channel
from tests.e2e.test_a11y import describe, run_axe, sign_in
from tests.factories import category, make_case, make_office

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"
PAGES = {"dashboard": ("manager", "/dashboard"), "case list": ("supervisor", "/cases"),
         "case page": ("supervisor", "/cases/{number}"), "my work": ("investigator", "/my-work"),
         "people search": ("supervisor", "/people?q=Benali"), "audit log": ("auditor", "/audit"),
         "admin users": ("admin", "/admin/users"), "admin offices": ("admin", "/admin/offices"),
         "admin categories": ("admin", "/admin/categories"), "admin unit name": ("admin", "/admin/unit"),
         "early warning": ("manager", "/dashboard/early-warning")}


def _cases() -> Any:
    """A few cases over two offices, categories and channels, so the dashboard has charts and rows."""
    offices = [make_office("North Seaport Customs House"), make_office("Inland Clearance Depot and Bonded Warehouse")]
    first = None
    for i in range(12):
        case = make_case(title=f"Container released for cash near gate {i}", subject="Karim Benali",
                         channel=[Channel.PHONE, Channel.WEB, Channel.EMAIL][i % 3],
                         office_id=offices[i % 2].id, category_id=category(["bribery", "fraud"][i % 2]).id)
        first = first or case
    return first


WIDER = """() => [...document.querySelectorAll('body *')].filter(e => { const r = e.getBoundingClientRect();
  return (r.right > innerWidth + 1 || r.left < -1) && !e.closest('.table-wrap, .chart-box'); })
  .slice(0, 8).map(e => `${e.tagName}.${e.getAttribute('class') || ''}`)"""


def page_width(page: Any) -> int:
    """How wide the document is, in CSS px (more than the viewport means sideways scrolling)."""
    return int(page.evaluate("() => document.documentElement.scrollWidth"))


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("name", list(PAGES))
def test_staff_page_reflows_at_320_css_px(live_server, page, users, name, lang):
    role, path = PAGES[name]
    case = _cases()
    page.set_viewport_size(NARROW)
    sign_in(page, live_server, users[role].username)
    sep = "&" if "?" in path else "?"
    page.goto(f"{live_server}{path.format(number=case.number)}{sep}lang={lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"reflow-{name.replace(' ', '-')}-{lang}-320.png"), full_page=True)
    width = page_width(page)
    assert width <= NARROW["width"], f"{name} in {lang} is {width}px wide at 320px: {page.evaluate(WIDER)}"
    violations = run_axe(page)  # at this width too (a box that scrolls must take the keyboard)
    assert not violations, describe(violations)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_dashboard_chart_text_stays_legible_at_320_css_px(live_server, page, users, lang):
    _cases()
    page.set_viewport_size(NARROW)
    sign_in(page, live_server, users["manager"].username)
    page.goto(f"{live_server}/dashboard?lang={lang}")
    sizes = page.evaluate("""() => [...document.querySelectorAll('svg.chart text')]
        .map(t => t.getBoundingClientRect().height).filter(h => h > 0)""")
    assert sizes and min(sizes) >= 8, f"chart text as small as {min(sizes or [0]):.1f}px"
    assert page_width(page) <= NARROW["width"]
    # and on a wide screen the chart grows with its column
    page.set_viewport_size({"width": 1280, "height": 800})
    width = page.evaluate("() => document.querySelector('svg.chart').getBoundingClientRect().width")
    assert width > 480
