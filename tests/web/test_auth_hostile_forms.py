"""Hostile input in every staff form: each form found on a staff page is sent with attack strings in every
text field; nothing may answer 500, and the markup must never come back unescaped on any page."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask, url_for

from tests.conftest import login
from tests.web.test_access_matrix import URL_ARGS, _rules, build_world

HOSTILE = ("<script>alert('cf')</script>\"'><img src=x onerror=alert(1)> ' OR '1'='1' --; "
           "{{7*7}} ${7*7} %s%n ☃ \u202egnp.exe ../../etc/passwd =HYPERLINK(\"http://x\")")
MARKUP = "<script>alert('cf')</script>"
TEXT_TYPES = {"text", "search", "email", "password", "date", "number", "tel", "url", "datetime-local", None}


class _Forms(HTMLParser):
    """Collect the POST forms of a page: action and fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action"), "fields": {}}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in TEXT_TYPES:
                self._form["fields"][a["name"]] = HOSTILE
            elif kind in ("hidden", "checkbox", "radio", "submit"):
                self._form["fields"].setdefault(a["name"], a.get("value") or "")
        elif tag == "textarea" and a.get("name"):
            self._form["fields"][a["name"]] = HOSTILE
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and a.get("value"):
            self._form["fields"].setdefault(self._select, a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _pages(app: Flask, world: Any) -> list[str]:
    urls = []
    for key, rule in _rules(app).items():
        if not key.startswith("GET ") or rule.endpoint in ("static", "auth.logout") or "<" in rule.rule and not \
                set(rule.arguments) <= set(URL_ARGS):
            continue
        with app.test_request_context():
            urls.append(url_for(rule.endpoint, **{a: URL_ARGS[a](world) for a in rule.arguments}))
    return urls


@pytest.mark.parametrize("who", ["supervisor", "investigator", "intake_officer", "admin", "auditor", "manager"])
def test_hostile_input_in_every_staff_form(app: Flask, who: str) -> None:
    world = build_world()
    urls = _pages(app, world)
    client = app.test_client()
    assert login(client, world.users[who]).status_code == 302
    sent, failures = 0, []
    for url in urls:
        page = client.get(url)
        if page.status_code != 200 or not page.mimetype == "text/html":
            continue
        parser = _Forms()
        parser.feed(page.data.decode())
        for form in parser.forms:
            action = form["action"] or url
            if form["method"] != "post" or action.endswith("/logout") or action.startswith("http"):
                continue
            r = client.post(action, data=form["fields"])
            sent += 1
            if r.status_code >= 500:
                failures.append(f"{action} -> {r.status_code}")
    assert not failures, failures
    for url in urls:
        r = client.get(url)
        body = r.get_data(as_text=True) if r.mimetype == "text/html" else ""
        assert MARKUP not in body, f"{url} shows hostile markup unescaped"
        r.close()
    assert sent > 0


def test_nul_characters_are_refused_not_stored(app: Flask, client: Any) -> None:
    """NUL characters in a form (PostgreSQL cannot store them as text) get a clean 400, nothing is written."""
    import sqlalchemy as sa

    from caseflow.extensions import db
    from caseflow.models import Note

    world = build_world()
    login(client, world.users["supervisor"])
    r = client.post(f"/cases/{world.case.number}/notes", data={"body": "before\x00after"})
    assert r.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Note.id))) == 0
    assert client.get("/cases?q=a\x00b").status_code == 400
