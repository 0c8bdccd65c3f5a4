"""Language choice: ?lang= then cookie (staff) then Accept-Language then default; reporters keep it in the URL."""

from __future__ import annotations

import re
from datetime import datetime

from caseflow.clock import FrozenClock, set_clock
from caseflow.i18n import LANG_COOKIE
from tests.factories import make_case


def _html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


def test_default_language_is_english_left_to_right(client):
    assert _html_tag(client.get("/login")) == '<html lang="en" dir="ltr">'


def test_arabic_pages_read_right_to_left(client):
    assert _html_tag(client.get("/login?lang=ar")) == '<html lang="ar" dir="rtl">'


def test_browser_language_is_used_when_nothing_is_chosen(client):
    tag = _html_tag(client.get("/login", headers={"Accept-Language": "de-DE,pt-BR;q=0.8,en;q=0.5"}))
    assert tag == '<html lang="pt" dir="ltr">'


def test_unknown_language_falls_back_to_browser_then_default(client):
    assert 'lang="es"' in _html_tag(client.get("/login?lang=xx", headers={"Accept-Language": "es"}))
    assert 'lang="en"' in _html_tag(client.get("/login?lang=xx", headers={"Accept-Language": "de"}))


def test_signed_out_visitor_gets_no_language_cookie_and_keeps_lang_in_links(client):
    response = client.get("/login?lang=fr")
    cookies = response.headers.getlist("Set-Cookie")
    assert not any(c.startswith(LANG_COOKIE) for c in cookies)
    html = response.get_data(as_text=True)
    # links built on the page carry the language; the stylesheet does not need it
    assert re.search(r'href="/\?lang=fr"', html), html[:2000]
    assert "caseflow.css?lang" not in html


def test_language_selector_offers_all_five_and_marks_the_current_one(client):
    html = client.get("/login?lang=es").get_data(as_text=True)
    nav = re.search(r'<nav class="languages".*?</nav>', html, re.S).group(0)
    for code, name in [("en", "English"), ("fr", "Français"), ("es", "Español"), ("pt", "Português"),
                       ("ar", "العربية")]:
        assert f'lang="{code}"' in nav and name in nav
    assert re.search(r'lang="es"[^>]*aria-current="true"', nav)


def test_language_switch_keeps_the_other_query_arguments(client, users, login_as):
    login_as(users["supervisor"])
    html = client.get("/cases?state=triage&q=cash").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" lang="ar"', html).group(1).replace("&amp;", "&")
    assert "state=triage" in link and "q=cash" in link and "lang=ar" in link


def test_staff_choice_is_remembered_in_a_cookie(client, users, login_as):
    login_as(users["supervisor"])
    response = client.get("/cases?lang=ar")
    assert any(c.startswith(f"{LANG_COOKIE}=ar") and "HttpOnly" in c for c in response.headers.getlist("Set-Cookie"))
    assert _html_tag(client.get("/cases")) == '<html lang="ar" dir="rtl">'
    # the URL still wins over the cookie
    assert 'lang="fr"' in _html_tag(client.get("/cases?lang=fr"))


def test_choice_made_on_the_sign_in_page_is_kept_after_signing_in(client, users):
    response = client.post("/login?lang=pt", data={"username": "sara", "password": "Correct-Horse-Battery-9"})
    assert response.status_code == 302
    assert any(c.startswith(f"{LANG_COOKIE}=pt") for c in response.headers.getlist("Set-Cookie"))
    assert 'lang="pt"' in _html_tag(client.get("/cases"))


def test_dates_are_formatted_for_the_language(app, client, users, login_as):
    set_clock(app, FrozenClock(datetime(2026, 3, 2, 9, 0, 0)))
    case = make_case(title="Container released for cash")
    login_as(users["supervisor"])
    french = client.get(f"/cases/{case.number}?lang=fr").get_data(as_text=True)
    spanish = client.get(f"/cases/{case.number}?lang=es").get_data(as_text=True)
    english = client.get(f"/cases/{case.number}?lang=en").get_data(as_text=True)
    assert "2 mars 2026" in french
    assert "2 mar 2026" in spanish
    assert "Mar 2, 2026" in english


def test_case_page_in_arabic_points_arrows_forward_and_translates_the_timeline(client, users, login_as):
    case = make_case(title="Container released for cash")
    login_as(users["supervisor"])
    html = client.get(f"/cases/{case.number}?lang=ar").get_data(as_text=True)
    assert "← " in html and '<span class="arrow">→' not in html  # forward is leftward in Arabic
    timeline = html[html.index('class="timeline"'):]
    assert "system" not in timeline and "channel:" not in timeline
    assert "النظام" in timeline and "القناة: الهاتف" in timeline
    english = client.get(f"/cases/{case.number}?lang=en").get_data(as_text=True)
    assert '<span class="arrow">→' in english and "Channel: Phone" in english


def test_numbers_are_formatted_for_the_language(app):
    from flask_babel import refresh

    from caseflow.i18n import number

    expected = {"en": "1,234.5", "fr": "1\u202f234,5", "es": "1.234,5", "pt": "1.234,5", "ar": "1,234.5"}
    for lang, text in expected.items():
        with app.test_request_context(f"/?lang={lang}"):
            refresh()
            assert number(1234.5, 1).replace("\xa0", " ") in {text, text.replace("\u202f", " ")}, lang
