"""Each main page, rendered in each language, shows no English source string that has a translation."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.factories import make_case

TRANSLATIONS = Path(__file__).resolve().parents[2] / "caseflow" / "translations"
LANGUAGES = ["fr", "es", "pt", "ar"]
PAGES = {  # name: (role signed in, path)
    "login": (None, "/login"),
    "portal landing page": ("portal", "/"),
    "public form": ("portal", "/report"),
    "whistleblower form": ("portal", "/whistleblow"),
    "follow-up": ("portal", "/follow-up"),
    "case list": ("supervisor", "/cases"),
    "case page": ("supervisor", "/cases/{number}"),
    "dashboard": ("manager", "/dashboard"),
}
MORE_PAGES = {  # other staff pages, checked in two languages (one left-to-right, one right-to-left)
    "account": ("supervisor", "/account"), "new case": ("supervisor", "/intake/new"),
    "edit case": ("supervisor", "/cases/{number}/edit"), "workspace": ("supervisor", "/cases/{number}/investigation"),
    "triage": ("supervisor", "/cases/{number}/investigation/triage"),
    "evidence": ("supervisor", "/cases/{number}/investigation/evidence"),
    "interviews": ("supervisor", "/cases/{number}/investigation/interviews"),
    "referrals": ("supervisor", "/cases/{number}/investigation/referrals"),
    "reporter tab": ("supervisor", "/cases/{number}/reporter"), "report": ("supervisor", "/cases/{number}/report"),
    "access": ("supervisor", "/cases/{number}/access"), "intake": ("supervisor", "/intake/new"),
    "csv import": ("supervisor", "/intake/import"), "reminders": ("supervisor", "/cases/my-reminders"),
    "early warning": ("supervisor", "/dashboard/early-warning"), "verify": ("supervisor", "/reports/verify"),
    "users": ("admin", "/admin/users"), "categories": ("admin", "/admin/categories"),
    "offices": ("admin", "/admin/offices"), "api tokens": ("admin", "/intake/api-tokens"),
    "audit log": ("auditor", "/audit"),
}
SAMPLE = ["Skip to content", "Language", "Sign in", "Cases", "Report anonymously", "What happened?",
          "Send the report", "Follow up with a receipt", "Open my report", "Received", "Dashboard", "Username",
          "Filter", "Lead investigator", "State", "required"]
TEXT_ATTRIBUTES = {"aria-label", "placeholder", "title", "alt"}


class _Texts(HTMLParser):
    """Collect what a person reads or hears: text nodes and labelling attributes (not inside <nav class=languages>)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in {"script", "style"} or (tag == "nav" and "languages" in (values.get("class") or "")):
            self._skip += 1
        elif tag in {"nav", "script", "style"} and self._skip:
            self._skip += 1
        if not self._skip:
            self.texts += [v.strip() for k, v in attrs if k in TEXT_ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in {"nav", "script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def _translated_sources(lang: str) -> set[str]:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    return {m.id for m in catalog if m.id and isinstance(m.id, str) and m.string and m.string != m.id
            and "%" not in m.id and len(m.id) > 2}


def _render(client, users, login_as, role: str | None, path: str, lang: str) -> str:
    case = make_case(title="Container released for cash", subject="Karim Benali")
    if role == "portal":  # the reporter pages are the portal app's
        client = client.portal
    elif role:
        login_as(users[role])
    response = client.get(f"{path.format(number=case.number)}?lang={lang}")
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _check(client, users, login_as, page: str, role: str | None, path: str, lang: str) -> None:
    html = _render(client, users, login_as, role, path, lang)
    parser = _Texts()
    parser.feed(html)
    sources = _translated_sources(lang)
    left = sorted({t for t in parser.texts if t in sources or t.rstrip(":") in sources or t in SAMPLE})
    assert not left, f"{page} in {lang} still shows English: {left}"
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", list(PAGES))
def test_main_page_shows_no_untranslated_source_string(client, portal_client, users, login_as, page, lang):
    client.portal = portal_client
    _check(client, users, login_as, page, *PAGES[page], lang)


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("page", list(MORE_PAGES))
def test_other_page_shows_no_untranslated_source_string(client, users, login_as, page, lang):
    _check(client, users, login_as, page, *MORE_PAGES[page], lang)
